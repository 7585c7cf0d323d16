"""The benchmark's results: the JSON written to bench/results, the targets judged, the printed summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from leadscore.bench.measure import MIB, ROOT, Step

if TYPE_CHECKING:
    from leadscore.bench.runner import Bench, Sources

# The targets (docs/benchmark.md); they are judged at scale 1 (small scales are dominated by fixed
# overhead). The scaling ratios are this run's against the run at a tenth of its scale.
TARGETS = {
    "incremental_over_full": ("<=", 0.05),
    "hourly_incremental_s": ("<=", 45.0),
    "full_run_over_write_floor": ("<=", 3.0),
    "full_build_over_write_floor": ("<=", 4.0),
    "peak_rss_mb": ("<", 8192.0),
    "warehouse_over_raw_size": ("<=", 2.0),
    "scaling_full_build_ratio": ("<=", 11.0),
    "scaling_incremental_ratio": ("<=", 11.0),
}

REQUIRED_KEYS = (
    "scale", "leads", "events", "raw_rows", "floor_s", "write_floor_s", "generate_s", "seed_s", "full_run_s",
    "full_build_s", "append_s", "incremental_s", "daily_full_refresh_s", "append_hour_s", "hourly_incremental_s",
    "hourly_full_refresh_s", "peak_rss_mb", "full_run_over_floor", "full_build_over_floor",
    "full_run_over_write_floor", "full_build_over_write_floor", "incremental_over_full",
    "incremental_over_daily_full_refresh", "hourly_over_full", "raw_size_mb", "database_size_mb",
    "warehouse_over_raw_size", "incremental_equals_full", "hourly_equals_full", "machine",
)


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def build_result(bench: Bench, sources: Sources, comparison: dict | None, hourly: dict | None) -> dict:
    """Every figure of the run, as written to bench-<scale>.json (`comparison`, `hourly`: the
    increments against a full refresh, None when not verified)."""
    s = bench.steps
    wall = lambda name: round(s[name].wall_s, 3) if name in s else None  # noqa: E731
    ratio = lambda a, b, nd=2: round(a / b, nd) if a is not None and b else None  # noqa: E731
    floor_s, full_run_s, full_build_s, inc_s = wall("floor"), wall("full_run"), wall("full_build"), wall("incremental")
    counts, counts_after = sources.counts, sources.counts_after
    hour_s, write_floor_s = wall("hourly_incremental"), wall("write_floor")
    raw_size_mb = s["write_floor"].extra.get("raw_size_mb") if "write_floor" in s else None
    db_size_mb = round(bench.db.stat().st_size / MIB, 1) if bench.db.exists() else None
    result = {
        "scale": bench.scale,
        "leads": bench.leads,
        "events": sources.events,
        "raw_rows": sources.raw_rows,
        "raw_rows_by_table": counts,
        "appended_rows": sources.appended_rows,
        "appended_rows_by_table": {t: counts_after.get(t, 0) - counts.get(t, 0) for t in counts_after},
        "as_of_date": sources.as_of,
        "incremental_as_of_date": sources.as_of_inc,
        "appended_hour_rows": sources.appended_hour_rows,
        "hourly_as_of_date": sources.as_of_hour,
        "generate_s": wall("generate"),
        "floor_s": floor_s,
        "seed_s": wall("seed"),
        "full_run_s": full_run_s,
        "full_build_s": full_build_s,
        "append_s": wall("append"),
        "incremental_s": inc_s,
        "daily_full_refresh_s": wall("daily_full_refresh"),
        "append_hour_s": wall("append_hour"),
        "hourly_incremental_s": hour_s,
        "hourly_full_refresh_s": wall("hourly_full_refresh"),
        "write_floor_s": write_floor_s,
        "peak_rss_mb": round(max(st.peak_rss_mb for st in s.values()), 1),
        "peak_rss_mb_dbt": round(max(s[n].peak_rss_mb for n in ("full_run", "full_build", "incremental") if n in s), 1),
        "full_run_over_floor": ratio(full_run_s, floor_s),
        "full_build_over_floor": ratio(full_build_s, floor_s),
        "full_run_over_write_floor": ratio(full_run_s, write_floor_s),
        "full_build_over_write_floor": ratio(full_build_s, write_floor_s),
        "incremental_over_full": ratio(inc_s, full_build_s, 4),
        "incremental_over_daily_full_refresh": ratio(inc_s, wall("daily_full_refresh"), 4),
        "hourly_over_full": ratio(hour_s, full_build_s, 4),
        "raw_size_mb": raw_size_mb,
        "database_size_mb": db_size_mb,
        "warehouse_over_raw_size": ratio(db_size_mb, raw_size_mb),
        "incremental_equals_full": None if comparison is None else comparison["equal"],
        "hourly_equals_full": None if hourly is None else hourly["equal"],
        "comparison": comparison,
        "hourly_comparison": hourly,
        "steps": {n: st.as_dict() for n, st in s.items()},
        "settings": settings(bench),
        "machine": machine_info(),
    }
    result["scaling"] = scaling(result, bench.results_path.parent)
    result["targets"] = judge_targets(result)
    return result


def settings(bench: Bench) -> dict:
    args = bench.args
    return {"memory_limit": bench.memory_limit, "duckdb_threads": bench.threads,
            "generate_memory_limit": args.generate_memory_limit,
            "dbt_command": args.dbt_command,
            "from_built": None if args.from_built is None else str(args.from_built),
            "dbt_threads": os.environ.get("LEADSCORE_DBT_THREADS", "2"),
            "seed": args.seed, "start": args.start, "end": args.end}


SUMMARY_STEPS = (
    ("generate", "generate"), ("floor", "floor"), ("write floor", "write_floor"), ("seed", "seed"),
    ("snapshot", "snapshot"),
    ("full run", "full_run"),
    ("full build", "full_build"), ("append day", "append"), ("incremental", "incremental"),
    ("daily job, full refresh", "daily_full_refresh"), ("append hour", "append_hour"),
    ("hourly incremental", "hourly_incremental"), ("hourly, full refresh", "hourly_full_refresh"),
)
SUMMARY_RATIOS = (("full_run / floor", "full_run_over_floor"),
                  ("full_build / floor", "full_build_over_floor"),
                  ("full_run / write floor", "full_run_over_write_floor"),
                  ("full_build / write floor", "full_build_over_write_floor"),
                  ("incremental / full build", "incremental_over_full"),
                  ("incremental / daily full", "incremental_over_daily_full_refresh"),
                  ("hourly / full build", "hourly_over_full"),
                  ("warehouse / raw size", "warehouse_over_raw_size"))


def summary_lines(label: str, scale: float, steps: dict[str, Step], r: dict) -> list[str]:
    """The table printed at the end of a run: steps, ratios, targets."""
    out = ["", f"Benchmark at scale {label}: {r['leads']:,} leads, {r['events']:,} events, {r['raw_rows']:,} raw rows",
           f"{'step':<26}{'wall s':>10}{'peak MB':>10}{'rows/s':>14}"]
    for name, key in SUMMARY_STEPS:
        st = steps.get(key)
        if st is None:
            continue
        rps = f"{st.rows_per_s:,.0f}" if st.rows_per_s else "-"
        out.append(f"{name:<26}{st.wall_s:>10,.2f}{st.peak_rss_mb:>10,.0f}{rps:>14}")
    for name, key in SUMMARY_RATIOS:
        out.append(f"{name:<26}{'-' if r[key] is None else r[key]:>9}")
    out.append(f"incremental == full     {r['incremental_equals_full']}")
    out.append(f"hourly == full          {r['hourly_equals_full']}")
    if r["scaling"]:
        for part in ("full_build", "incremental"):
            out.append(f"{part.replace('_', ' ')} {r['scaling']['from_scale']:g} -> {label}: "
                       f"x{r['scaling'][part + '_ratio']}")
    note = "" if scale == 1 else " (targets are set for scale 1)"
    out.append(f"targets{note}:")
    for name, t in r["targets"].items():
        verdict = "n/a" if t["ok"] is None else ("ok" if t["ok"] else "MISSED")
        out.append(f"    {name:<28} {t['value']!s:>10} {t['op']} {t['limit']:<8} {verdict}")
    return out


def read_run_results(target: Path) -> dict | None:
    p = target / "run_results.json"
    return json.loads(p.read_text()) if p.exists() else None


def slowest_nodes(run_results: dict, n: int) -> list[dict]:
    nodes = sorted(run_results.get("results", []), key=lambda r: r.get("execution_time") or 0, reverse=True)
    return [{"unique_id": r["unique_id"], "status": str(r.get("status")),
             "execution_time_s": round(r.get("execution_time") or 0.0, 3)} for r in nodes[:n]]


def machine_info() -> dict:
    import psutil

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "git_commit": commit,
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def scaling(result: dict, results_dir: Path) -> dict | None:
    """Time ratio against the run at a tenth of this scale, when its results are on file."""
    smaller = results_dir / f"bench-{scale_label(result['scale'] / 10)}.json"
    if not smaller.exists():
        return None
    try:
        other = json.loads(smaller.read_text())
    except (OSError, ValueError):
        return None

    def ratio(key: str) -> float | None:
        a, b = other.get(key), result.get(key)
        return round(b / a, 2) if a and b else None

    return {"from_scale": other.get("scale"), "from_timestamp": other.get("machine", {}).get("timestamp"),
            "full_run_ratio": ratio("full_run_s"), "full_build_ratio": ratio("full_build_s"),
            "incremental_ratio": ratio("incremental_s"), "floor_ratio": ratio("floor_s")}


def judge_targets(r: dict) -> dict:
    values = {k: r.get(k) for k in TARGETS}
    values["scaling_full_build_ratio"] = (r.get("scaling") or {}).get("full_build_ratio")
    values["scaling_incremental_ratio"] = (r.get("scaling") or {}).get("incremental_ratio")
    out = {}
    for name, (op, limit) in TARGETS.items():
        v = values[name]
        ok = None if v is None else (v <= limit if op == "<=" else v < limit)
        out[name] = {"value": v, "op": op, "limit": limit, "ok": ok}
    return out
