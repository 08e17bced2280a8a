"""The projector's commit times, as `bench/projector_child.py --commits` writes them: the
projection lag of `qol_throughput.py`'s commands."""

from __future__ import annotations

import asyncio
import bisect
from pathlib import Path


class CommitLog:
    """When the projector committed each batch of quality-of-life events, read from the file
    that `bench/projector_child.py --commits` appends to (time, last notification id): a
    command's lag is the first commit at or past its notification id, less the moment its
    answer arrived (both `time.perf_counter()`, CLOCK_MONOTONIC in every process).

    The file is read only after the load, every `interval` seconds until the projections
    reach `target`. (Earlier sessions polled projection_tracking every 5 ms during the load:
    200 queries a second, about 3 % of the machine taken from the system under test, and a
    lag known only to within the interval.)"""

    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval
        self.times: list[float] = []
        self.positions: list[int] = []
        self.partial = 0  # commits of a batch that did not apply all of the runner's projections
        self.polls = 0
        self.target: int | None = None
        self.stopping = False
        self._read = 0

    @property
    def position(self) -> int:
        return self.positions[-1] if self.positions else 0

    def _read_new(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            f.seek(self._read)
            data = f.read()
        complete = data[:data.rfind(b"\n") + 1]
        self._read += len(complete)
        for line in complete.decode().splitlines():
            at, position, applied, projections = line.split()
            if applied != projections:
                self.partial += 1
                continue
            if int(position) > self.position:
                self.times.append(float(at))
                self.positions.append(int(position))

    async def run(self) -> None:
        while True:
            self._read_new()
            self.polls += 1
            if self.stopping and self.target is not None and self.position >= self.target:
                return
            await asyncio.sleep(self.interval)

    def first_seen(self, notification_id: int) -> float | None:
        i = bisect.bisect_left(self.positions, notification_id)
        return self.times[i] if i < len(self.positions) else None
