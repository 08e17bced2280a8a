"""Consent: the person decides who may read or co-edit which tabs of their record."""
