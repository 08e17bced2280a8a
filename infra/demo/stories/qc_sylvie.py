"""Sylvie Lavoie (Québec): less alone thanks to the community kitchen, while her knee gets worse."""

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

SYLVIE = PersonStory(
    login="sylvie", name="Sylvie Lavoie", joined=15,
    grants=(Grant("intervenant", ("plan",), "co_edit"),
            Grant("intervenant", ("quality_of_life", "social_network", "strengths"), "read"),
            Grant("kevin", ("quality_of_life",), "read", day=60, revoked=250)),
    spheres={"needs": (65, 65), "health": (60, 40), "self_esteem": (45, 55),
             "social_life": (25, 65), "life_project": (35, 60)},
    themes={"pain": (60, 50, 35, 25, 30), "loneliness": (15, 30, 50, 60, 65),
            "volunteering": (10, 40, 70, 75, 80)},
    readings=(
        Reading(18, ("loneliness", "mental_health", "volunteering"), comments={
            "loneliness": "Depuis que ma fille est partie à Calgary, les journées sont longues.",
            "mental_health": "Mon humeur monte et descend, comme toujours. Je connais mes signes."}),
        Reading(110, ("loneliness", "volunteering", "pain"), comments={
            "volunteering": "J'ai commencé à la cuisine collective, deux matins par semaine!",
            "pain": "Mon genou me fait mal dans les escaliers."}),
        Reading(200, ("pain", "volunteering", "friendships"), comments={
            "pain": "Le médecin parle d'une opération au genou. J'ai peur.",
            "friendships": "Ginette, de la cuisine collective, m'a invitée à souper."}),
        Reading(290, ("pain", "physical_activity", "friendships"), comments={
            "physical_activity": "Je suis plus capable de marcher jusqu'au parc. Ça me manque.",
            "family": "Ma fille m'appelle par vidéo le dimanche."}),
        Reading(355, ("pain", "volunteering", "creative_expression"), comments={
            "creative_expression": "Je tricote des tuques pour le comptoir vestimentaire."}),
    ),
    network=(
        Member("emilie", 18, "Émilie", "family", 4, "outer", "monthly", label="ma fille",
               supports=("emotional",), comment="Elle vit à Calgary depuis l'an passé.", changes=(
                   Change(280, closeness="middle", frequency="weekly",
                          comment="On se parle par vidéo tous les dimanches."),)),
        Member("fortin", 18, "M. Fortin", "neighbour", 2, "outer", "rarely",
               comment="Il se plaint du bruit de ma télé.", changes=(
                   Change(160, quality=3, comment="On s'est parlé dans le corridor, ça va mieux."),)),
        Member("ouellet", 18, "Dre Ouellet", "professional", 4, "outer", "few_times_a_year",
               label="ma psychiatre", supports=("informational",)),
        Member("real", 18, "Réal", "family", 1, "outer", "rarely", label="mon ex-mari",
               comment="Il m'appelle quand il a bu.", ended=120),
        Member("julie", 18, "Julie", "professional", 4, "middle", "monthly",
               label="mon intervenante", supports=("practical",)),
        Member("cuisine", 100, "Cuisine collective du quartier", "community_resource", 4,
               "middle", "weekly", supports=("social", "practical")),
        Member("ginette", 190, "Ginette", "friend", 4, "middle", "weekly",
               supports=("social", "emotional"), changes=(
                   Change(300, quality=5, closeness="inner",
                          comment="Elle vient me porter mon épicerie depuis que mon genou est pire."),)),
    ),
    strengths=(
        StrengthNote("signes", 20, "quality", "Je connais mes signes quand mon humeur change.",
                     theme="mental_health",
                     rewordings=((205, "Je connais mes signes et je sais quand appeler à l'aide."),)),
        StrengthNote("tricot", 20, "interest", "Le tricot.", theme="creative_expression",
                     rewordings=((350, "Le tricot : mes tuques gardent du monde au chaud."),)),
        StrengthNote("emilie", 20, "people", "Émilie, ma fille, même de loin.", member="emilie"),
        StrengthNote("tablee", 105, "skill", "Je sais nourrir une tablée de vingt personnes.",
                     theme="volunteering",
                     rewordings=((240, ("Je sais nourrir une tablée de vingt personnes, et on me"
                                       " le demande.")),)),
        StrengthNote("ginette", 195, "people", "Ginette, mon amie de la cuisine collective.",
                     member="ginette"),
    ),
    goals=(
        GoalStory(25, "Sortir de chez nous au moins trois fois par semaine",
                  themes=("loneliness",), actions=(
                      Act(25, "Appeler la cuisine collective pour m'inscrire", "person", due=60,
                          done=95),
                      Act(25, "Apporter la liste des activités du centre communautaire",
                          "practitioner", who_name="Julie", due=40, done=38, by=PRACTITIONER)),
                  progress=((110, 50), (200, 90)), status=((205, "achieved"),)),
        GoalStory(200, "Prendre soin de mon genou", themes=("pain", "physical_health"),
                  by=PRACTITIONER, actions=(
                      Act(200, "Prendre rendez-vous en physiothérapie au CLSC", "practitioner",
                          who_name="Julie", due=230, done=228, by=PRACTITIONER),
                      Act(200, "Faire mes exercices tous les matins", "person"),
                      Act(290, "Demander le transport adapté pour mes rendez-vous", "person",
                          due=330, done=335)),
                  progress=((290, 30), (355, 35))),
        GoalStory(292, "Tricoter 50 tuques pour le comptoir vestimentaire",
                  themes=("creative_expression", "volunteering"), strengths=("tricot",),
                  target=400, actions=(
                      Act(292, "Demander de la laine en don à la paroisse", "person", due=320,
                          done=310),
                      Act(292, "Livrer les 20 premières tuques", "person", due=380)),
                  progress=((355, 45),)),
    ),
)
