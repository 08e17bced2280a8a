"""Everything that touches the outside world: settings, databases, HTTP, Celery, CLI."""
