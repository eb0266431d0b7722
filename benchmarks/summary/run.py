"""Benchmark salonbot's summariser against sumy's LexRank and TextRank on the same inputs.

Quality: every discussion in data/ goes through all three methods; we report key-point recall
at 5 and 10, ROUGE-L F1 of the top five against the reference summary, and how many of the top
five are chatter. Speed: synthetic discussions of 1k, 10k and 100k messages made from the same
data, each method and size in its own subprocess so that peak RSS belongs to that run alone.

    .venv/bin/python benchmarks/summary/run.py            # full run (LexRank at 10k: minutes)
    .venv/bin/python benchmarks/summary/run.py --quick    # no 100k, no O(n²) baselines at 10k
    .venv/bin/python benchmarks/summary/run.py --explain  # also list salonbot's picks and misses
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parents[1]
DATA_DIR: Final = HERE / "data"
sys.path[:0] = [str(HERE), str(ROOT)]

import baselines  # noqa: E402
from metrics import off_target_at, recall_at, rouge_l  # noqa: E402

METHODS: Final = ("salonbot", "lexrank", "textrank")
LABELS: Final = {"salonbot": "salonbot", "lexrank": "LexRank", "textrank": "TextRank"}
LANG_ORDER: Final = ("da", "nb", "sv", "en", "mixed")
POINTS: Final = 10
SIZES: Final = (1_000, 10_000, 100_000)
QUADRATIC: Final = frozenset({"lexrank", "textrank"})
RECALL_GOAL: Final = 1.25
SPEED_GOAL: Final = 10.0
TIMING_LANGS: Final = ("da", "nb", "sv", "en")
WORKER_TIMEOUT: Final = 3 * 3600


# -- data --------------------------------------------------------------------------------


@dataclass
class Discussion:
    """One evaluation discussion: raw message rows (for sumy) and the gold annotation."""

    name: str
    path: Path
    rows: list[dict[str, Any]]
    gold: dict[str, Any]

    @property
    def language(self) -> str:
        return str(self.gold["language"])

    @property
    def languages(self) -> list[str]:
        return list(self.gold.get("languages") or [self.language])

    @property
    def gold_sets(self) -> dict[str, frozenset[str]]:
        return {kp["id"]: frozenset(kp["message_ids"]) for kp in self.gold["key_points"]}


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def load_discussions(data_dir: Path = DATA_DIR) -> list[Discussion]:
    """All discussions, ordered by language then size so tables read naturally."""
    found = []
    for path in sorted(data_dir.glob("*.jsonl")):
        gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text("utf-8"))
        found.append(Discussion(path.stem, path, read_rows(path), gold))
    return sorted(found, key=lambda d: (LANG_ORDER.index(d.language), -len(d.rows)))


def to_messages(module: ModuleType, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Rows to the summariser's Message objects, the way its own load_jsonl would."""
    return [
        module.Message(
            id=row["id"], author=row["author"], role=row["role"], text=row["text"],
            ts=datetime.fromisoformat(row["ts"]), reply_to=row.get("reply_to"),
            reactions=dict(row.get("reactions") or {}), item=row.get("item"),
        )
        for row in rows
    ]


# -- running the methods -------------------------------------------------------------------


Selections = list[list[str]]


@dataclass
class Picks:
    """What one method selected, best first: message ids per selection and display texts."""

    selections: Selections
    texts: list[str]
    seconds: float


def run_salonbot(module: ModuleType, messages: Sequence[Any], lang: str | None) -> Picks:
    start = time.perf_counter()
    summary = module.summarise(messages, lang=lang, points=POINTS)
    seconds = time.perf_counter() - start
    points = summary.key_points
    return Picks([list(p.message_ids) for p in points], [p.text for p in points], seconds)


def run_sumy(method: str, rows: Sequence[dict[str, Any]], langs: Sequence[str]) -> Picks:
    texts = [row["text"] for row in rows]
    start = time.perf_counter()
    order = baselines.rank(method, texts, langs, POINTS)
    seconds = time.perf_counter() - start
    return Picks([[rows[i]["id"]] for i in order], [texts[i] for i in order], seconds)


def import_summariser(name: str) -> ModuleType:
    return importlib.import_module(name)


