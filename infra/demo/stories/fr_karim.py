"""Karim Benali (France): stops drinking, finds work at a chantier d'insertion, and his son again."""

from infra.demo.story import (
    PRACTITIONER,
    Act,
    Change,
    GoalStory,
    Grant,
    Member,
    PersonStory,
    Reading,
    StrengthNote,
)

KARIM = PersonStory(
    login="karim", name="Karim Benali", joined=20,
    grants=(Grant("intervenant", ("quality_of_life", "strengths", "plan"), "co_edit"),
            Grant("intervenant", ("social_network",), "read"),
            Grant("sebastien", ("plan",), "read", day=180)),
    spheres={"needs": (50, 65), "health": (30, 65), "self_esteem": (35, 60),
             "social_life": (45, 50), "life_project": (30, 60)},
    themes={"substance_use": (10, 40, 60, 65, 70), "energy": (30, 45, 60, 65, 70),
            "work": (20, 30, 55, 65, 70)},
    readings=(
        Reading(22, ("substance_use", "work", "family"), with_practitioner=True, comments={
            "substance_use": "Je bois tous les jours depuis que j'ai perdu mon travail.",
            "family": "Mon fils Yanis ne veut plus me voir quand j'ai bu."},
            perception=("substance_use", ("Karim a demandé lui-même à parler de l'alcool : c'est"
                                         " une première."))),
        Reading(120, ("substance_use", "energy", "work"), comments={
            "substance_use": "Trois semaines sans boire après la cure. C'est dur le soir.",
            "energy": "Je me réveille enfin le matin."}),
        Reading(215, ("work", "family", "substance_use"), with_practitioner=True, comments={
            "work": "J'ai commencé au chantier d'insertion, aux espaces verts."},
            perception=("work", "Son encadrant le dit fiable, et très bon avec les nouveaux.")),
        Reading(310, ("family", "work", "leisure"), with_practitioner=True, comments={
            "family": "Yanis est venu manger à la maison. On a regardé le match.",
            "leisure": "Je suis retourné à la pêche avec mon frère."},
            perception=("family", ("Beaucoup d'émotion en parlant de Yanis ; à soutenir sans"
                                  " brusquer."))),
        Reading(355, ("work", "future_plans", "family"), comments={
            "future_plans": "Je veux passer le permis poids lourd."}),
    ),
    network=(
        Member("yanis", 22, "Yanis", "family", 2, "outer", "rarely", label="mon fils",
               comment="Il ne veut pas me voir quand j'ai bu.", changes=(
                   Change(200, quality=3, frequency="monthly"),
                   Change(305, quality=4, closeness="middle", supports=("emotional",),
                          comment="Il est venu manger à la maison."))),
        Member("mehdi", 22, "Mehdi", "family", 4, "middle", "monthly", label="mon frère",
               supports=("practical", "emotional"), changes=(
                   Change(300, closeness="inner", frequency="weekly",
                          comment="On va pêcher ensemble le dimanche."),)),
        Member("pmu", 22, "Les copains du PMU", "friend", 3, "middle", "daily",
               supports=("social",), comment="On boit ensemble.", ended=130, changes=(
                   Change(60, quality=2, frequency="rarely"),)),
        Member("sabrina", 22, "Sabrina", "family", 2, "outer", "rarely", label="mon ex-femme"),
        Member("morel", 40, "Dr Morel", "professional", 4, "middle", "monthly",
               label="addictologue au CSAPA", supports=("informational", "emotional")),
        Member("vielibre", 110, "Vie Libre", "community_resource", 4, "outer", "weekly",
               label="association d'entraide", supports=("emotional", "social"), changes=(
                   Change(250, quality=5, closeness="middle"),)),
        Member("jeanmarc", 205, "Jean-Marc", "colleague", 4, "middle", "daily",
               label="mon encadrant au chantier", supports=("practical", "informational")),
    ),
    strengths=(
        StrengthNote("bricolage", 25, "skill", "Je sais tout réparer dans une maison.",
                     theme="household_tasks"),
        StrengthNote("pere", 25, "value", "J'aime mon fils plus que tout.", theme="parenting",
                     rewordings=((310, "J'aime mon fils, et maintenant il le voit."),)),
        StrengthNote("mehdi", 25, "people", "Mehdi, mon frère, toujours là.", member="mehdi"),
        StrengthNote("sobre", 125, "achievement", "J'ai arrêté de boire.", theme="substance_use",
                     rewordings=((220, "Plus de cent jours sans alcool."),
                                 (320, "Sept mois sans alcool, un jour après l'autre."))),
        StrengthNote("patience", 215, "quality", "Patient et rassurant avec les nouveaux au"
                                                 " chantier.", theme="work", by=PRACTITIONER,
                     rewordings=((230, ("Patient avec les nouveaux : au chantier, on m'appelle"
                                       " le grand frère.")),)),
        StrengthNote("peche", 300, "interest", "La pêche au bord de la Loire.", theme="leisure"),
    ),
    goals=(
        GoalStory(25, "Arrêter de boire pour de bon", themes=("substance_use",),
                  rewordings=((110, "Rester sobre, un jour à la fois"),), actions=(
                      Act(25, "Prendre rendez-vous au CSAPA", "person", due=40, done=38),
                      Act(40, "Préparer l'entrée en cure avec Karim", "practitioner",
                          who_name="Camille", due=80, done=78, by=PRACTITIONER),
                      Act(110, "Trouver un groupe d'entraide près de chez moi", "person",
                          due=120, done=112)),
                  progress=((120, 40), (215, 65), (310, 80))),
        GoalStory(125, "Retrouver un travail", themes=("work",), strengths=("bricolage",),
                  actions=(
                      Act(125, "M'inscrire à France Travail", "person", due=140, done=135),
                      Act(125, "Demander une place au chantier d'insertion", "practitioner",
                          who_name="Camille", due=170, done=180, by=PRACTITIONER)),
                  progress=((215, 100),), status=((215, "achieved"),)),
        GoalStory(215, "Que Yanis soit fier de moi", themes=("family", "parenting"),
                  strengths=("pere",), actions=(
                      Act(215, "L'inviter à manger un dimanche", "person", due=260, done=300),
                      Act(310, "Aller voir un match de foot avec lui", "person", due=370)),
                  progress=((310, 50),)),
        GoalStory(315, "Passer le permis poids lourd", themes=("future_plans", "work"),
                  target=600, actions=(
                      Act(315, "Voir le financement avec mon CPF", "person", due=350, done=348),
                      Act(350, "Demander l'avis de Jean-Marc", "other",
                          who_name="Jean-Marc, encadrant", due=380)),
                  status=((352, "paused"),)),
    ),
)
