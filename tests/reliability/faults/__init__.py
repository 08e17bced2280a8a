"""The fault suite: real servers and processes killed under load (issue 13, deliverable 11)."""
