"""The social network (ecomap) tab: the people around the person and how each relationship goes."""
