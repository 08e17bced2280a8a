"""Access to a person's record: who asks (`Actor`), what they were granted (`Grant`) and the
policy that decides (`policy`); pure, so the whole rule is tested as a table of cases."""
