"""The demo organizations: one in Québec (fr-CA), one in France (fr-FR)."""

from infra.demo.stories.france import FRANCE
from infra.demo.stories.quebec import QUEBEC

ORGANIZATIONS = (QUEBEC, FRANCE)
