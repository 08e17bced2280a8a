"""The fault drill: the fault suite's platform under a longer load, with more kills, reported.

    .venv/bin/python scripts/fault_drill.py --rounds 3 --writers 4

Private PostgreSQL and Redis (never the machine's), real web, projector and worker processes.
Each round kills every kind in turn (projector, worker, web: kill -9; PostgreSQL: immediate
shutdown then start; Redis: kill -9 then start empty) while writers send keyed commands;
then the same checks as tests/reliability/faults. Exit status 1 if any check broke."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from projections.quality_of_life.views import ThemeHistory
from tests.reliability.faults.drill import (
    Platform,
    broken,
    loaded,
    running_platform,
    unacceptable_answers,
    wait_for_acks,
)

FAULTS = ("projector", "worker", "web", "postgres", "redis")


def inflict(platform: Platform, fault: str, outage: float) -> None:
    if fault in ("projector", "worker", "web"):
        if fault == "worker":
            platform.send_rebuild(ThemeHistory.name)  # often mid-rebuild when killed
        platform.processes.kill(fault)
        platform.processes.start(fault)
    elif fault == "postgres":
        platform.private.postgres.crash()
        time.sleep(outage)
        platform.private.postgres.start()
    else:
        platform.private.redis.kill()
        time.sleep(outage)
        platform.private.redis.start()


def drill(args: argparse.Namespace) -> dict[str, object]:
    logs = Path(tempfile.mkdtemp(prefix="fault-drill-"))
    with running_platform(logs) as platform:
        tenant_id, writers = platform.writers(args.writers)
        faults: Counter[str] = Counter()
        stalls: list[str] = []
        started = time.monotonic()
        with loaded(platform.load(writers)) as load:
            last = "start"
            for _ in range(args.rounds):
                for fault in (*FAULTS, None):
                    try:
                        wait_for_acks(load, args.between, timeout=args.recovery)
                    except AssertionError as stall:  # recorded; the drill goes on
                        stalls.append(f"after {last}: {stall}"[:300])
                    if fault is None:
                        continue
                    inflict(platform, fault, args.outage)
                    faults[fault] += 1
                    last = f"{fault} #{faults[fault]}"
        seconds = time.monotonic() - started
        answers = Counter(f"{o.kind} {o.outcome}" for o in load.observations)
        slowest = max((o.elapsed for o in load.observations), default=0.0)
        return {
            "faults": dict(faults), "seconds": round(seconds, 1), "writers": args.writers,
            "commands_acknowledged": len(load.acknowledged()),
            "answers": dict(sorted(answers.items())), "slowest_answer_s": round(slowest, 2),
            "logs": str(logs),
            "broken": broken(
                stalls=stalls,
                answers=unacceptable_answers(load, web_killed=True),
                unresolved=[c.last_outcome[:120] for c in load.unresolved()],
                stored=platform.stored_problems(tenant_id, writers, load),
                views=platform.views_differing_from_rebuild(tenant_id)),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="kills of each kind (default 3)")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writers (default 4)")
    parser.add_argument("--between", type=int, default=20,
                        help="commands acknowledged between two faults (default 20)")
    parser.add_argument("--outage", type=float, default=3.0,
                        help="seconds PostgreSQL or Redis stays down (default 3)")
    parser.add_argument("--recovery", type=float, default=60.0,
                        help="seconds allowed to acknowledge --between commands (default 60)")
    report = drill(parser.parse_args())
    print(json.dumps(report, indent=2, default=str))
    return 1 if report["broken"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
