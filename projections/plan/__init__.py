"""Read models of the accomplishment plan."""
