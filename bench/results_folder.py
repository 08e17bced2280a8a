"""Where every benchmark writes its JSON reports: var/bench/results/, out of git.

A report is one machine's measurement at one moment, not source: `.gitignore` ignores `var/`,
and bench/README.md quotes the figures worth keeping, with their date and command."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "var" / "bench" / "results"


def in_results(name: str) -> Path:
    """RESULTS/`name`, its folder made if need be."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / name


def report_path(script: str, chosen: str | None = None) -> Path:
    """`chosen` if given (its folder made), else RESULTS/<script>-<local date and time>.json."""
    if not chosen:
        return in_results(f"{script}-{datetime.now():%Y-%m-%dT%H%M%S}.json")
    path = Path(chosen)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
