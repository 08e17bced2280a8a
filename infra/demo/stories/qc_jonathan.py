"""Jonathan Côté (Québec): rates nearly everything 100 %; his practitioner's view moves, not his."""

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

JONATHAN = PersonStory(
    login="jonathan", name="Jonathan Côté", joined=30,
    grants=(Grant("intervenant", ("quality_of_life", "plan"), "co_edit"),
            Grant("intervenant", ("social_network", "strengths"), "read")),
    spheres={sphere: (100, 100) for sphere in
             ("needs", "health", "self_esteem", "social_life", "life_project")},
    perception_gap=(-45, -10),
    readings=(
        Reading(32, ("work", "parenting", "substance_use"), with_practitioner=True, comments={
            "substance_use": "Je bois plus. C'est réglé.",
            "work": "Ma job au garage va super bien."},
            perception=("substance_use", ("Jonathan dit que tout va bien. Il a manqué deux"
                                         " rendez-vous ce mois-ci : à explorer ensemble."))),
        Reading(130, ("work", "parenting", "love_life"), comments={
            "parenting": "Je vois ma fille Léa une fin de semaine sur deux."},
            perception=("parenting", ("Il parle de Léa avec beaucoup de fierté. Les visites se"
                                     " passent bien, selon sa mère."))),
        Reading(230, ("parenting", "work", "physical_activity"), with_practitioner=True, comments={
            "physical_activity": "J'ai recommencé le hockey cosom le jeudi soir."},
            perception=("work", ("Je le croyais fragile au garage; son patron lui donne plus"
                                " d'heures. Je révise mon regard."))),
        Reading(340, ("parenting", "future_plans", "work"), with_practitioner=True, comments={
            "future_plans": "Je veux faire mon DEP en mécanique automobile."},
            perception=("future_plans", ("Nos regards se rejoignent : il avance à son rythme, et"
                                        " il le savait avant moi."))),
    ),
    network=(
        Member("maxime", 32, "Maxime", "family", 4, "middle", "weekly", label="mon frère",
               supports=("practical", "social"), changes=(
                   Change(200, quality=5, closeness="inner",
                          comment="On a repeinturé sa cuisine ensemble."),)),
        Member("audrey", 32, "Audrey", "partner", 2, "middle", "weekly",
               label="mon ex, la mère de Léa", comment="On se parle juste pour Léa.", changes=(
                   Change(150, quality=3, comment="On s'entend mieux pour les horaires de garde."),)),
        Member("lea", 32, "Léa", "family", 5, "inner", "weekly", label="ma fille",
               supports=("emotional",)),
        Member("rejean", 32, "Réjean", "other", 5, "middle", "weekly", label="mon parrain AA",
               supports=("emotional", "informational")),
        Member("denis", 32, "Denis", "colleague", 3, "middle", "daily", label="mon boss au garage",
               supports=("practical",), changes=(
                   Change(220, quality=4, comment="Il m'a donné plus d'heures."),)),
        Member("jeff", 32, "Jeff", "friend", 2, "middle", "weekly", supports=("social",),
               comment="Un chum de party.", ended=90),
        Member("hockey", 225, "Ligue de hockey cosom", "community_resource", 4, "outer", "weekly",
               supports=("social",)),
    ),
    strengths=(
        StrengthNote("mains", 40, "skill", "Je suis bon de mes mains : je répare n'importe quel"
                                           " moteur.", theme="work",
                     rewordings=((240, ("Je suis bon de mes mains. Mon boss me confie les moteurs"
                                       " difficiles.")),)),
        StrengthNote("pere", 40, "value", "Je suis un bon père.", theme="parenting",
                     rewordings=((135, "Je suis un père présent pour Léa."),)),
        StrengthNote("rejean", 40, "people", "Réjean, mon parrain, qui répond même la nuit.",
                     member="rejean"),
        StrengthNote("sobriete", 40, "achievement", "Sobre depuis huit mois.",
                     theme="substance_use",
                     rewordings=((130, "Sobre depuis bientôt un an."),
                                 (320, "Sobre depuis 17 mois, une journée à la fois."))),
    ),
    goals=(
        GoalStory(45, "Garder ma job au garage", themes=("work",), strengths=("mains",), actions=(
            Act(45, "Arriver à l'heure tous les matins (cadran à 6 h)", "person", due=90, done=88),
            Act(45, "Demander à Denis plus d'heures", "person", due=150, done=210)),
            progress=((120, 60), (230, 90)), status=((300, "achieved"),)),
        GoalStory(45, "Voir Léa plus souvent", themes=("parenting",), strengths=("pere",),
                  target=300, rewordings=((140, ("Voir Léa plus souvent et être là pour ses"
                                                " devoirs")),), actions=(
                      Act(45, "Demander à Audrey une fin de semaine sur deux", "person", due=75,
                          done=70),
                      Act(45, "Trouver des activités pas chères à faire avec Léa", "practitioner",
                          who_name="Julie", due=100, done=95, by=PRACTITIONER),
                      Act(240, "Préparer la chambre de Léa", "person", due=380)),
                  progress=((140, 50), (330, 75))),
        GoalStory(345, "Faire mon DEP en mécanique automobile",
                  themes=("education", "future_plans"), target=700, actions=(
                      Act(345, "Aller à la soirée portes ouvertes du centre de formation",
                          "person", due=395),
                      Act(345, "Vérifier l'aide financière aux études", "practitioner",
                          who_name="Julie", due=380, by=PRACTITIONER))),
    ),
)
