"""The French demo organization: two practitioners and the persons who work with them."""

from infra.demo.stories.fr_karim import KARIM
from infra.demo.stories.fr_marie import MARIE
from infra.demo.stories.fr_nathalie import NATHALIE
from infra.demo.stories.fr_thomas import THOMAS
from infra.demo.story import OrgStory

FRANCE = OrgStory(
    slug="demo-fr", name="Association de démonstration (France)", region="fr",
    zone="Europe/Paris",
    practitioners=(("intervenant", "Camille Martin"), ("sebastien", "Sébastien Roux")),
    persons=(MARIE, KARIM, NATHALIE, THOMAS),
)
