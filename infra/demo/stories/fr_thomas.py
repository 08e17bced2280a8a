"""Thomas Moreau (France): from the GEM to a CAP cuisine, and talking about his illness."""

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

THOMAS = PersonStory(
    login="thomas", name="Thomas Moreau", joined=45,
    grants=(Grant("sebastien", ALL, "co_edit"),
            Grant("intervenant", ("plan",), "read", day=200)),
    spheres={"needs": (60, 65), "health": (45, 60), "self_esteem": (30, 55),
             "social_life": (30, 55), "life_project": (25, 70)},
    themes={"education": (20, 50, 70, 80), "skills_development": (30, 50, 65, 75),
            "stigma": (20, 25, 40, 50)},
    perception_gap=(10, 0),
    readings=(
        Reading(48, ("education", "stigma", "friendships"), with_practitioner=True, comments={
            "stigma": "Quand je dis que je suis schizophrène, les gens reculent.",
            "education": "J'ai arrêté le lycée en première, à ma première hospitalisation."},
            perception=("education", ("Thomas cuisine pour toute sa famille : des bases solides"
                                     " qu'il ne valorise pas."))),
        Reading(140, ("education", "skills_development", "friendships"), comments={
            "skills_development": "J'ai fait un stage d'une semaine en cuisine de restaurant.",
            "friendships": "Au GEM, j'ai rencontré Malik. On joue aux jeux vidéo."}),
        Reading(235, ("education", "autonomy", "housing"), with_practitioner=True, comments={
            "education": "Je suis pris en CAP cuisine en alternance !",
            "housing": "J'aimerais un studio à moi, mais pas tout de suite."},
            perception=("autonomy", ("Il gère seul ses rendez-vous et son traitement depuis deux"
                                    " mois."))),
        Reading(330, ("education", "housing", "love_life"), with_practitioner=True, comments={
            "education": "Mon chef dit que je suis rapide et soigneux.",
            "love_life": "Je pense à Inès tout le temps. Je n'ose pas lui dire."},
            perception=("stigma", ("Il a parlé de sa maladie à son chef, qui l'a bien pris. Une"
                                  " étape importante."))),
    ),
    network=(
        Member("parents", 48, "Mes parents", "family", 4, "inner", "daily",
               supports=("practical", "emotional"), changes=(
                   Change(240, quality=3, comment="Ils s'inquiètent trop depuis que je"
                                                  " travaille."),)),
        Member("gem", 48, "GEM La Passerelle", "community_resource", 3, "outer", "monthly",
               supports=("social",), changes=(
                   Change(120, quality=4, closeness="middle", frequency="weekly"),)),
        Member("sebastien", 48, "Sébastien", "professional", 4, "middle", "weekly",
               label="mon éducateur", supports=("practical", "informational"), by=PRACTITIONER),
        Member("kevin", 48, "Kévin", "friend", 2, "outer", "rarely",
               label="ancien ami du lycée", comment="Il me propose toujours de fumer.",
               ended=100),
        Member("haddad", 48, "Dr Haddad", "professional", 3, "outer", "monthly",
               label="psychiatre au CMP", supports=("informational",), changes=(
                   Change(300, quality=4),)),
        Member("malik", 130, "Malik", "friend", 4, "middle", "weekly", label="ami du GEM",
               supports=("social",), changes=(
                   Change(250, quality=5, closeness="inner", supports=("social", "emotional")),)),
        Member("aubert", 232, "Chef Aubert", "colleague", 4, "middle", "daily",
               label="mon maître d'apprentissage", supports=("informational", "practical")),
        Member("ines", 300, "Inès", "friend", 4, "middle", "weekly", label="amie du GEM",
               supports=("emotional", "social")),
    ),
    strengths=(
        StrengthNote("cuisine", 50, "skill", "Je cuisine pour toute la famille.",
                     theme="skills_development",
                     rewordings=((145, "Je cuisine bien : le chef du stage m'a félicité."),
                                 (240, ("Je cuisine vite et proprement. C'est mon métier,"
                                       " maintenant.")))),
        StrengthNote("calme", 50, "quality", "Reste calme quand ça presse.",
                     sphere="self_esteem", by=PRACTITIONER,
                     rewordings=((235, "Je reste calme dans le coup de feu."),)),
        StrengthNote("jeux", 50, "interest", "Les jeux vidéo de stratégie.", theme="leisure"),
        StrengthNote("parents", 50, "people", "Mes parents, qui m'hébergent.", member="parents",
                     rewordings=((245, "Mes parents, même quand ils s'inquiètent trop."),)),
        StrengthNote("gem", 125, "place", "Le GEM La Passerelle.", member="gem"),
        StrengthNote("malik", 255, "people", "Malik, mon meilleur ami.", member="malik"),
    ),
    goals=(
        GoalStory(55, "Devenir cuisinier", themes=("education", "work"), strengths=("cuisine",),
                  target=700, actions=(
                      Act(55, "Faire un stage découverte en restaurant", "person", due=130,
                          done=125),
                      Act(55, "Chercher les CAP cuisine en alternance", "practitioner",
                          who_name="Sébastien", due=100, done=95, by=PRACTITIONER),
                      Act(130, "Préparer l'entretien au CFA", "person", due=200, done=190),
                      Act(235, "Réussir mes premiers partiels", "person", due=400)),
                  progress=((140, 25), (235, 50), (325, 60))),
        GoalStory(55, "Parler de ma maladie sans avoir honte", themes=("stigma", "self_confidence"),
                  rewordings=((140, "Parler de ma maladie quand je le choisis, sans honte"),),
                  actions=(
                      Act(55, "Aller au GEM une fois par semaine", "person", due=90, done=120),
                      Act(140, "Préparer avec Thomas ce qu'il peut dire à un employeur",
                          "practitioner", who_name="Sébastien", due=220, done=225,
                          by=PRACTITIONER),
                      Act(235, "En parler à mon chef", "person", due=300, done=305)),
                  progress=((235, 50), (320, 75))),
        GoalStory(325, "Avoir un studio à moi", themes=("housing", "autonomy"), target=600,
                  actions=(
                      Act(325, "Faire une demande en foyer de jeunes travailleurs", "person",
                          due=370),
                      Act(325, "Voir avec mes parents comment ils peuvent m'aider",
                          "close_person", who_name="mes parents", due=380))),
    ),
)
