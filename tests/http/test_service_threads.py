"""Synchronous services run in a bounded number of worker threads (ADR 17): requests beyond
that wait on the event loop, without a thread, and all of them are served."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from infra.http.app import create_app
from infra.settings import get_settings
from tests.http.conftest import logged_in, serving


class Overlap:
    """Counts how many calls of a wrapped method run at the same time."""

    def __init__(self, method: Any) -> None:
        self.method, self.lock, self.now, self.most = method, threading.Lock(), 0, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(0.2)  # long enough for every request of the burst to arrive meanwhile
            return self.method(*args, **kwargs)
        finally:
            with self.lock:
                self.now -= 1


def burst_of_openings(servers, write_side, org, monkeypatch, threads: int) -> tuple[int, list[int]]:
    overlap = Overlap(write_side.quality_of_life.open_assessment)
    monkeypatch.setattr(write_side.quality_of_life, "open_assessment", overlap)
    settings = replace(get_settings(), service_threads=threads)
    persons = [org.open("person") for _ in range(8)]
    with serving(create_app(servers, settings, write_side=write_side)) as url:
        clients = [logged_in(url, org, p.login) for p in persons]
        with ThreadPoolExecutor(len(clients)) as pool:
            statuses = list(pool.map(
                lambda pc: pc[1].post(f"/persons/{pc[0].user_id}/assessments").status_code,
                zip(persons, clients, strict=True)))
        for client in clients:
            client.close()
    return overlap.most, statuses


def test_no_more_services_run_at_once_than_the_service_threads(
        servers, write_side, projector, org, monkeypatch) -> None:
    most, statuses = burst_of_openings(servers, write_side, org, monkeypatch, threads=2)
    assert statuses == [201] * 8
    assert most == 2


# The control: the same burst does overlap when threads allow it, so the bound above is the
# setting's doing and not the burst's.
def test_with_more_threads_the_same_burst_runs_side_by_side(
        servers, write_side, projector, org, monkeypatch) -> None:
    most, statuses = burst_of_openings(servers, write_side, org, monkeypatch, threads=8)
    assert statuses == [201] * 8
    assert most > 2
