"""The one door to a person's record (ADR 44 names the files; read them in this order):

- domain/access/policy.py: who may do what on which tab (pure, no database);
- infra/access/door.py: `Door.admit(actor, person, tab, action, asked) -> Ticket`, from kept,
  early or fresh inputs (infra/access/inputs.py);
- infra/access/ticket.py: the ticket, whose first read or save writes the access-log row
  after checking its inputs are current, and the one policy for a ticket found stale.
"""

from infra.access.door import Door
from infra.access.ticket import Asked, Ticket

__all__ = ["Asked", "Door", "Ticket"]
