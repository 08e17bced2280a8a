"""The quality-of-life tab: assessments of 55 themes in 5 spheres, rated over time."""
