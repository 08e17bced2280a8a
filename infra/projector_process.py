"""The projector process: one supervised follower thread for every application."""

from __future__ import annotations

import logging
import os
import threading

from infra.platform import Servers, all_projections, event_mapper
from infra.projector import ApplicationFollower, application_runners
from infra.settings import Settings
from projections.framework import Projection

log = logging.getLogger("barometre.projector")


def projection_named(name: str) -> Projection:
    """The projection called name; a ValueError naming the known ones otherwise."""
    projections = {p.name: p for p in all_projections()}
    if name not in projections:
        known = ", ".join(sorted(projections))
        raise ValueError(f"projection inconnue (unknown projection) {name!r}; connues (known): {known}")
    return projections[name]


def yield_cpu_to_requests(niceness: int) -> None:
    """Lowers this process's CPU priority by `niceness` (0: unchanged). For the projector's own
    process only: on a busy machine the web then gets the cores first, and the projector
    catches up in the gaps (ADR 17)."""
    if niceness > 0:
        os.nice(niceness)


def _follower(conninfo: str, stop_event: threading.Event) -> ApplicationFollower:
    follower = ApplicationFollower(conninfo, "all", application_runners(all_projections(),
                                                                        event_mapper()), stop_event)
    follower.start()
    return follower


def run_projector(servers: Servers, stop_event: threading.Event,
                  settings: Settings | None = None, check_every: float = 1.0) -> None:
    """Follows every application until stop_event is set, restarting the follower if it died."""
    conninfo = servers.projector_db(settings).conninfo()
    follower = _follower(conninfo, stop_event)
    log.info("projector following %s", ", ".join(sorted({p.application for p in all_projections()})))
    while not stop_event.wait(check_every):
        # The follower survives database errors itself; dying means a bug, so restart it
        # rather than let the read models silently stop moving.
        if not follower.is_alive():
            log.error("the projector's follower stopped; restarting it")
            follower = _follower(conninfo, stop_event)
    follower.join(timeout=10)
