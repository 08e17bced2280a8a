"""The report of bench/qol_throughput.py: CPU per assessment, and the text printed at the end
of a run (also kept in its JSON report)."""

from __future__ import annotations

from typing import Any

from baselines import EVENTS_PER_ASSESSMENT
from harness import CpuMark, cpu_between


def cpu_per_assessment(n: int, start: CpuMark, loaded: CpuMark, drained: CpuMark,
                       bare: dict[str, Any], tiny: dict[str, Any],
                       raw: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds per assessment: steadier than wall time on a shared machine."""
    load = cpu_between(start, loaded)["cpu_s"]
    whole = cpu_between(start, drained)["cpu_s"]

    def per(seconds: float) -> float:
        return round(1000 * seconds / n, 2)
    return {
        "end_to_end_web": per(load["web"]),
        "end_to_end_http_clients": per(load["bench"]),
        "end_to_end_postgres_during_load": per(load["postgres_backends"]),
        "projector_until_caught_up": per(whole["projector"]),
        "postgres_until_caught_up": per(whole["postgres_backends"]),
        "bare_library_process": per(bare["cpu_s"]["bench"]),
        "bare_library_postgres": per(bare["cpu_s"]["postgres_backends"]),
        "bare_tiny_process": per(tiny["cpu_s"]["bench"]),
        "bare_tiny_postgres": per(tiny["cpu_s"]["postgres_backends"]),
        "raw_asyncpg_process": per(raw["cpu_s"]["bench"]),
        "raw_asyncpg_postgres": per(raw["cpu_s"]["postgres_backends"]),
    }


def fmt(value: Any, width: int = 9) -> str:
    if value is None:
        return "-".rjust(width)
    if isinstance(value, float):
        return f"{value:,.1f}".rjust(width) if abs(value) >= 100 else f"{value:.2f}".rjust(width)
    return str(value).rjust(width)


def render(report: dict[str, Any]) -> str:
    e2e, lag = report["end_to_end"], report["projection_lag"]
    baselines = report["baselines"]
    bare, tiny, raw = (baselines["bare_library"], baselines["bare_library_tiny"],
                       baselines["raw_asyncpg"])
    lines = [
        "Baromètre — quality-of-life write path throughput",
        f"command:  {report['command']}",
        (f"date:     {report['date']}   machine: {report['machine']['cores']} cores, "
        f"{report['machine']['platform']}, Python {report['machine']['python']};"
        f" 10M-step Python loop {report['machine'].get('python_loop_10m_s')} s"),
        (f"servers:  {report['servers']['mode']} PostgreSQL {report['servers']['postgres']}, "
        f"Redis {report['servers']['redis']}; database {report['servers']['database']}"),
        (f"setup:    1 organization (one tenant) for all clients, {report['clients']} practitioners,"
        f" {report['assessments']} persons ({report['setup_s']:.1f} s, not timed;"
        f" passwords: {report['setup_password_hashing']})"),
        "",
        (f"End to end: {report['assessments']} assessments x {EVENTS_PER_ASSESSMENT} events,"
        f" {report['clients']} concurrent HTTP clients ({report['http_client']})"
        + (", an Idempotency-Key on every command" if report.get("idempotency_keys") else "")),
        (f"  wall {e2e['wall_s']:.2f} s   {e2e['assessments_per_s']:.2f} assessments/s   "
        f"{e2e['events_per_s']:,.0f} events/s   {e2e['requests_per_s']:.1f} requests/s   "
        f"errors {len(e2e['errors'])}"),
        f"  {'request':<10}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}",
    ]
    for kind, s in e2e["latency"].items():
        lines.append(f"  {kind:<10}{s['count']:>7}{fmt(s['p50_ms'])}{fmt(s['p99_ms'])}"
                     f"{fmt(s['mean_ms'])}{fmt(s['max_ms'])}")
    lines += [
        (f"  projection lag (all QoL projections and the timeline), per command: p50"
        f" {fmt(lag['p50_ms'], 0)} ms, p99 {fmt(lag['p99_ms'], 0)} ms, max {fmt(lag['max_ms'], 0)}"
        f" ms ({lag['count']} commands, {lag['unseen']} unseen; from the projector's"
        f" {lag['commits']} commit times, {lag['partial_commits']} partial)"),
        (f"  projections caught up {lag['drain_after_last_response_s']} s after the last response"
        f" -> {fmt(lag['events_per_s_through_projections'], 0)} events/s written and projected"),
        "  peak RSS MiB: " + ", ".join(f"{k} {v}" for k, v in report["peak_rss_mib"].items()),
        "  CPU s during the load: " + ", ".join(
            f"{k} {v}" for k, v in report["cpu_during_load"]["cpu_s"].items())
        + f"; machine busy {report['cpu_during_load']['machine_busy_pct']}% of"
          f" {report['machine']['cores']} cores, other processes"
          f" {report['cpu_during_load']['other_processes_cpu_s']} s",
        f"  CPU s after the load, until projected ({report['cpu_during_drain']['wall_s']} s): "
        + ", ".join(f"{k} {v}" for k, v in report["cpu_during_drain"]["cpu_s"].items())
        + f"; machine busy {report['cpu_during_drain']['machine_busy_pct']}%",
        (f"  stored: {e2e['check']['events_stored']} events (expected"
        f" {e2e['check']['expected_events']}), mean state {e2e['check']['mean_state_bytes']} B,"
        f" completed in read model {e2e['check']['completed_in_read_model']}"),
        "",
        (f"Baselines: same database, same {report['assessments'] * EVENTS_PER_ASSESSMENT} events"
        f" in the same 3 transactions per assessment, {report['clients']} threads/connections;"
        f" bare library: the domain's Assessment (mean state {bare['mean_state_bytes']} B), and a"
        f" tiny aggregate of the earlier sessions ({tiny['mean_state_bytes']} B)"),
        (f"  {'path':<26}{'wall s':>8}{'events/s':>10}{'txn p50/p99 ms: open':>22}"
        f"{'ratings':>16}{'complete':>16}"),
    ]

    def row(name: str, r: dict[str, Any], tx: dict[str, Any]) -> str:
        cells = "".join(f"{fmt(tx[k]['p50_ms'], 7)}/{fmt(tx[k]['p99_ms'], 0):<8}"
                        for k in ("open", "ratings", "complete"))
        return f"  {name:<26}{r['wall_s']:>8.2f}{r['events_per_s']:>10,.0f}      {cells}"
    lines.append(row("end to end (HTTP)", e2e, e2e["latency"]))
    lines.append(row("bare eventsourcing", bare, bare["transactions"]))
    lines.append(row("  tiny aggregate", tiny, tiny["transactions"]))
    lines.append(row("raw asyncpg executemany", raw, raw["transactions"]))
    for name, b in (("bare eventsourcing", bare), ("its tiny aggregate", tiny),
                    ("raw asyncpg", raw)):
        cpu = b["cpu"]
        lines.append(f"  CPU s during {name}: bench process {cpu['cpu_s']['bench']},"
                     f" postgres_backends {cpu['cpu_s']['postgres_backends']};"
                     f" machine busy {cpu['machine_busy_pct']}%, other processes"
                     f" {cpu['other_processes_cpu_s']} s")
    k = report["cpu_ms_per_assessment"]
    lines += [
        "  CPU ms per assessment (steadier than wall time on a shared machine):",
        (f"    end to end: web {k['end_to_end_web']}, HTTP clients {k['end_to_end_http_clients']},"
        f" postgres {k['end_to_end_postgres_during_load']} (during the load, incl. the"
        f" projector's queries); projector {k['projector_until_caught_up']} + postgres"
        f" {k['postgres_until_caught_up']} until caught up"),
        (f"    bare library: process {k['bare_library_process']}, postgres"
        f" {k['bare_library_postgres']} (tiny aggregate: {k['bare_tiny_process']},"
        f" {k['bare_tiny_postgres']});  raw asyncpg: process {k['raw_asyncpg_process']},"
        f" postgres {k['raw_asyncpg_postgres']}"),
    ]
    r = report["ratios"]
    t = report["targets"]
    lines += [
        (f"  ratios: end-to-end / bare library = {r['end_to_end_over_bare_library']:.2f}"
        f" (/ its tiny aggregate = {r['end_to_end_over_bare_tiny']:.2f}),"
        f" end-to-end / asyncpg = {r['end_to_end_over_asyncpg']:.3f},"
        f" bare library / asyncpg = {r['bare_library_over_asyncpg']:.3f}"),
        "",
        "Targets (reported, not asserted):",
        f"  end-to-end events/s >= bare library's: {t['events_per_s_at_least_bare_library']}",
        f"    (against the tiny aggregate's:       {t['events_per_s_at_least_bare_tiny']})",
        f"  projection lag p99 < 500 ms:          {t['lag_p99_under_500_ms']}",
    ]
    if report.get("profile_dir"):
        lines.append(f"  (PROFILED RUN: figures include cProfile overhead; stats in "
                     f"{report['profile_dir']})")
    return "\n".join(lines)
