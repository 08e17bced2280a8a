"""Read models across the four tabs of a person's record: the timeline."""
