"""Read models: one projection per view, and the asyncpg queries that read it."""