# -- quality -------------------------------------------------------------------------------


@dataclass
class Score:
    recall5: float
    recall10: float
    strict5: float
    strict10: float
    rouge: float
    off_target5: float
    ids_per_point: float
    seconds: float
    picks: list[dict[str, Any]] = field(default_factory=list)
    missed10: list[str] = field(default_factory=list)


def score(picks: Picks, discussion: Discussion) -> Score:
    """All quality numbers for one method on one discussion, plus what it picked."""
    gold = discussion.gold_sets
    strict = [selection[:1] for selection in picks.selections]
    hit10: set[str] = set()
    shown = []
    for selection, text in zip(picks.selections[:POINTS], picks.texts[:POINTS], strict=True):
        hits = sorted(p for p, ids in gold.items() if set(selection) & ids)
        hit10.update(hits)
        shown.append({"text": text, "ids": selection[:3], "n_ids": len(selection), "hits": hits})
    n_ids = [len(s) for s in picks.selections[:POINTS]]
    return Score(
        recall5=recall_at(picks.selections, gold, 5),
        recall10=recall_at(picks.selections, gold, 10),
        strict5=recall_at(strict, gold, 5),
        strict10=recall_at(strict, gold, 10),
        rouge=rouge_l(" ".join(picks.texts[:5]), discussion.gold["reference_summary"]),
        off_target5=off_target_at(picks.selections, gold, 5),
        ids_per_point=statistics.mean(n_ids) if n_ids else 0.0,
        seconds=picks.seconds,
        picks=shown,
        missed10=sorted(set(gold) - hit10),
    )


def evaluate(module: ModuleType, discussions: Sequence[Discussion]) -> dict[str, dict[str, Score]]:
    """Scores per discussion per method; all methods see exactly the same messages."""
    results: dict[str, dict[str, Score]] = {}
    for d in discussions:
        messages = module.load_jsonl(d.path)
        results[d.name] = {"salonbot": score(run_salonbot(module, messages, d.languages[0]), d)}
        for method in ("lexrank", "textrank"):
            results[d.name][method] = score(run_sumy(method, d.rows, d.languages), d)
        print(f"  {d.name}: " + ", ".join(
            f"{LABELS[m]} R@5={results[d.name][m].recall5:.2f}" for m in METHODS
        ), file=sys.stderr)
    return results


def mean_of(scores: Sequence[Score], metric: str) -> float:
    return statistics.mean(getattr(s, metric) for s in scores) if scores else 0.0


def aggregate(
    results: dict[str, dict[str, Score]], discussions: Sequence[Discussion]
) -> dict[str, dict[str, dict[str, float]]]:
    """Macro averages (each discussion counts once) overall and per language."""
    groups: dict[str, list[str]] = {"all": [d.name for d in discussions]}
    for d in discussions:
        groups.setdefault(d.language, []).append(d.name)
    metrics = ("recall5", "recall10", "strict5", "strict10", "rouge", "off_target5",
               "ids_per_point")
    return {
        group: {
            method: {m: mean_of([results[n][method] for n in names], m) for m in metrics}
            | {"discussions": float(len(names))}
            for method in METHODS
        }
        for group, names in groups.items()
    }


# -- speed ---------------------------------------------------------------------------------


def synthetic_rows(discussions: Sequence[Discussion], size: int) -> list[dict[str, Any]]:
    """A `size`-message discussion made by concatenating whole evaluation discussions.

    Discussions are taken in a seeded random order, over and over, with fresh ids, replies
    remapped within each copy and timestamps shifted so the result is chronological. Above
    ~8,000 messages texts necessarily repeat; that is the same for every method.
    """
    rng = random.Random(size)
    pool = [d for d in discussions if d.language in TIMING_LANGS or d.language == "mixed"]
    out: list[dict[str, Any]] = []
    clock = datetime.fromisoformat("2026-01-05T19:00:00+01:00")
    block = 0
    while len(out) < size:
        for d in rng.sample(pool, len(pool)):
            if len(out) >= size:
                break
            first = datetime.fromisoformat(d.rows[0]["ts"])
            shift = clock - first
            fresh = {row["id"]: f"s{block:03d}-{i:05d}" for i, row in enumerate(d.rows)}
            for row in d.rows[: size - len(out)]:
                ts = datetime.fromisoformat(row["ts"]) + shift
                out.append(row | {
                    "id": fresh[row["id"]],
                    "reply_to": fresh.get(row["reply_to"]) if row.get("reply_to") else None,
                    "ts": ts.isoformat(),
                })
                clock = max(clock, ts)
            clock += timedelta(days=1)
            block += 1
    return out


