"""Medians of alternated qol_throughput runs of two versions of the code.

    python bench/ab_summary.py var/bench/results/ab/adr23-

takes every `<prefix>*-<version>-<n>.json` report (written by `qol_throughput.py --json`)
and prints, per version, the median ratio to the bare library, the CPU per assessment of the
end-to-end path (web, load generator, PostgreSQL during the load, projector) and that CPU over
the bare library's own CPU per assessment in the same run, which moves less with the
machine's speed than wall-clock ratios. How the runs were made (two work trees, alternated):

    git worktree add /tmp/base <old commit>
    for r in 1 2 3 4; do for v in base new; do
      (cd $([ $v = base ] && echo /tmp/base || echo .) && python bench/qol_throughput.py \\
        --assessments 300 --clients 8 --json <prefix>$v-$r.json); done; done"""

from __future__ import annotations

import glob
import json
import re
import statistics
import sys

from results_folder import RESULTS


def main(prefix: str) -> None:
    runs: dict[str, list[tuple[float, float, float]]] = {}
    for path in sorted(glob.glob(prefix + "*.json")):
        found = re.search(r"-(\w+)-\d+\.json$", path)
        if not found:
            continue
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        cpu = report["cpu_ms_per_assessment"]
        e2e = (cpu["end_to_end_web"] + cpu["end_to_end_http_clients"]
               + cpu["end_to_end_postgres_during_load"] + cpu["projector_until_caught_up"])
        runs.setdefault(found.group(1), []).append(
            (report["ratios"]["end_to_end_over_bare_library"], e2e,
             e2e / cpu["bare_library_process"]))
    for version, rows in runs.items():
        ratio, e2e, relative = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"{version:<6} runs {len(rows)}  ratio to the bare library: median {ratio:.2f}"
              f" {sorted(round(r[0], 2) for r in rows)}  CPU ms/assessment {e2e:.1f}"
              f"  over the bare library's {relative:.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(RESULTS / "ab") + "/")
