"""The strengths tab: the person's own resources and those of their environment, in their words."""
