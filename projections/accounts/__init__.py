"""Read models of accounts: the directory of an organization's people."""
