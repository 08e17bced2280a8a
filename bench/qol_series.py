"""Runs bench/qol_throughput.py several times in a row and summarises the series.

    /work/venv/bin/python bench/qol_series.py --runs 5 -- --assessments 200 --clients 8

On a shared machine whose speed drifts (see `machine.python_loop_10m_s` in each report), one
run's ratio can move by a third either way; the median of a series, each run measuring the
end-to-end path and its baselines back to back, is the figure to quote. Every run keeps its
own JSON report in var/bench/results/; this prints one line per run and the medians."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from results_folder import in_results

BENCH = Path(__file__).resolve().parent


def one_run(extra: list[str], index: int, folder: Path) -> dict[str, Any]:
    report = folder / f"run-{index}.json"
    done = subprocess.run([sys.executable, str(BENCH / "qol_throughput.py"), *extra,
                           "--json", str(report)], check=False, capture_output=True, text=True)
    if done.returncode != 0 or not report.exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        raise SystemExit(f"run {index} failed (exit {done.returncode}): {' / '.join(tail)}")
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    kept = in_results(f"qol_throughput-{data['date'][:19].replace(':', '')}.json")
    kept.write_text(report.read_text(encoding="utf-8"), encoding="utf-8")
    data["kept_as"] = kept.name
    return data


def line(data: dict[str, Any]) -> str:
    e2e, bare = data["end_to_end"], data["baselines"]
    cpu = data["cpu_ms_per_assessment"]
    total = sum(cpu[k] for k in ("end_to_end_web", "end_to_end_http_clients",
                                 "end_to_end_postgres_during_load", "projector_until_caught_up"))
    return (f"{data['kept_as']:<40} loop {data['machine']['python_loop_10m_s']:.3f} s"
            f"  end to end {e2e['events_per_s']:>7,.0f}  bare {bare['bare_library']['events_per_s']:>7,.0f}"
            f" ({data['ratios']['end_to_end_over_bare_library']:.2f})"
            f"  tiny {bare['bare_library_tiny']['events_per_s']:>7,.0f}"
            f" ({data['ratios']['end_to_end_over_bare_tiny']:.2f})"
            f"  lag p99 {data['projection_lag']['p99_ms']:>6.1f} ms  CPU {total:.1f} ms/assessment")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs in the series (default 5)")
    parser.add_argument("extra", nargs="*", help="arguments for qol_throughput.py (after --)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for index in range(1, args.runs + 1):
            runs.append(one_run(args.extra, index, Path(folder)))
            print(line(runs[-1]), flush=True)

    def median(key: str) -> float:
        return statistics.median(r["ratios"][key] for r in runs)
    lags = [r["projection_lag"]["p99_ms"] for r in runs]
    same, tiny = median("end_to_end_over_bare_library"), median("end_to_end_over_bare_tiny")
    print(f"\nmedian of {len(runs)} runs: end to end / bare library {same:.2f}"
          f" (same events; target >= 1: {'met' if same >= 1 else 'NOT met'}),"
          f" / tiny aggregate {tiny:.2f}; projection lag p99 {min(lags):.0f}-{max(lags):.0f} ms"
          f" (target < 500: {'met' if max(lags) < 500 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
