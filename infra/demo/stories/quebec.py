"""The Québec demo organization: two practitioners and the persons who work with them."""

from infra.demo.stories.qc_jonathan import JONATHAN
from infra.demo.stories.qc_mamadou import MAMADOU
from infra.demo.stories.qc_marie import MARIE
from infra.demo.stories.qc_sylvie import SYLVIE
from infra.demo.story import OrgStory

QUEBEC = OrgStory(
    slug="demo-qc", name="Centre de démonstration (Québec)", region="qc",
    zone="America/Toronto",
    practitioners=(("intervenant", "Julie Tremblay"), ("kevin", "Kevin Bouchard")),
    persons=(MARIE, JONATHAN, SYLVIE, MAMADOU),
)
