"""The projector as its own process, for the benchmark: the same follower as the real
projector (one runner per application over `all_projections()`), as the projector role,
at the same lowered CPU priority as `barometre projector` (BAROMETRE_PROJECTOR_NICE, ADR 17).

    python bench/projector_child.py --conninfo "<projector conninfo>" [--poll 0.2]
                                    [--profile OUT.pstats]

Stops on SIGTERM or SIGINT (joins the followers). With --profile, every thread runs
under its own cProfile and the merged statistics are written to OUT.pstats at exit."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.platform import all_projections, event_mapper
from infra.projector import ApplicationFollower, application_runners
from infra.projector_process import yield_cpu_to_requests
from infra.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conninfo", default=os.environ.get("BENCH_PROJECTOR_CONNINFO"))
    parser.add_argument("--poll", type=float, default=0.2)
    parser.add_argument("--profile", default=None, help="write merged cProfile stats here")
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
