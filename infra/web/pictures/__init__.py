"""The pictures of the record's tabs, drawn on the server as SVG strings (ADR 40)."""
