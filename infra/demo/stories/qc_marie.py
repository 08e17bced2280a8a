"""Marie Gagnon (Québec): from a supervised apartment to her own place, back to school."""

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

ALL = ("quality_of_life", "social_network", "strengths", "plan")

MARIE = PersonStory(
    login="marie", name="Marie Gagnon", joined=3,
    grants=(Grant("intervenant", ALL, "co_edit"),),
    spheres={"needs": (40, 72), "health": (55, 60), "self_esteem": (35, 65),
             "social_life": (45, 62), "life_project": (30, 70)},
    themes={"housing": (30, 35, 70, 80, 85), "income": (20, 25, 55, 60, 60),
            "education": (25, 40, 60, 70, 80), "spirituality": (50, 60, 70, 75, 80)},
    perception_gap=(5, 0),
    readings=(
        Reading(5, ("housing", "income", "education"), with_practitioner=True, comments={
            "housing": "L'appartement supervisé, c'est correct, mais j'aimerais avoir ma place à moi.",
            "income": "J'ai pas encore fait ma demande d'aide sociale, je sais pas par où commencer.",
            "family": "Ma sœur Nathalie m'appelle des fois. On se chicane moins qu'avant."},
            perception=("income", ("Marie sous-estime ce qu'elle a déjà fait : elle a retrouvé"
                                  " tous ses papiers."))),
        Reading(94, ("housing", "income", "education"), comments={
            "education": "Je me suis inscrite au cours de chimie du soir, à l'éducation des adultes.",
            "sleep": "Je dors mieux depuis que je marche le soir."}),
        Reading(183, ("housing", "education", "spirituality"), with_practitioner=True, comments={
            "housing": "J'ai signé mon bail pour un 3 et demie en HLM! Je déménage le mois prochain.",
            "income": "Mon aide sociale est acceptée. Ça change tout pour l'épicerie."},
            perception=("spirituality", ("Marie parle souvent du loup blanc : c'est sa façon de"
                                        " nommer ce qui l'aide à tenir."))),
        Reading(270, ("education", "spirituality", "friendships"), comments={
            "pets": "Mistigri me réveille tous les matins à 6 h. Je l'adore pareil.",
            "friendships": "Depuis que je vois plus Steve, je me sens seule des fois."}),
        Reading(352, ("education", "friendships", "work"), with_practitioner=True, comments={
            "education": "Il me reste un examen pour finir ma chimie de secondaire 5.",
            "work": "Je commence à penser à une job à temps partiel, peut-être dans une pharmacie."},
            perception=("friendships", ("Au groupe d'entraide, elle s'est fait deux amies; elle"
                                       " ne le voit pas encore comme un réseau."))),
    ),
    network=(
        Member("nathalie", 5, "Nathalie", "family", 3, "middle", "monthly", label="ma sœur",
               supports=("emotional",), comment="On se chicane moins qu'avant.", changes=(
                   Change(120, quality=4, frequency="weekly", supports=("emotional", "practical"),
                          comment="Elle m'a aidée à remplir mes papiers."),
                   Change(200, quality=5, closeness="inner", comment="Elle m'a aidée à déménager."))),
        Member("mere", 5, "Ma mère", "family", 2, "middle", "few_times_a_year",
               comment="Elle critique tout ce que je fais.", changes=(
                   Change(300, quality=1, closeness="outer",
                          comment="On s'est encore disputées au téléphone. Je prends une pause."),)),
        Member("julie", 5, "Julie", "professional", 4, "middle", "weekly", label="mon intervenante",
               supports=("practical", "informational"), changes=(
                   Change(183, quality=5, supports=("practical", "informational", "emotional"),
                          comment="Elle lâche pas, même quand moi je lâche."),)),
        Member("steve", 5, "Steve", "friend", 3, "middle", "weekly", supports=("social",),
               comment="On se connaît depuis la polyvalente.", ended=150, changes=(
                   Change(100, quality=2, comment="Il consomme encore et il m'en offre."),)),
        Member("pharmacien", 60, "M. Bélanger", "professional", 3, "outer", "monthly",
               label="mon pharmacien", supports=("informational",), changes=(
                   Change(260, quality=4, comment="Il m'a expliqué mes médicaments sans me juger."),)),
        Member("groupe", 110, "Groupe d'entraide du mardi", "community_resource", 4, "outer",
               "weekly", supports=("emotional", "social"), changes=(
                   Change(240, quality=5, closeness="middle",
                          comment="J'y ai deux amies maintenant, Lucie et Manon."),)),
        Member("mistigri", 215, "Mistigri", "pet", 5, "inner", "daily", label="mon chat",
               supports=("emotional",)),
    ),
    strengths=(
        StrengthNote("perseverance", 12, "quality", "Je suis persévérante.", sphere="self_esteem",
                     rewordings=((130, "Je lâche pas, même quand c'est dur."),
                                 (280, ("Je lâche pas, même quand c'est dur. La preuve : je suis"
                                       " retournée aux études.")))),
        StrengthNote("cuisine", 12, "skill", "Je cuisine bien avec pas grand-chose.", theme="food",
                     rewordings=((200, ("Je cuisine bien avec pas grand-chose, et maintenant"
                                       " j'ai ma propre cuisine.")),)),
        StrengthNote("steve", 12, "people", "Mon ami Steve, qui me fait rire.", member="steve",
                     retired=150),
        StrengthNote("loup", 40, "value", "Le loup blanc en moi : la partie de moi qui veut guérir.",
                     theme="spirituality"),
        StrengthNote("biblio", 60, "place", "La bibliothèque du quartier, où j'étudie au calme.",
                     theme="education"),
        StrengthNote("soeur", 125, "people", "Ma sœur Nathalie, qui répond quand j'appelle.",
                     member="nathalie"),
        StrengthNote("groupe", 130, "service", "Le groupe d'entraide du mardi.", member="groupe"),
    ),
    goals=(
        GoalStory(20, "Finir mes cours de chimie", themes=("education",),
                  strengths=("perseverance",), target=360, actions=(
                      Act(20, "M'inscrire au centre d'éducation des adultes", "person", due=45,
                          done=38),
                      Act(20, "Trouver les horaires d'autobus pour le soir", "practitioner",
                          who_name="Julie", due=35, done=30, by=PRACTITIONER),
                      Act(100, "Faire les exercices du chapitre 3 à la bibliothèque", "person",
                          due=140, done=135),
                      Act(300, "Réviser pour l'examen final avec ma tutrice", "other",
                          who_name="Mme Poirier, tutrice", due=375)),
                  progress=((90, 25), (180, 50), (270, 70), (350, 85))),
        GoalStory(20, "Faire ma demande d'aide sociale", themes=("income",), target=90, actions=(
            Act(20, "Rassembler mes papiers (certificat de naissance, avis de cotisation)",
                "person", due=40, done=35),
            Act(20, "Prendre rendez-vous au bureau de Services Québec", "practitioner",
                who_name="Julie", due=50, done=45, by=PRACTITIONER),
            Act(45, "Aller au rendez-vous avec Nathalie", "close_person",
                who_name="Nathalie, ma sœur", due=60, done=58)),
            progress=((60, 60), (150, 100)), status=((150, "achieved"),)),
        GoalStory(45, "Nourrir le loup blanc en moi", themes=("spirituality", "hope"),
                  strengths=("loup",), rewordings=((160, ("Nourrir le loup blanc en moi, un peu"
                                                         " chaque jour")),), actions=(
                      Act(45, "Marcher 20 minutes le soir", "person"),
                      Act(110, "Aller au groupe d'entraide le mardi", "person", due=130, done=125),
                      Act(300, "Écrire trois choses dont je suis fière chaque dimanche", "person",
                          due=380)),
                  progress=((180, 40), (330, 60))),
        GoalStory(345, "Me trouver une petite job à temps partiel", themes=("work",),
                  by=PRACTITIONER, actions=(
                      Act(345, "Préparer mon CV", "person", due=380),
                      Act(345, "Trouver les organismes d'aide à l'emploi du quartier",
                          "practitioner", who_name="Julie", due=370, by=PRACTITIONER))),
    ),
)
