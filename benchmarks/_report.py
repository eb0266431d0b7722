"""The machine a run was measured on, and the Markdown tables a run prints."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from _stats import Ratio, Summary, median

GOAL_P50 = 1.10
GOAL_P95 = 1.25
GOAL_STARTUP_S = 2.0
GOAL_RSS_MB = 120.0
MIB = 1024 * 1024


def _lscpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "unknown"
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _mem_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict[str, Any]:
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": _lscpu_model(),
        "memory_gib": round(_mem_total_gib(), 1),
        "python": platform.python_version(),
        "synapse": metadata.version("matrix-synapse"),
        "matrix_nio": metadata.version("matrix-nio"),
        "kernel": platform.release(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "working_tree_changed": bool(_git("status", "--porcelain", "--", "bot", "handlers")),
        "load_average_at_start": os.getloadavg(),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _ratio(r: Ratio, goal: float) -> str:
    mark = "✓" if r.value <= goal else "✗"
    return f"{r.value:.2f}× ({r.low:.2f}–{r.high:.2f}) {mark}"


def roundtrip_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| room | citizens | command | samples | lost | p50 ms | p95 ms | bot's share p50 / p95 ms "
        "| bot CPU ms/command | "
        f"p50 ÷ echo (95 % CI), goal ≤ {GOAL_P50:.2f} | "
        f"p95 ÷ echo (95 % CI), goal ≤ {GOAL_P95:.2f} |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        s: Summary = row["summary"]
        p50 = _ratio(row["p50_ratio"], GOAL_P50) if row.get("p50_ratio") else "baseline"
        p95 = _ratio(row["p95_ratio"], GOAL_P95) if row.get("p95_ratio") else "baseline"
        lines.append(f"| {row['room']} | {row['citizens']} | `{row['text']}` | {s.n} | "
                     f"{row['lost']} | {_ms(s.p50)} | {_ms(s.p95)} | "
                     f"{row['bot'].p50 * 1000:.0f} / {row['bot'].p95 * 1000:.0f} | "
                     f"{row['cpu_ms_per_command']:.1f} | {p50} | {p95} |")
    return "\n".join(lines)


def _pair_ratio(a: list[float], b: list[float]) -> float:
    """Median of the run-by-run ratios (the runs alternate, so each pair saw the same load)."""
    return median([x / y for x, y in zip(a, b, strict=False) if y])


def startup_table(startup: dict[str, dict[str, list[float]]], rooms: int) -> str:
    lines = [
        "| bot | runs | process start → first sync handled (median) | min–max | "
        "÷ echo bot (median of pairs) | as the bot reports it (median) | "
        "→ scheduler started (median) | RSS after the first sync (median) |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    echo = startup.get("echo bot", {}).get("wall_s", [])
    for name, runs in startup.items():
        wall = runs["wall_s"]
        scheduled = runs.get("scheduler_s") or []
        vs = "baseline" if name == "echo bot" else f"{_pair_ratio(wall, echo):.2f}×"
        lines.append(
            f"| {name} ({rooms} joined rooms) | {len(wall)} | {median(wall):.2f} s | "
            f"{min(wall):.2f}–{max(wall):.2f} s | {vs} | {median(runs['reported_s']):.2f} s | "
            f"{f'{median(scheduled):.2f} s' if scheduled else '–'} | "
            f"{median(runs['rss_bytes']) / MIB:.0f} MiB |")
    return "\n".join(lines)


def startup_jobs_table(startup: dict[str, dict[str, list[float]]],
                       with_jobs: list[dict[str, Any]]) -> str:
    """salonbot's start-up without and with pending jobs, each against the echo bot's starts
    in the same batch (they alternate)."""
    lines = [
        "| pending scheduled jobs | runs | salonbot → first sync (median) | echo bot (median) "
        "| ÷ echo (median of pairs) | first sync − without jobs | salonbot → scheduler started "
        "(median) | scheduler started − without jobs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = startup["salonbot"]
    base_wall, base_sched = median(base["wall_s"]), median(base.get("scheduler_s") or [])
    batches = [("none", startup)] + [
        (f"{j['count']:,} due {'in 10–14 min (a timer each)' if j['soon'] else 'in 1 h–30 days'}",
         j["startup"]) for j in with_jobs]
    for label, runs in batches:
        ours, echo = runs["salonbot"], runs["echo bot"]
        wall, sched = median(ours["wall_s"]), median(ours.get("scheduler_s") or [])
        lines.append(
            f"| {label} | {len(ours['wall_s'])} | {wall:.2f} s | {median(echo['wall_s']):.2f} s "
            f"| {_pair_ratio(ours['wall_s'], echo['wall_s']):.2f}× | "
            f"{'–' if runs is startup else f'{wall - base_wall:+.2f} s'} | {sched:.2f} s | "
            f"{'–' if runs is startup else f'{sched - base_sched:+.2f} s'} |")
    return "\n".join(lines)


def memory_table(memory: dict[str, dict[str, Any]], salons: int) -> str:
    lines = [
        "| bot | samples | RSS median | RSS max of samples | peak (VmHWM) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, m in memory.items():
        samples = m["rss_bytes"]
        lines.append(f"| {name} ({salons} salons) | {len(samples)} | "
                     f"{median(samples) / MIB:.0f} MiB | {max(samples) / MIB:.0f} MiB | "
                     f"{m['peak_bytes'] / MIB:.0f} MiB |")
    return "\n".join(lines)


def goals_table(rows: list[dict[str, Any]], startup_s: float, rss_mib: float,
                peak_mib: float, rooms: int, salons: int) -> str:
    lines = ["| goal | measured | met |", "|---|---|---|"]
    for row in rows:
        if not row.get("p50_ratio"):
            continue
        where = f"{row['room']}, {row['citizens']} citizen{'s' if row['citizens'] > 1 else ''}"
        for q, goal in (("p50", GOAL_P50), ("p95", GOAL_P95)):
            r: Ratio = row[f"{q}_ratio"]
            met = "yes" if r.high <= goal else "no" if r.low > goal else (
                "yes (CI straddles)" if r.value <= goal else "no (CI straddles)")
            lines.append(f"| `{row['text']}` {q} ≤ {goal:.2f}× echo ({where}) | "
                         f"{r.value:.2f}× ({r.low:.2f}–{r.high:.2f}) | {met} |")
    lines.append(f"| start → first sync < {GOAL_STARTUP_S:.0f} s with {rooms} joined rooms | "
                 f"{startup_s:.2f} s | {'yes' if startup_s < GOAL_STARTUP_S else 'no'} |")
    lines.append(f"| RSS < {GOAL_RSS_MB:.0f} MB with {salons} salons | "
                 f"{rss_mib * MIB / 1e6:.0f} MB median, {peak_mib * MIB / 1e6:.0f} MB peak | "
                 f"{'yes' if peak_mib * MIB / 1e6 < GOAL_RSS_MB else 'no'} |")
    return "\n".join(lines)


def machine_line(m: dict[str, Any]) -> str:
    changed = " + uncommitted changes" if m["working_tree_changed"] else ""
    return (f"{m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
            f"Python {m['python']}, Synapse {m['synapse']}, matrix-nio {m['matrix_nio']}, "
            f"salonbot {m['commit']}{changed}")