def proc_status_kb(field_name: str) -> int:
    """A memory field of /proc/self/status in KiB (VmRSS now, VmHWM peak)."""
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss() -> None:
    """Start the peak-RSS count afresh (Linux ≥ 4.0), so it covers the timed runs only.

    getrusage's ru_maxrss is no good here: Linux carries the parent's peak over fork and
    exec, so every worker would report at least what the parent process had used.
    """
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def worker(method: str, size: int, repeats: int, summariser: str) -> dict[str, Any]:
    """Time one method at one size inside a fresh process; printed as JSON to the parent."""
    rows = synthetic_rows(load_discussions(), size)
    call: Callable[[], Any]
    if method == "salonbot":
        module = import_summariser(summariser)
        messages = to_messages(module, rows)
        def call() -> Any:
            return module.summarise(messages, lang="da", points=POINTS)
    else:
        texts = [row["text"] for row in rows]
        def call() -> Any:
            return baselines.rank(method, texts, TIMING_LANGS, POINTS)
    reset_peak_rss()
    base = proc_status_kb("VmRSS")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return {"method": method, "size": size, "times": times, "median": statistics.median(times),
            "rss_base_kb": base, "rss_peak_kb": proc_status_kb("VmHWM")}


def run_worker(method: str, size: int, repeats: int, summariser: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", method, str(size),
               str(repeats), "--summariser", summariser]
    print(f"  timing {LABELS[method]} at {size:,} × {repeats} ...", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=WORKER_TIMEOUT,
                          check=False)
    if done.returncode != 0:
        return {"method": method, "size": size, "error": done.stderr.strip()[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def plan(method: str, size: int, quick: bool) -> int:
    """How many timed runs; 0 = not run (quadratic baselines above 10k, or --quick)."""
    if method == "salonbot":
        return 3 if size >= 100_000 else 5
    if size >= 100_000 or (quick and size >= 10_000):
        return 0
    return 1 if size >= 10_000 else 5


def extrapolate(method: str, size: int, measured: dict[tuple[str, int], dict[str, Any]]) -> float:
    """O(n²) extrapolation from the largest measured size of the same method."""
    known = [(n, r["median"]) for (m, n), r in measured.items() if m == method and "median" in r]
    if not known:
        return float("nan")
    n, seconds = max(known)
    return seconds * (size / n) ** 2


def timing(sizes: Sequence[int], quick: bool, summariser: str) -> list[dict[str, Any]]:
    measured: dict[tuple[str, int], dict[str, Any]] = {}
    rows = []
    for size in sizes:
        for method in METHODS:
            repeats = plan(method, size, quick)
            if repeats:
                result = run_worker(method, size, repeats, summariser)
                measured[(method, size)] = result
            else:
                result = {"method": method, "size": size, "not_run": True,
                          "extrapolated": extrapolate(method, size, measured)}
            rows.append(result)
    return rows


# -- reporting -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def seconds_text(result: dict[str, Any]) -> str:
    if "error" in result:
        return "error"
    if result.get("not_run"):
        value = result["extrapolated"]
        return "not run" if value != value else f"not run (O(n²); extrapolated ≈ {value:,.0f} s)"
    runs = len(result["times"])
    return f"{result['median']:.2f} s" + (f" (median of {runs})" if runs > 1 else " (1 run)")


def rss_text(result: dict[str, Any]) -> str:
    """Peak RSS of the worker, and in brackets how much the method added to the loaded input."""
    if "rss_peak_kb" not in result:
        return "–"
    peak, base = result["rss_peak_kb"] / 1024, result["rss_base_kb"] / 1024
    return f"{peak:,.0f} MiB (+{peak - base:,.0f})"


def quality_table(agg: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        "| method | recall@5 | recall@10 | recall@5 (representative only) | ROUGE-L F1 | "
        "chatter in top 5 | ids per point |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for method in METHODS:
        a = agg["all"][method]
        lines.append(
            f"| {LABELS[method]} | {pct(a['recall5'])} | {pct(a['recall10'])} | "
            f"{pct(a['strict5'])} | {a['rouge']:.3f} | {pct(a['off_target5'])} | "
            f"{a['ids_per_point']:.1f} |"
        )
    return lines


def language_table(agg: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        "| language | discussions | salonbot R@5 / R@10 | LexRank R@5 / R@10 | "
        "TextRank R@5 / R@10 | ROUGE-L salonbot / LexRank / TextRank |",
        "|---|---:|---|---|---|---|",
    ]
    for lang in LANG_ORDER:
        if lang not in agg:
            continue
        a = agg[lang]
        recalls = " | ".join(
            f"{pct(a[m]['recall5'])} / {pct(a[m]['recall10'])}" for m in METHODS
        )
        rouge = " / ".join(f"{a[m]['rouge']:.3f}" for m in METHODS)
        lines.append(f"| {lang} | {a['salonbot']['discussions']:.0f} | {recalls} | {rouge} |")
    return lines


def discussion_table(
    results: dict[str, dict[str, Score]], discussions: Sequence[Discussion]
) -> list[str]:
    lines = [
        "| discussion | lang | messages | key points | salonbot R@5 / R@10 | "
        "LexRank R@5 / R@10 | TextRank R@5 / R@10 | salonbot ROUGE-L |",
        "|---|---|---:|---:|---|---|---|---:|",
    ]
    for d in discussions:
        r = results[d.name]
        recalls = " | ".join(f"{pct(r[m].recall5)} / {pct(r[m].recall10)}" for m in METHODS)
        lines.append(
            f"| {d.name} | {d.language} | {len(d.rows):,} | {len(d.gold['key_points'])} | "
            f"{recalls} | {r['salonbot'].rouge:.3f} |"
        )
    return lines


def timing_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    by = {(r["method"], r["size"]): r for r in rows}
    sizes = sorted({r["size"] for r in rows})
    lines = [
        "| messages | salonbot | salonbot peak RSS (+ method) | LexRank | "
        "LexRank peak RSS (+ method) | TextRank | LexRank ÷ salonbot |",
        "|---:|---|---:|---|---:|---|---:|",
    ]
    for size in sizes:
        s, lex, tex = by[("salonbot", size)], by[("lexrank", size)], by[("textrank", size)]
        lines.append(
            f"| {size:,} | {seconds_text(s)} | {rss_text(s)} | {seconds_text(lex)} | "
            f"{rss_text(lex)} | {seconds_text(tex)} | {speedup_text(s, lex)} |"
        )
    return lines


def speedup(salon: dict[str, Any], lex: dict[str, Any]) -> tuple[float, bool] | None:
    """LexRank time over salonbot time; the flag says the LexRank time is extrapolated."""
    if "median" not in salon or not salon["median"]:
        return None
    if "median" in lex:
        return lex["median"] / salon["median"], False
    value = lex.get("extrapolated", float("nan"))
    return (value / salon["median"], True) if value == value else None


def speedup_text(salon: dict[str, Any], lex: dict[str, Any]) -> str:
    ratio = speedup(salon, lex)
    if ratio is None:
        return "–"
    return f"≈ {ratio[0]:,.0f}× (extrapolated)" if ratio[1] else f"{ratio[0]:,.1f}×"


def goals(agg: dict[str, dict[str, dict[str, float]]], rows: Sequence[dict[str, Any]]) -> list[str]:
    salon, lex = agg["all"]["salonbot"], agg["all"]["lexrank"]
    lines = ["| goal | measured | met |", "|---|---|---|"]
    for k in ("5", "10"):
        s, x = salon[f"recall{k}"], lex[f"recall{k}"]
        ratio = s / x if x else float("inf")
        lines.append(
            f"| key-point recall@{k} ≥ {RECALL_GOAL}× LexRank | {pct(s)} vs {pct(x)} = "
            f"{ratio:.2f}× | {'yes' if ratio >= RECALL_GOAL else 'no'} |"
        )
    by = {(r["method"], r["size"]): r for r in rows}
    if ("salonbot", 10_000) in by:
        ratio = speedup(by[("salonbot", 10_000)], by[("lexrank", 10_000)])
        if ratio is not None:
            note = " (LexRank extrapolated)" if ratio[1] else ""
            met = "yes" if ratio[0] >= SPEED_GOAL else "no"
            lines.append(f"| ≥ {SPEED_GOAL:.0f}× faster than LexRank at 10k | "
                         f"{ratio[0]:,.1f}×{note} | {met} |")
    return lines


def explain(results: dict[str, dict[str, Score]], discussions: Sequence[Discussion]) -> list[str]:
    """salonbot's top picks and the gold points it missed, for the summariser's author."""
    lines = []
    for d in discussions:
        s = results[d.name]["salonbot"]
        texts = {kp["id"]: kp["text"] for kp in d.gold["key_points"]}
        lines.append(f"\n### {d.name} (R@5 {pct(s.recall5)}, R@10 {pct(s.recall10)})")
        for i, pick in enumerate(s.picks, start=1):
            tag = ",".join(pick["hits"]) or "CHATTER"
            lines.append(f"{i:2}. [{tag}] ({pick['n_ids']} ids) {pick['text'][:110]}")
        for point in s.missed10:
            lines.append(f"    missed {point}: {texts[point]}")
    return lines


def report(
    discussions: Sequence[Discussion],
    results: dict[str, dict[str, Score]],
    timing_rows: Sequence[dict[str, Any]],
    show_explain: bool,
) -> str:
    agg = aggregate(results, discussions)
    info = machine()
    out = [
        f"Measured {date.today().isoformat()} on {info['cpus']} × {info['cpu']}, "
        f"{info['memory']} RAM, Python {info['python']}.",
        "", "Quality (macro average over discussions):", "", *quality_table(agg),
        "", "Per language:", "", *language_table(agg),
        "", "Per discussion:", "", *discussion_table(results, discussions),
    ]
    if timing_rows:
        out += ["", "Speed:", "", *timing_table(timing_rows)]
    out += ["", "Goals:", "", *goals(agg, timing_rows)]
    if show_explain:
        out += ["", "salonbot's picks:", *explain(results, discussions)]
    return "\n".join(out)


def source_digest(module_name: str) -> str:
    """Short hash of the summariser's source, so a results file says which code it measured."""
    module = importlib.import_module(module_name)
    digest = hashlib.sha256()
    root = Path(module.__file__ or "").parent
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def save(
    path: Path,
    discussions: Sequence[Discussion],
    results: dict[str, dict[str, Score]],
    timing_rows: Sequence[dict[str, Any]],
    summariser: str,
) -> None:
    payload = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "summariser_sha256": source_digest(summariser),
        "discussions": [
            {"name": d.name, "language": d.language, "messages": len(d.rows),
             "key_points": len(d.gold["key_points"])}
            for d in discussions
        ],
        "quality": {name: {m: vars(s) for m, s in by.items()} for name, by in results.items()},
        "aggregate": aggregate(results, discussions),
        "timing": list(timing_rows),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip 100k messages and the O(n²) baselines at 10k")
    parser.add_argument("--no-timing", action="store_true", help="quality only")
    parser.add_argument("--explain", action="store_true",
                        help="list salonbot's picks and missed key points per discussion")
    parser.add_argument("--summariser", default="bot.summariser",
                        help="module providing Message, load_jsonl and summarise")
    parser.add_argument("--out", type=Path,
                        default=HERE / f"results-{date.today().isoformat()}.json")
    parser.add_argument("--worker", nargs=3, metavar=("METHOD", "SIZE", "REPEATS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        method, size, repeats = args.worker
        print(json.dumps(worker(method, int(size), int(repeats), args.summariser)))
        return 0
    module = import_summariser(args.summariser)
    discussions = load_discussions()
    print(f"quality on {len(discussions)} discussions ...", file=sys.stderr)
    results = evaluate(module, discussions)
    sizes = [] if args.no_timing else [s for s in SIZES if not (args.quick and s >= 100_000)]
    timing_rows = timing(sizes, args.quick, args.summariser)
    save(args.out, discussions, results, timing_rows, args.summariser)
    print(report(discussions, results, timing_rows, args.explain))
    print(f"\nresults written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
