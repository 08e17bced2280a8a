"""The projector as its own process, for the benchmark: the same follower as the real
projector (one runner per application over `all_projections()`), as the projector role,
at the same lowered CPU priority as `barometre projector` (BAROMETRE_PROJECTOR_NICE, ADR 17).

    python bench/projector_child.py --conninfo "<projector conninfo>" [--poll 0.2]
                                    [--profile OUT.pstats] [--commits PATH]

Stops on SIGTERM or SIGINT (joins the followers). With --profile, every thread runs
under its own cProfile and the merged statistics are written to OUT.pstats at exit. With
--commits, each committed batch of quality-of-life events appends a line to PATH:
`<time.perf_counter()> <last notification id> <projections applied> <projections of the
runner>` (perf_counter is CLOCK_MONOTONIC, the same clock in every process of the machine):
the benchmark measures projection lag from these instead of polling the database."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.platform import all_projections, event_mapper
from infra.projector import ApplicationFollower, ApplicationRunner, application_runners
from infra.projector_process import yield_cpu_to_requests
from infra.settings import get_settings

COMMITS_OF = "QualityOfLife"


def record_commits(runner: ApplicationRunner, path: str) -> None:
    """After each batch the runner commits, one line in `path` (see the module's doc)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    apply, run_batch = runner._apply, runner.run_batch
    last: dict[str, int] = {}

    def applying(cur: Any, projections: Any, positions: Any, items: Any, *more: Any) -> None:
        last["nid"], last["applied"] = items[-1].ctx.notification_id, len(projections)
        apply(cur, projections, positions, items, *more)

    def running(conn: Any) -> int:
        count = run_batch(conn)  # returns once its transaction has committed
        if count and last:
            os.write(fd, f"{time.perf_counter():.6f} {last['nid']} {last['applied']}"
                         f" {len(runner.projections)}\n".encode())
        last.clear()
        return count

    runner._apply, runner.run_batch = applying, running  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conninfo", default=os.environ.get("BENCH_PROJECTOR_CONNINFO"))
    parser.add_argument("--poll", type=float, default=0.2)
    parser.add_argument("--profile", default=None, help="write merged cProfile stats here")
    parser.add_argument("--commits", default=None,
                        help=f"append the commit time of each {COMMITS_OF} batch to this file")
    args = parser.parse_args(argv)
    if not args.conninfo:
        parser.error("--conninfo (or BENCH_PROJECTOR_CONNINFO) is required")

    profiles = None
    if args.profile:
        from profiled import profile_all_threads  # bench/profiled.py, next to this file
        profiles = profile_all_threads()

    yield_cpu_to_requests(get_settings().projector_nice)  # as `barometre projector` does
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    runners = application_runners(all_projections(), event_mapper())
    if args.commits:
        for runner in runners:
            if runner.application == COMMITS_OF:
                record_commits(runner, args.commits)
    followers = [ApplicationFollower(args.conninfo, "all", runners, stop, args.poll)]
    for follower in followers:
        follower.start()
    print(f"projector following {', '.join(sorted(r.application for r in runners))}", flush=True)
    while not stop.wait(0.5):
        pass
    # An idle follower wakes within a poll interval and sees the stop event; one catching up
    # on a backlog does not look at it, so do not wait long (the threads are daemons).
    deadline = time.monotonic() + 3
    for follower in followers:
        follower.join(timeout=max(0.0, deadline - time.monotonic()))
    if profiles is not None:
        profiles.dump(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
