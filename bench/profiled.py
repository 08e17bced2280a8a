"""cProfile across threads, for the benchmark's child processes (Python 3.11: per thread).

    python bench/profiled.py OUT_PREFIX web
        runs `infra.web` (uvicorn) with the event-loop thread profiled into
        OUT_PREFIX-loop.pstats and every call sent to a worker thread
        (anyio.to_thread.run_sync: the synchronous services) into OUT_PREFIX-threads.pstats.

`profile_all_threads()` is used by bench/projector_child.py: every thread started
afterwards runs under its own profiler; `dump(path)` merges them."""

from __future__ import annotations

import cProfile
import pstats
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class ThreadProfiles:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done: list[cProfile.Profile] = []
        self.main = cProfile.Profile()

    def add(self, profile: cProfile.Profile) -> None:
        with self.lock:
            self.done.append(profile)

    def dump(self, path: str, include_main: bool = True) -> None:
        self.main.disable()
        with self.lock:
            profiles = list(self.done)
        if include_main:
            profiles.append(self.main)
        stats: pstats.Stats | None = None
        for profile in profiles:
            try:
                stats = pstats.Stats(profile) if stats is None else stats.add(profile)
            except TypeError:  # a profile that recorded nothing
                continue
        if stats is not None:
            stats.dump_stats(path)


def profile_all_threads() -> ThreadProfiles:
    """Profiles the calling thread and every thread started from now on (until it ends)."""
    profiles = ThreadProfiles()
    original = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def bootstrap(self: threading.Thread) -> None:
        profile = cProfile.Profile()
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()
            profiles.add(profile)

    threading.Thread._bootstrap_inner = bootstrap  # type: ignore[attr-defined]
    profiles.main.enable()
    return profiles


def profile_worker_calls() -> ThreadProfiles:
    """Profiles each call run through anyio.to_thread.run_sync (one profiler per thread,
    enabled only around the call), and the calling (event-loop) thread as `main`."""
    import anyio.to_thread

    profiles = ThreadProfiles()
    local = threading.local()
    original = anyio.to_thread.run_sync

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            profile = getattr(local, "profile", None)
            if profile is None:
                profile = local.profile = cProfile.Profile()
                profiles.add(profile)
            profile.enable()
            try:
                return fn(*args)
            finally:
                profile.disable()
        return call

    async def run_sync(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await original(wrap(fn), *args, **kwargs)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    profiles.main.enable()
    return profiles


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] != "web":
        print(__doc__, file=sys.stderr)
        return 2
    prefix = argv[0]
    # uvicorn shuts down gracefully on SIGTERM, restores the previous handler and raises the
    # signal again; this handler turns it into SystemExit so the statistics get written.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    profiles = profile_worker_calls()
    from infra.web.server import serve
    try:
        return serve()
    finally:
        profiles.main.disable()
        profiles.dump(prefix + "-threads.pstats", include_main=False)
        pstats.Stats(profiles.main).dump_stats(prefix + "-loop.pstats")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
