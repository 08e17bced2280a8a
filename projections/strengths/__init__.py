"""Read models of the strengths tab."""
