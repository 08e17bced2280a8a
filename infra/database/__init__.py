"""PostgreSQL: connection parameters, roles, migrations."""
