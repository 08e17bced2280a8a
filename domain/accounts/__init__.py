"""Organizations (tenants) and the accounts of the people who use the platform."""
