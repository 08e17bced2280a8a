"""The web pages: server-rendered Jinja templates enhanced by htmx, beside the JSON API, through
the same consent guard (ADR 38); in fr-CA, fr-FR and en (ADR 39). `server` runs the process."""
