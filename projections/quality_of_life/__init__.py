"""Read models of the quality-of-life tab."""
