"""Read models of consent: current grants and access requests; and the access log's queries."""
