"""Mamadou Diallo (Québec): an accountant starting over, back at work; his latest reading is
still in progress."""

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

MAMADOU = PersonStory(
    login="mamadou", name="Mamadou Diallo", joined=45,
    grants=(Grant("intervenant", ALL, "co_edit"),
            Grant("kevin", ("quality_of_life", "plan"), "read", day=150)),
    spheres={"needs": (45, 60), "health": (50, 70), "self_esteem": (50, 65),
             "social_life": (40, 45), "life_project": (35, 75)},
    themes={"work": (15, 25, 55, 70, 75), "medication": (35, 55, 65, 70, 70),
            "income": (30, 30, 45, 55, 55)},
    perception_gap=(-5, 5),
    readings=(
        Reading(48, ("work", "medication", "income"), with_practitioner=True, comments={
            "medication": "Les médicaments me font dormir toute la journée.",
            "work": "En Guinée, j'étais comptable. Ici, mon diplôme n'est pas reconnu."},
            perception=("medication", ("À voir avec son psychiatre : les effets secondaires"
                                      " l'empêchent de chercher du travail."))),
        Reading(140, ("work", "education", "family"), comments={
            "family": "Je parle à ma mère à Conakry tous les dimanches sur WhatsApp.",
            "education": "Je veux faire reconnaître mon diplôme."}),
        Reading(235, ("work", "income", "friendships"), with_practitioner=True, comments={
            "work": "J'ai trouvé un emploi de commis comptable à temps partiel!",
            "friendships": "J'ai pas encore d'amis ici, à part les gars de la mosquée."},
            perception=("work", ("Grande fierté. On garde un œil sur la fatigue avec le nouvel"
                                " horaire."))),
        Reading(330, ("work", "friendships", "love_life"), comments={
            "love_life": "J'aimerais rencontrer quelqu'un, mais je n'ose pas."}),
        Reading(358, ("work", "friendships", "future_plans"), completed=False, comments={
            "future_plans": "Dans deux ans, je veux être CPA ici."}),
    ),
    network=(
        Member("mariama", 48, "Mariama", "family", 5, "outer", "weekly", label="ma mère, à Conakry",
               supports=("emotional",)),
        Member("ibrahima", 48, "Ibrahima", "family", 4, "middle", "monthly", label="mon cousin",
               supports=("practical",), comment="Il m'a hébergé à mon arrivée.", changes=(
                   Change(180, quality=2, comment="Il me demande de l'argent chaque mois."),
                   Change(300, quality=3, comment="On s'est parlé franchement. Ça va mieux."))),
        Member("mosquee", 48, "La mosquée du quartier", "community_resource", 4, "outer",
               "weekly", supports=("social", "emotional"), changes=(
                   Change(240, closeness="middle"),)),
        Member("julie", 48, "Julie", "professional", 4, "middle", "weekly",
               label="mon intervenante", supports=("practical", "informational", "emotional"),
               by=PRACTITIONER),
        Member("lemieux", 48, "Dr Lemieux", "professional", 2, "outer", "monthly",
               label="mon psychiatre", supports=("informational",),
               comment="Je ne me sens pas écouté.", changes=(
                   Change(120, quality=4, comment="Il a changé ma médication. Je me sens mieux.",
                          by=PRACTITIONER),)),
        Member("patrick", 48, "Patrick", "other", 2, "inner", "daily", label="mon coloc",
               comment="Il fume en dedans.", ended=170),
        Member("sophie", 230, "Sophie", "colleague", 4, "middle", "daily",
               label="collègue au bureau", supports=("informational", "social")),
    ),
    strengths=(
        StrengthNote("chiffres", 50, "skill", "Je suis bon avec les chiffres.", theme="work",
                     rewordings=((240, ("Je suis bon avec les chiffres : mon patron me confie la"
                                       " paie.")),)),
        StrengthNote("foi", 50, "value", "Ma foi me donne de la force.", theme="spirituality"),
        StrengthNote("courage", 50, "quality", "J'ai eu le courage de tout recommencer dans un"
                                               " nouveau pays.", sphere="self_esteem",
                     rewordings=((150, ("J'ai eu le courage de tout recommencer ici, et je"
                                       " continue.")),)),
        StrengthNote("mere", 50, "people", "Ma mère, qui prie pour moi.", member="mariama"),
        StrengthNote("cafe", 50, "place", "Le café Internet de la rue Jean-Talon.",
                     theme="staying_in_touch", retired=200),
        StrengthNote("mosquee", 60, "place", "La mosquée, où on m'accueille comme un frère.",
                     member="mosquee"),
    ),
    goals=(
        GoalStory(50, "Trouver un travail en comptabilité", themes=("work", "income"),
                  strengths=("chiffres",), actions=(
                      Act(50, "Faire évaluer mon diplôme (évaluation comparative)", "person",
                          due=110, done=125),
                      Act(50, "Trouver un organisme d'aide à l'emploi pour personnes immigrantes",
                          "practitioner", who_name="Julie", due=80, done=70, by=PRACTITIONER),
                      Act(130, "Envoyer dix CV", "person", due=200, done=190)),
                  progress=((140, 30), (235, 80)), status=((240, "achieved"),)),
        GoalStory(50, "Parler au psychiatre de mes effets secondaires", themes=("medication",),
                  by=PRACTITIONER, actions=(
                      Act(50, "Noter chaque jour mes heures de sommeil", "person", due=100, done=95),
                      Act(50, "Accompagner Mamadou au rendez-vous", "practitioner",
                          who_name="Julie", due=110, done=108, by=PRACTITIONER)),
                  progress=((140, 100),), status=((140, "achieved"),)),
        GoalStory(245, "Devenir comptable agréé au Québec", themes=("education", "future_plans"),
                  strengths=("courage",), target=1000,
                  rewordings=((335, "Devenir CPA au Québec, à mon rythme"),), actions=(
                      Act(245, "Me renseigner sur le programme de l'Ordre des CPA", "person",
                          due=300, done=290),
                      Act(300, "Demander l'aide financière pour le premier cours", "person",
                          due=390),
                      Act(300, "Regarder avec Mamadou son horaire de travail et d'études",
                          "practitioner", who_name="Julie", due=370, by=PRACTITIONER))),
        GoalStory(335, "Me faire des amis ici", themes=("friendships", "loneliness"), actions=(
            Act(335, "Aller au match de soccer du samedi avec Sophie", "person", due=370),)),
    ),
)
