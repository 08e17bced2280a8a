"""Marie Lefèvre (France): from a résidence accueil to her own flat, the AAH, and her son again."""

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
    login="marie", name="Marie Lefèvre", joined=5,
    grants=(Grant("intervenant", ALL, "co_edit"),),
    spheres={"needs": (40, 70), "health": (55, 65), "self_esteem": (40, 60),
             "social_life": (35, 55), "life_project": (30, 55)},
    themes={"housing": (35, 40, 65, 75, 80), "income": (25, 30, 35, 65, 65),
            "creative_expression": (40, 55, 65, 70, 75)},
    readings=(
        Reading(8, ("housing", "income", "parenting"), with_practitioner=True, comments={
            "housing": "À la résidence accueil, je suis en sécurité, mais je n'ai pas de chez-moi.",
            "income": "Avec le RSA, je finis le mois avec vingt euros.",
            "parenting": "Mon fils Lucas a 15 ans. Je ne l'ai pas vu depuis deux ans."},
            perception=("parenting", ("Marie n'en avait jamais parlé. Sujet à reprendre à son"
                                     " rythme."))),
        Reading(100, ("housing", "income", "creative_expression"), comments={
            "creative_expression": "J'ai rejoué du piano à la médiathèque. Mes doigts se"
                                   " souviennent.",
            "sleep": "Je dors mal, je pense trop le soir."}),
        Reading(190, ("housing", "income", "parenting"), with_practitioner=True, comments={
            "housing": "Le bailleur a accepté le bail glissant. J'emménage bientôt."},
            perception=("income", ("Le dossier AAH est complet et déposé à la MDPH ; délai"
                                  " annoncé de plusieurs mois."))),
        Reading(280, ("parenting", "creative_expression", "friendships"), comments={
            "income": "L'AAH est accordée. Je respire.",
            "parenting": "Lucas m'a répondu par texto !"}),
        Reading(350, ("parenting", "friendships", "work"), with_practitioner=True, comments={
            "parenting": "On a pris un café avec Lucas. Une heure, c'était bien."},
            perception=("friendships", ("Elle se dit seule, mais elle voit des amies au GEM"
                                       " chaque semaine."))),
    ),
    network=(
        Member("lucas", 8, "Lucas", "family", 2, "outer", "never", label="mon fils",
               comment="On ne se parle plus depuis deux ans.", changes=(
                   Change(270, quality=3, frequency="rarely", comment="Il m'a répondu par texto."),
                   Change(345, quality=4, closeness="middle", frequency="monthly",
                          supports=("emotional",), comment="On a pris un café ensemble."))),
        Member("camille", 8, "Camille", "professional", 4, "middle", "weekly",
               label="ma référente", supports=("practical", "informational")),
        Member("sandrine", 8, "Sandrine", "family", 4, "middle", "monthly", label="ma sœur",
               supports=("emotional", "practical"), changes=(
                   Change(200, quality=2, comment="Elle m'a reproché de ne pas voir Lucas. Ça m'a"
                                                  " fait mal."),
                   Change(300, quality=3, comment="On s'est expliquées."))),
        Member("nadia", 8, "Nadia", "friend", 4, "inner", "daily",
               label="voisine à la résidence", supports=("social",), changes=(
                   Change(220, closeness="middle", frequency="weekly",
                          comment="Depuis que j'ai déménagé, on se voit moins."),)),
        Member("franck", 8, "Franck", "partner", 1, "outer", "rarely",
               label="mon ex-compagnon", comment="Il me rabaissait.", ended=95),
        Member("girard", 8, "Mme Girard", "professional", 3, "outer", "monthly",
               label="ma mandataire judiciaire", supports=("practical",)),
        Member("gem", 60, "GEM Le Fil d'Ariane", "community_resource", 4, "middle", "weekly",
               label="groupe d'entraide mutuelle", supports=("social", "emotional")),
    ),
    strengths=(
        StrengthNote("piano", 10, "interest", "La musique, le piano.", theme="creative_expression",
                     rewordings=((105, "Le piano : je joue à la médiathèque le mercredi."),)),
        StrengthNote("relever", 10, "quality", "Je me relève toujours.", sphere="self_esteem",
                     rewordings=((280, ("Je me relève toujours, et maintenant je sais demander"
                                       " de l'aide.")),)),
        StrengthNote("budget", 10, "skill", "Je sais tenir un budget serré.",
                     theme="budget_management"),
        StrengthNote("sandrine", 10, "people", "Ma sœur Sandrine.", member="sandrine"),
        StrengthNote("gem", 65, "service", "Le GEM, où personne ne me juge.", member="gem"),
        StrengthNote("mediatheque", 100, "place", "La médiathèque et son piano en libre accès.",
                     theme="leisure"),
    ),
    goals=(
        GoalStory(12, "Avoir un chez-moi", themes=("housing",), target=200, actions=(
            Act(12, "Remplir la demande de logement social", "person", due=40, done=35),
            Act(12, "Contacter l'association pour un bail glissant", "practitioner",
                who_name="Camille", due=45, done=50, by=PRACTITIONER),
            Act(150, "Visiter l'appartement rue des Tanneurs", "person", due=170, done=165),
            Act(185, "Demander l'aide du FSL pour le dépôt de garantie", "practitioner",
                who_name="Camille", due=200, done=198, by=PRACTITIONER)),
            progress=((100, 30), (190, 80), (215, 100)), status=((215, "achieved"),)),
        GoalStory(12, "Vivre avec plus que le RSA", themes=("income",),
                  rewordings=((30, "Obtenir l'AAH pour vivre plus sereinement"),), actions=(
                      Act(30, "Demander au médecin traitant le certificat pour la MDPH",
                          "person", due=60, done=55),
                      Act(30, "Remplir le dossier MDPH avec Marie", "practitioner",
                          who_name="Camille", due=90, done=88, by=PRACTITIONER)),
                  progress=((190, 60), (275, 100)), status=((275, "achieved"),)),
        GoalStory(105, "Rejouer du piano devant quelqu'un", themes=("creative_expression",),
                  strengths=("piano",), actions=(
                      Act(105, "Jouer à la médiathèque le mercredi", "person", done=140),
                      Act(280, "Jouer un morceau à la fête du GEM", "person", due=380)),
                  progress=((200, 40), (340, 60))),
        GoalStory(275, "Revoir Lucas", themes=("parenting",), strengths=("relever",), actions=(
            Act(275, "Lui écrire une lettre, sans rien attendre", "person", due=290, done=285),
            Act(300, "Lui proposer un café près de son lycée", "person", due=340, done=344),
            Act(345, "Préparer avec Camille ce que je veux lui dire la prochaine fois",
                "practitioner", who_name="Camille", due=375, by=PRACTITIONER)),
            progress=((350, 50),)),
    ),
)
