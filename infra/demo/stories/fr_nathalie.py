"""Nathalie Dubois (France): a year of mourning; several spheres go down before they come back."""

from infra.demo.story import (
    Act,
    Change,
    GoalStory,
    Grant,
    Member,
    PersonStory,
    Reading,
    StrengthNote,
)

NATHALIE = PersonStory(
    login="nathalie", name="Nathalie Dubois", joined=10,
    grants=(Grant("intervenant", ("quality_of_life",), "co_edit"),
            Grant("intervenant", ("social_network", "strengths", "plan"), "read"),
            Grant("sebastien", ("quality_of_life", "strengths"), "read", day=30, revoked=220)),
    spheres={"needs": (60, 55), "health": (45, 40), "self_esteem": (45, 40),
             "social_life": (55, 45), "life_project": (40, 45)},
    themes={"family": (70, 65, 25, 35, 45), "mental_health": (40, 45, 20, 30, 40),
            "emotions": (45, 45, 20, 30, 40), "hope": (50, 55, 25, 35, 50)},
    perception_gap=(5, 10),
    readings=(
        Reading(12, ("mental_health", "work", "sleep"), with_practitioner=True, comments={
            "mental_health": "Je suis en arrêt maladie depuis six mois, pour dépression.",
            "work": "Je ne me vois pas retourner à la poste."},
            perception=("work", ("Quinze ans au guichet : elle parle de ses collègues avec"
                                " chaleur."))),
        Reading(95, ("mental_health", "sleep", "family"), comments={
            "family": "Maman est hospitalisée. Je vais la voir tous les jours.",
            "sleep": "Je dors enfin six heures d'affilée."}),
        Reading(180, ("family", "emotions", "hope"), with_practitioner=True, comments={
            "family": "Maman est décédée. Je ne sais pas comment continuer.",
            "emotions": "Je pleure beaucoup. On me dit que c'est normal."},
            perception=("hope", ("Deuil très difficile. Elle continue de venir aux rendez-vous :"
                                " c'est une force."))),
        Reading(265, ("emotions", "friendships", "hope"), comments={
            "friendships": "Mon amie Isabelle passe me voir chaque semaine.",
            "hope": "Certains jours, je vois un peu de lumière."}),
        Reading(345, ("hope", "work", "meaningful_activities"), with_practitioner=True, comments={
            "meaningful_activities": "Je suis bénévole aux Restos du cœur le mardi.",
            "hope": "Je recommence à faire des projets, des petits."},
            perception=("meaningful_activities", ("Le bénévolat lui redonne un rythme ; on en"
                                                 " parle comme d'un premier pas vers le travail."))),
    ),
    network=(
        Member("maman", 12, "Maman", "family", 5, "inner", "daily", label="ma mère",
               supports=("emotional",), ended=170, changes=(
                   Change(100, comment="Hospitalisée depuis trois semaines."),
                   Change(168, comment="Décédée. Elle reste dans mon cœur."))),
        Member("isabelle", 12, "Isabelle", "friend", 3, "outer", "few_times_a_year",
               label="amie d'enfance", comment="On s'est perdues de vue.", changes=(
                   Change(185, quality=4, closeness="middle", frequency="weekly",
                          supports=("emotional", "practical"),
                          comment="Elle a été là pour l'enterrement."),
                   Change(265, quality=5, closeness="inner"))),
        Member("philippe", 12, "Philippe", "family", 3, "middle", "monthly", label="mon frère",
               supports=("practical",), changes=(
                   Change(190, quality=1, comment="Dispute pour la succession de maman."),
                   Change(330, quality=2, comment="On se reparle, froidement."))),
        Member("collegues", 12, "Mes collègues de la poste", "colleague", 4, "outer", "rarely",
               supports=("social",), changes=(
                   Change(300, frequency="monthly",
                          comment="Sylvie m'a invitée au pot de départ d'un collègue."),)),
        Member("perrin", 12, "Mme Perrin", "professional", 4, "middle", "weekly",
               label="psychologue", supports=("emotional",)),
        Member("lambert", 12, "Dr Lambert", "professional", 3, "outer", "monthly",
               label="médecin traitant", supports=("informational",), changes=(
                   Change(200, quality=4, comment="Il a pris le temps de m'écouter après le décès"
                                                  " de maman."),)),
        Member("pacha", 12, "Pacha", "pet", 5, "inner", "daily", label="mon chat",
               supports=("emotional",)),
        Member("restos", 320, "Les Restos du cœur", "community_resource", 4, "middle", "weekly",
               label="bénévolat du mardi", supports=("social",)),
    ),
    strengths=(
        StrengthNote("accueil", 15, "skill", "Je sais accueillir les gens.", theme="work",
                     rewordings=((100, "Je sais accueillir les gens, même les plus pressés."),
                                 (330, ("Je sais accueillir les gens : aux Restos, on me met à"
                                       " l'accueil.")))),
        StrengthNote("fidele", 15, "quality", "Je suis fidèle en amitié.", theme="friendships",
                     rewordings=((270, "Je suis fidèle en amitié, et Isabelle aussi."),)),
        StrengthNote("pacha", 15, "resource", "Pacha, mon chat, qui me réveille tous les matins.",
                     member="pacha"),
        StrengthNote("maman", 15, "people", "Maman, qui m'a toujours soutenue.", member="maman",
                     rewordings=((175, "Ce que maman m'a appris : tenir debout."),)),
        StrengthNote("jardin", 15, "interest", "Le jardinage, dans le jardin de maman.",
                     theme="leisure", retired=200),
        StrengthNote("restos", 322, "service", "Les Restos du cœur, où je me sens utile.",
                     member="restos"),
    ),
    goals=(
        GoalStory(15, "Dormir mieux", themes=("sleep",), actions=(
            Act(15, "Me coucher à la même heure tous les soirs", "person", due=45, done=60),
            Act(15, "En parler au Dr Lambert", "person", due=30, done=28)),
            progress=((95, 60),), status=((110, "achieved"),)),
        GoalStory(15, "Reprendre le travail", themes=("work",), strengths=("accueil",),
                  rewordings=((330, "Reprendre un travail, peut-être autre chose que la poste"),),
                  status=((175, "paused"), (330, "active")), progress=((345, 20),), actions=(
                      Act(15, "Demander un rendez-vous au médecin du travail", "person", due=60,
                          done=80),
                      Act(90, "Étudier un mi-temps thérapeutique", "other",
                          who_name="médecin du travail", due=150))),
        GoalStory(185, "Traverser le deuil de maman", themes=("emotions", "family"),
                  strengths=("fidele",), actions=(
                      Act(185, "Continuer à voir Mme Perrin chaque semaine", "person"),
                      Act(185, "Écrire une lettre à maman", "person", due=230, done=250),
                      Act(265, "Aller au groupe de parole sur le deuil", "person", due=300,
                          done=295)),
                  progress=((265, 30), (345, 55))),
        GoalStory(300, "Me sentir utile", themes=("meaningful_activities", "volunteering"),
                  actions=(
                      Act(300, "Appeler les Restos du cœur pour devenir bénévole", "person",
                          due=320, done=318),
                      Act(320, "Tenir l'accueil le mardi matin", "person", done=340)),
                  progress=((345, 70),)),
    ),
)
