"""Read models of the social network (ecomap) tab."""
