"""Benchmark: generate sources at a scale, time a full build and a daily incremental against a floor.

`leadscore bench --scale S` (S=1: 1M leads, ~100M events) does, in a warehouse of its own
(bench/warehouse/bench-<S>/warehouse.duckdb unless --workdir says otherwise):

 1. generate   `leadscore generate --leads 1e6*S` (subprocess)
 2. floor      one plain DuckDB query that reads every column of every raw table once -> floor_s;
               and the write floor: one copy of every raw table written to a new file -> write_floor_s
 3. seed       `dbt seed --full-refresh`                     (seeds are needed before `dbt run`)
 4. full run   `dbt run --full-refresh`                      -> full_run_s
 5. full build `dbt build --full-refresh` (seeds+models+tests, right after the run) -> full_build_s
 6. append     one more day of data (`leadscore generate --append-day`)
 7. increment  the daily job, `dbt build --selector daily`, as of the new day -> incremental_s
 8. verify     fingerprint every model table of the staging/intermediate/marts schemas, rebuild the
               daily job with `--full-refresh` in place (-> daily_full_refresh_s), fingerprint again
               and compare                                   -> incremental_equals_full

Every step runs in a subprocess whose process tree is polled for RSS every 0.2 s. Figures are
printed and written to bench/results/bench-<S>.json. See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from leadscore import schema, warehouse

ROOT = warehouse.PROJECT_ROOT
DEFAULT_WORKDIR = ROOT / "bench" / "warehouse"
DEFAULT_RESULTS_DIR = ROOT / "bench" / "results"
MODEL_SCHEMAS = ("staging", "intermediate", "marts")
POLL_S = 0.2
MIB = 1024 * 1024

# Raw tables whose rows are activity ("events"); the rest (CRM objects, campaigns) are entities.
EVENT_TABLES = (
    "raw_web.events",
    "raw_web.identifies",
    "raw_email.email_events",
    "raw_social.engagements",
    "raw_forms.submissions",
    "raw_surveys.responses",
)

# Targets of the issue; they are judged at scale 1 (small scales are dominated by fixed overhead).
TARGETS = {
    "full_run_over_floor": ("<=", 8.0),
    "full_build_over_floor": ("<=", 12.0),
    "incremental_over_full": ("<", 0.10),
    "peak_rss_mb": ("<", 8192.0),
    "scaling_full_build_ratio": ("<=", 11.0),
}

REQUIRED_KEYS = (
    "scale", "leads", "events", "raw_rows", "floor_s", "write_floor_s", "generate_s", "seed_s", "full_run_s",
    "full_build_s", "append_s", "incremental_s", "daily_full_refresh_s", "peak_rss_mb", "full_run_over_floor",
    "full_build_over_floor", "full_run_over_write_floor", "incremental_over_full",
    "incremental_over_daily_full_refresh", "incremental_equals_full", "machine",
)
DAILY_SELECTOR = "daily"  # selectors.yml: the job an orchestrator runs every day
# DuckDB's memory_limit bounds its buffers, not the dbt process around it (Python models hold pandas
# frames outside it): 6GB keeps the whole process tree under the 8 GB target.
DEFAULT_MEMORY_LIMIT = "6GB"


# --------------------------------------------------------------------------------------------- CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = 1M leads and ~100M events (default 1); 0.1, 0.01, ... scale down.")
    parser.add_argument("--seed", type=int, default=None, help="Generator seed (default: the generator's).")
    parser.add_argument("--start", default=None, help="Generator --start (default: the generator's).")
    parser.add_argument("--end", default=None, help="Generator --end (default: the generator's).")
    parser.add_argument("--as-of", default=None,
                        help="as_of_date of the full build (YYYY-MM-DD). Default: the day of the newest "
                             "_loaded_at in the raw tables; the incremental uses that of the appended data.")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="Where the benchmark warehouse, dbt target and logs go "
                             "(default bench/warehouse/bench-<scale>).")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR,
                        help="Where bench-<scale>.json is written (default bench/results).")
    parser.add_argument("--memory-limit", default=None,
                        help=f"DuckDB memory_limit (default $LEADSCORE_MEMORY_LIMIT or {DEFAULT_MEMORY_LIMIT}).")
    parser.add_argument("--threads", type=int, default=None,
                        help="DuckDB threads (default $LEADSCORE_DUCKDB_THREADS or 2).")
    parser.add_argument("--floor-repeat", type=int, default=2,
                        help="Run the floor query this many times and keep the fastest (default 2).")
    parser.add_argument("--from-built", type=Path, default=None, metavar="WAREHOUSE",
                        help="Start from a copy of this warehouse, already generated at this scale and fully built "
                             "as of --as-of: skips generate, seed, full run and full build (the test uses it).")
    parser.add_argument("--dbt-command", choices=("build", "run"), default="build",
                        help="dbt command of the daily incremental and the full refresh it is compared with "
                             "(default build; `run` skips the data tests, enough to check correctness).")
    parser.add_argument("--generate-memory-limit", default="4GB",
                        help="DuckDB memory_limit of the generator (default 4GB: it needs little, and its peak counts "
                             "towards the benchmark's peak memory).")
    parser.add_argument("--no-verify", action="store_true",
                        help="Skip step 8 (full refresh of a copy and comparison with the incremental).")
    parser.add_argument("--ignore-columns", default="",
                        help="Comma-separated column names left out of the comparison (default none: "
                             "models must be reproducible, see docs/architecture.md).")
    parser.add_argument("--profile", action="store_true",
                        help="Print the 10 slowest nodes of the full run, full build and incremental.")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the warehouse files (default: deleted at the end; target/ and logs stay).")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    parser.add_argument("-v", "--verbose", action="store_true", help="Stream generator and dbt output.")


def run(args: argparse.Namespace) -> int:
    if args.scale <= 0:
        raise SystemExit("--scale must be positive")
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        bench.cleanup()


# ----------------------------------------------------------------------------------- measurement
@dataclass
class Measured:
    returncode: int
    wall_s: float
    peak_rss_mb: float
    peak_hwm_mb: float
    stdout: str = ""


def _vm_hwm_mb(pid: int) -> float:
    """Peak RSS of one process so far (Linux VmHWM), 0 where unavailable."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(cmd: list[str], env: dict[str, str], log_path: Path, verbose: bool = False) -> Measured:
    """Run `cmd`, polling the RSS summed over its process tree every POLL_S; keep the maximum.

    Also keeps the largest per-process VmHWM seen (exact peak of the biggest single process,
    which catches spikes shorter than the poll interval)."""
    import psutil

    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1)
        peak = {"rss": 0, "hwm": 0.0}
        done = threading.Event()

        def poll() -> None:
            try:
                root = psutil.Process(proc.pid)
            except psutil.NoSuchProcess:
                return
            while not done.is_set():
                total = 0
                try:
                    procs = [root] + root.children(recursive=True)
                except psutil.NoSuchProcess:
                    break
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    peak["hwm"] = max(peak["hwm"], _vm_hwm_mb(p.pid))
                peak["rss"] = max(peak["rss"], total)
                done.wait(POLL_S)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        out: list[str] = []
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            out.append(line)
            if verbose:
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait()
        wall = time.perf_counter() - start
        done.set()
        poller.join()
    return Measured(proc.returncode, wall, peak["rss"] / MIB, peak["hwm"], "".join(out))


# -------------------------------------------------------------------------------- the benchmark
@dataclass
class Step:
    name: str
    wall_s: float
    peak_rss_mb: float
    peak_hwm_mb: float
    rows: int | None = None          # raw rows the step processes (for rows/s)
    extra: dict = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall_s if self.rows is not None and self.wall_s > 0 else None

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall_s, 3), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "peak_hwm_mb": round(self.peak_hwm_mb, 1), "rows": self.rows,
                "rows_per_s": None if self.rows_per_s is None else round(self.rows_per_s), **self.extra}


def scale_label(scale: float) -> str:
    return f"{scale:g}"


class StepFailed(RuntimeError):
    pass


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.scale = args.scale
        self.label = scale_label(args.scale)
        self.leads = max(1, round(1_000_000 * args.scale))
        self.workdir = (args.workdir or DEFAULT_WORKDIR / f"bench-{self.label}").resolve()
        self.db = self.workdir / "warehouse.duckdb"
        self.target = self.workdir / "target"
        self.logs = self.workdir / "logs"
        self.results_path = args.results_dir.resolve() / f"bench-{self.label}.json"
        self.memory_limit = args.memory_limit or os.environ.get("LEADSCORE_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
        self.threads = args.threads or int(os.environ.get("LEADSCORE_DUCKDB_THREADS") or 2)
        self.steps: dict[str, Step] = {}
        self._parsed_with: dict[Path, str] = {}

    # ------------------------------------------------------------------ environment and helpers
    def env(self, db: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            warehouse.PATH_ENV: str(db),
            "LEADSCORE_MEMORY_LIMIT": self.memory_limit,
            "LEADSCORE_DUCKDB_THREADS": str(self.threads),
            "DBT_TARGET": "duckdb",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def say(self, msg: str) -> None:
        print(msg, flush=True)

    def measure(self, name: str, cmd: list[str], db: Path, rows: int | None = None, env: dict | None = None,
                **extra) -> Step:
        self.say(f"[bench {self.label}] {name} ...")
        m = run_measured(cmd, {**self.env(db), **(env or {})}, self.logs / f"{name}.log", self.args.verbose)
        if m.returncode != 0:
            tail = "\n".join(m.stdout.splitlines()[-40:])
            raise StepFailed(f"step {name} failed (exit {m.returncode}); log {self.logs / f'{name}.log'}\n{tail}")
        step = Step(name, m.wall_s, m.peak_rss_mb, m.peak_hwm_mb, rows, dict(extra))
        self.steps[name] = step
        rps = f", {step.rows_per_s:,.0f} rows/s" if step.rows_per_s else ""
        self.say(f"[bench {self.label}] {name}: {m.wall_s:,.2f} s, peak {m.peak_rss_mb:,.0f} MB{rps}")
        return step

    def leadscore_cmd(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "leadscore.cli", *args]

    def dbt_cmd(self, *args: str, target: Path, vars_: dict) -> list[str]:
        return [
            dbt_executable(), *args,
            "--project-dir", str(ROOT), "--profiles-dir", str(warehouse.PROFILES_DIR),
            "--target-path", str(target), "--log-path", str(self.logs),
            "--vars", json.dumps(vars_, sort_keys=True),
        ]

    def dbt(self, name: str, *args: str, db: Path, target: Path, vars_: dict, rows: int | None,
            preparse: bool = True) -> Step:
        # dbt re-parses the whole project when --vars (or the profile) change; parse first, untimed,
        # so that the timed step measures the work on the data, not the parse.
        key = json.dumps(vars_, sort_keys=True) + str(db)
        if preparse and self._parsed_with.get(target) != key:
            self.measure(f"parse-{name}", self.dbt_cmd("parse", target=target, vars_=vars_), db)
            self._parsed_with[target] = key
        step = self.measure(name, self.dbt_cmd(*args, target=target, vars_=vars_), db, rows)
        rr = read_run_results(target)
        if rr is not None:
            step.extra["dbt_elapsed_s"] = round(rr.get("elapsed_time", 0.0), 3)
            step.extra["nodes"] = len(rr.get("results", []))
            step.extra["slowest"] = slowest_nodes(rr, 10)
            keep = self.workdir / f"run_results-{name}.json"
            shutil.copy(target / "run_results.json", keep)
        return step

    # ----------------------------------------------------------------------------- the steps
    def run(self) -> int:
        a = self.args
        self.say(f"[bench {self.label}] {self.leads:,} leads; warehouse {self.db}; "
                 f"DuckDB memory_limit={self.memory_limit} threads={self.threads}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        remove_db(self.db)
        for d in (self.target, self.logs):
            shutil.rmtree(d, ignore_errors=True)

        gen_env = {"LEADSCORE_MEMORY_LIMIT": a.generate_memory_limit}
        if a.from_built:
            # Steps 1-5 were done elsewhere (e.g. the test session's built warehouse): start from a copy.
            copy_db(a.from_built.resolve(), self.db)
            self.say(f"[bench {self.label}] starting from a copy of {a.from_built}")
        else:
            # 1. generate
            gen_args = ["generate", "--leads", str(self.leads)]
            for opt in ("seed", "start", "end"):
                if getattr(a, opt) is not None:
                    gen_args += [f"--{opt}", str(getattr(a, opt))]
            self.measure("generate", self.leadscore_cmd(*gen_args), self.db, env=gen_env)
        counts = raw_counts(self.db)
        raw_rows = sum(counts.values())
        events = sum(n for t, n in counts.items() if t in EVENT_TABLES)
        if "generate" in self.steps:
            self.steps["generate"].rows = raw_rows
        self.say(f"[bench {self.label}] raw rows {raw_rows:,} (events {events:,})")
        loaded_day = data_date(self.db)
        as_of = a.as_of or loaded_day
        vars_full = {"as_of_date": as_of}

        # 2. floor (read) and write floor
        self.floor(raw_rows)
        self.write_floor(raw_rows)

        # 3-5. seed, full run, full build
        if not a.from_built:
            self.dbt("seed", "seed", "--full-refresh", db=self.db, target=self.target, vars_=vars_full, rows=None)
            self.dbt("full_run", "run", "--full-refresh", db=self.db, target=self.target, vars_=vars_full,
                     rows=raw_rows)
            if a.profile:
                self.print_profile("full_run")
            self.dbt("full_build", "build", "--full-refresh", db=self.db, target=self.target, vars_=vars_full,
                     rows=raw_rows)
            if a.profile:
                self.print_profile("full_build")

        # 6-7. one more day, daily incremental
        self.measure("append", self.leadscore_cmd(*append_day_args(a)), self.db, env=gen_env)
        counts_after = raw_counts(self.db)
        appended = {t: counts_after.get(t, 0) - counts.get(t, 0) for t in counts_after}
        appended_rows = sum(appended.values())
        self.steps["append"].rows = appended_rows
        self.say(f"[bench {self.label}] appended {appended_rows:,} raw rows")
        if appended_rows <= 0:
            raise StepFailed("append-day added no rows")
        # The incremental runs as of the newly loaded day: as_of moves by as many days as the data did.
        shift = dt.date.fromisoformat(data_date(self.db)) - dt.date.fromisoformat(loaded_day)
        as_of_inc = (dt.date.fromisoformat(as_of) + max(shift, dt.timedelta(days=1))).isoformat()
        # The daily job's vars: its data tests check the newly loaded rows (macros/get_where_subquery.sql).
        vars_inc = {"as_of_date": as_of_inc, "data_tests_on_new_loads_only": True}
        self.dbt("incremental", a.dbt_command, "--selector", DAILY_SELECTOR, db=self.db, target=self.target,
                 vars_=vars_inc, rows=appended_rows)
        if a.profile:
            self.print_profile("incremental")

        # 8. verify: a full refresh of the same data gives the same tables. The incremental's tables are
        # fingerprinted first, then the daily job is rebuilt with --full-refresh in the same file (no copy
        # of a warehouse of tens of GB) and fingerprinted again.
        comparison = None
        if not a.no_verify:
            ignore = {c.strip().lower() for c in a.ignore_columns.split(",") if c.strip()}
            t0 = time.perf_counter()
            incremental_print = fingerprint_warehouse(self.db, self.memory_limit, self.threads, ignore)
            self.say(f"[bench {self.label}] fingerprinted {len(incremental_print)} relations in "
                     f"{time.perf_counter() - t0:,.1f} s")
            # Same target dir as the incremental: same vars, so dbt's partial parse state is reused.
            self.dbt("daily_full_refresh", a.dbt_command, "--selector", DAILY_SELECTOR, "--full-refresh",
                     db=self.db, target=self.target, vars_=vars_inc, rows=raw_rows + appended_rows,
                     preparse=False)
            t0 = time.perf_counter()
            comparison = compare_fingerprints(
                incremental_print, fingerprint_warehouse(self.db, self.memory_limit, self.threads, ignore), ignore)
            self.say(f"[bench {self.label}] compare: {comparison['tables_compared']} tables in "
                     f"{time.perf_counter() - t0:,.1f} s; equal: {comparison['equal']}")
            for diff in comparison["differences"]:
                self.say(f"    DIFFERS {diff}")

        result = self.result(counts, counts_after, raw_rows, events, appended_rows, as_of, as_of_inc, comparison)
        self.results_path.parent.mkdir(parents=True, exist_ok=True)
        self.results_path.write_text(json.dumps(result, indent=2, default=str) + "\n")
        self.print_summary(result)
        self.say(f"[bench {self.label}] results written to {self.results_path}")
        if comparison is not None and not comparison["equal"]:
            return 1
        if a.strict and any(not t["ok"] for t in result["targets"].values() if t["ok"] is not None):
            return 1
        return 0

    def floor(self, raw_rows: int) -> None:
        sql = floor_sql(self.db)
        code = textwrap.dedent("""
            import json, sys, time, duckdb
            path, mem, threads, sql = sys.argv[1:5]
            con = duckdb.connect(path, read_only=True)
            con.execute(f"set memory_limit = '{mem}'")
            con.execute(f"set threads = {int(threads)}")
            con.execute("set preserve_insertion_order = false")
            t0 = time.perf_counter()
            row = con.execute(sql).fetchone()
            elapsed = time.perf_counter() - t0
            print(json.dumps({"query_s": elapsed, "values": len(row)}))
        """)
        runs = []
        for i in range(max(1, self.args.floor_repeat)):
            cmd = [sys.executable, "-c", code, str(self.db), self.memory_limit, str(self.threads), sql]
            step = self.measure(f"floor-{i + 1}", cmd, self.db, raw_rows)
            out = json.loads(step_stdout_last_line(self.logs / f"floor-{i + 1}.log"))
            runs.append((out["query_s"], step))
        best_s, best = min(runs, key=lambda r: r[0])
        self.steps["floor"] = Step("floor", best_s, max(s.peak_rss_mb for _, s in runs),
                                   max(s.peak_hwm_mb for _, s in runs), raw_rows,
                                   {"runs_query_s": [round(r[0], 3) for r in runs], "sql": sql})
        self.say(f"[bench {self.label}] floor: {best_s:,.2f} s (fastest of {len(runs)}), "
                 f"{raw_rows / best_s:,.0f} rows/s")

    def write_floor(self, raw_rows: int) -> None:
        """What writing the sources once costs: every raw table copied as it is (CREATE TABLE AS) into a
        new DuckDB file, with the same settings, in its own process. Any pipeline that materialises its
        staging layer pays at least this; the file is deleted afterwards."""
        copy = self.workdir / "write_floor.duckdb"
        remove_db(copy)
        code = textwrap.dedent("""
            import json, sys, time, duckdb
            path, copy, mem, threads, tables = sys.argv[1:6]
            tables = json.loads(tables)
            con = duckdb.connect(copy)
            con.execute(f"set memory_limit = '{mem}'")
            con.execute(f"set threads = {int(threads)}")
            con.execute("set preserve_insertion_order = false")
            con.execute(f"attach '{path}' as source_db (read_only)")
            t0 = time.perf_counter()
            for schema, table in tables:
                con.execute(f'create schema if not exists "{schema}"')
                con.execute(f'create table "{schema}"."{table}" as select * from source_db."{schema}"."{table}"')
            con.execute("checkpoint")
            print(json.dumps({"write_s": time.perf_counter() - t0, "tables": len(tables)}))
        """)
        with _connect_ro(self.db) as con:
            tables = [[s, t] for s, t, _ in raw_tables_in(con)]
        cmd = [sys.executable, "-c", code, str(self.db), str(copy), self.memory_limit, str(self.threads),
               json.dumps(tables)]
        step = self.measure("write_floor_process", cmd, self.db, raw_rows)
        out = json.loads(step_stdout_last_line(self.logs / "write_floor_process.log"))
        remove_db(copy)
        self.steps["write_floor"] = Step("write_floor", out["write_s"], step.peak_rss_mb, step.peak_hwm_mb, raw_rows,
                                         {"tables": out["tables"]})
        self.say(f"[bench {self.label}] write floor: {out['write_s']:,.2f} s, {raw_rows / out['write_s']:,.0f} rows/s")

    # ---------------------------------------------------------------------------- reporting
    def result(self, counts, counts_after, raw_rows, events, appended_rows, as_of, as_of_inc, comparison) -> dict:
        s = self.steps
        wall = lambda name: round(s[name].wall_s, 3) if name in s else None  # noqa: E731
        ratio = lambda a, b, nd=2: round(a / b, nd) if a is not None and b else None  # noqa: E731
        floor_s, full_run_s, full_build_s, inc_s = wall("floor"), wall("full_run"), wall("full_build"), wall("incremental")
        peak = max(st.peak_rss_mb for st in s.values())
        result = {
            "scale": self.scale,
            "leads": self.leads,
            "events": events,
            "raw_rows": raw_rows,
            "raw_rows_by_table": counts,
            "appended_rows": appended_rows,
            "appended_rows_by_table": {t: counts_after.get(t, 0) - counts.get(t, 0) for t in counts_after},
            "as_of_date": as_of,
            "incremental_as_of_date": as_of_inc,
            "generate_s": wall("generate"),
            "floor_s": floor_s,
            "seed_s": wall("seed"),
            "full_run_s": full_run_s,
            "full_build_s": full_build_s,
            "append_s": wall("append"),
            "incremental_s": inc_s,
            "daily_full_refresh_s": wall("daily_full_refresh"),
            "write_floor_s": wall("write_floor"),
            "peak_rss_mb": round(peak, 1),
            "peak_rss_mb_dbt": round(max(s[n].peak_rss_mb for n in ("full_run", "full_build", "incremental") if n in s), 1),
            "full_run_over_floor": ratio(full_run_s, floor_s),
            "full_build_over_floor": ratio(full_build_s, floor_s),
            "full_run_over_write_floor": ratio(full_run_s, wall("write_floor")),
            "incremental_over_full": ratio(inc_s, full_build_s, 4),
            "incremental_over_daily_full_refresh": ratio(inc_s, wall("daily_full_refresh"), 4),
            "incremental_equals_full": None if comparison is None else comparison["equal"],
            "comparison": comparison,
            "steps": {n: st.as_dict() for n, st in s.items()},
            "settings": {"memory_limit": self.memory_limit, "duckdb_threads": self.threads,
                         "generate_memory_limit": self.args.generate_memory_limit,
                         "dbt_command": self.args.dbt_command,
                         "from_built": None if self.args.from_built is None else str(self.args.from_built),
                         "dbt_threads": os.environ.get("LEADSCORE_DBT_THREADS", "2"),
                         "seed": self.args.seed, "start": self.args.start, "end": self.args.end},
            "machine": machine_info(),
            "database_size_mb": round(self.db.stat().st_size / MIB, 1) if self.db.exists() else None,
        }
        result["scaling"] = scaling(result, self.results_path.parent)
        result["targets"] = judge_targets(result)
        return result

    def print_profile(self, name: str) -> None:
        st = self.steps[name]
        self.say(f"[bench {self.label}] 10 slowest nodes of {name} (dbt execution_time):")
        for n in st.extra.get("slowest", []):
            self.say(f"    {n['execution_time_s']:>9.2f} s  {n['status']:<8} {n['unique_id']}")

    def print_summary(self, r: dict) -> None:
        rows = [
            ("generate", "generate"), ("floor", "floor"), ("write floor", "write_floor"), ("seed", "seed"),
            ("full run", "full_run"),
            ("full build", "full_build"), ("append day", "append"), ("incremental", "incremental"),
            ("daily job, full refresh", "daily_full_refresh"),
        ]
        self.say("")
        self.say(f"Benchmark at scale {self.label}: {r['leads']:,} leads, {r['events']:,} events, "
                 f"{r['raw_rows']:,} raw rows")
        self.say(f"{'step':<26}{'wall s':>10}{'peak MB':>10}{'rows/s':>14}")
        for label, key in rows:
            st = self.steps.get(key)
            if st is None:
                continue
            rps = f"{st.rows_per_s:,.0f}" if st.rows_per_s else "-"
            self.say(f"{label:<26}{st.wall_s:>10,.2f}{st.peak_rss_mb:>10,.0f}{rps:>14}")
        for label, key in (("full_run / floor", "full_run_over_floor"),
                           ("full_build / floor", "full_build_over_floor"),
                           ("full_run / write floor", "full_run_over_write_floor"),
                           ("incremental / full build", "incremental_over_full"),
                           ("incremental / daily full", "incremental_over_daily_full_refresh")):
            self.say(f"{label:<26}{'-' if r[key] is None else r[key]:>9}")
        self.say(f"incremental == full     {r['incremental_equals_full']}")
        if r["scaling"]:
            self.say(f"full build {r['scaling']['from_scale']:g} -> {self.label}: "
                     f"x{r['scaling']['full_build_ratio']:.2f}")
        note = "" if self.scale == 1 else " (targets are set for scale 1)"
        self.say(f"targets{note}:")
        for name, t in r["targets"].items():
            verdict = "n/a" if t["ok"] is None else ("ok" if t["ok"] else "MISSED")
            self.say(f"    {name:<28} {t['value']!s:>10} {t['op']} {t['limit']:<8} {verdict}")

    def cleanup(self) -> None:
        if not self.args.keep:
            remove_db(self.db)


# --------------------------------------------------------------------------------------- helpers
def dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    if here.exists():
        return str(here)
    found = shutil.which("dbt")
    if not found:
        raise SystemExit("dbt not found next to this Python nor on PATH")
    return found


def append_day_args(a: argparse.Namespace) -> list[str]:
    args = ["generate", "--append-day"]
    if a.seed is not None:
        args += ["--seed", str(a.seed)]
    return args


def copy_db(src: Path, dst: Path) -> None:
    """Copy a warehouse file with its write-ahead log, if any."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


def remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def step_stdout_last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text().splitlines() if ln.strip()]
    return lines[-1]


def _connect_ro(path: Path):
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def raw_tables_in(con) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(schema, table, [(column, type)]) of every raw table present, in contract order first."""
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema like 'raw\\_%' escape '\\' order by table_schema, table_name, ordinal_position"
    ).fetchall()
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for s, t, c, ty in rows:
        found.setdefault((s, t), []).append((c, ty))
    order = [(t.schema, t.name) for t in schema.RAW_TABLES]
    keys = [k for k in order if k in found] + sorted(k for k in found if k not in order)
    return [(s, t, found[(s, t)]) for s, t in keys]


def raw_counts(db: Path) -> dict[str, int]:
    with _connect_ro(db) as con:
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
                for s, t, _ in raw_tables_in(con)}


def data_date(db: Path) -> str:
    """The day of the newest load (max _loaded_at over the raw tables): the natural as-of date."""
    with _connect_ro(db) as con:
        parts = [f'select max(_loaded_at) as m from "{s}"."{t}"' for s, t, cols in raw_tables_in(con)
                 if any(c == "_loaded_at" for c, _ in cols)]
        value = con.execute(f"select cast(max(m) as date) from ({' union all '.join(parts)})").fetchone()[0]
    if value is None:
        raise StepFailed("raw tables hold no _loaded_at: nothing was generated")
    return value.isoformat()


def _floor_expr(col: str, type_: str) -> str:
    q = '"' + col.replace('"', '""') + '"'
    t = type_.upper()
    if t in ("VARCHAR", "TEXT", "STRING") or t.startswith("VARCHAR"):
        return f"sum(length({q}))"
    if t == "BOOLEAN":
        return f"count_if({q})"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL") \
            or t.startswith("DECIMAL") or t.startswith("U"):
        return f"sum({q})"
    # Timestamps, dates, anything else: hash every value (unlike min/max, no shortcut from statistics).
    return f"sum(hash({q}))"


def floor_sql(db: Path) -> str:
    """One query reading every column of every raw table exactly once (one aggregate per column)."""
    with _connect_ro(db) as con:
        tables = raw_tables_in(con)
    parts = []
    for i, (s, t, cols) in enumerate(tables):
        aggs = ", ".join([f"count(*) as n{i}"]
                         + [f"{_floor_expr(c, ty)} as c{i}_{j}" for j, (c, ty) in enumerate(cols)])
        parts.append(f'(select {aggs} from "{s}"."{t}") as t{i}')
    return "select * from " + " cross join ".join(parts)


def _hash_expr(col: str, type_: str) -> str:
    q = '"' + col.replace('"', '""') + '"'
    # Floating-point sums computed in parallel may differ in the last bits between runs.
    if type_.upper() in ("DOUBLE", "FLOAT", "REAL"):
        return f"round({q}, 6)"
    return q


def fingerprint_warehouse(path: Path, memory_limit: str, threads: int, ignore: set[str]) -> dict:
    """A fingerprint of every relation in the model schemas: its kind (table/view) and columns, and for
    every table its row count, an order-independent hash of all its rows (`sum(hash(all columns))`) and
    one such hash per column. Two warehouses hold the same results when their fingerprints are equal;
    views are matched by name and columns only (they are the same SQL over tables compared here)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set threads = {int(threads)}")
    schemas = ", ".join(f"'{s}'" for s in MODEL_SCHEMAS)
    relations = con.execute(
        f"select table_schema, table_name, table_type from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({schemas}) order by 1, 2").fetchall()
    out: dict[str, dict] = {}
    for s, t, kind in relations:
        cols = con.execute(
            "select column_name, data_type from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position", [s, t]).fetchall()
        entry: dict = {"kind": kind, "columns": [list(c) for c in cols]}
        if kind == "BASE TABLE":
            kept = [(c, ty) for c, ty in cols if c.lower() not in ignore]
            exprs = [_hash_expr(c, ty) for c, ty in kept]
            sums = ", ".join(f"coalesce(sum(hash({e})), 0)" for e in exprs)
            row = con.execute(
                f'select count(*), coalesce(sum(hash({", ".join(exprs) or "1"})), 0)'
                + (f", {sums}" if sums else "") + f' from "{s}"."{t}"').fetchone()
            entry.update(rows=row[0], hash=str(row[1]), column_hashes={c: str(h) for (c, _), h in zip(kept, row[2:])})
        out[f"{s}.{t}"] = entry
    con.close()
    return out


def compare_fingerprints(inc: dict, ref: dict, ignore: set[str] = frozenset()) -> dict:
    """Compare the fingerprint of the incremental warehouse (`inc`) with that of the full refresh (`ref`)."""
    differences: list[dict] = []
    for name in sorted(set(inc) ^ set(ref)):
        differences.append({"relation": name, "problem": f"only in {'incremental' if name in inc else 'full refresh'}"})
    per_table: dict[str, dict] = {}
    for name in sorted(set(inc) & set(ref)):
        a, b = inc[name], ref[name]
        if a["kind"] != b["kind"]:
            differences.append({"relation": name, "problem": f"type {a['kind']} vs {b['kind']}"})
            continue
        if a["columns"] != b["columns"]:
            differences.append({"relation": name, "problem": "columns differ",
                                "incremental": a["columns"], "full_refresh": b["columns"]})
            continue
        if a["kind"] != "BASE TABLE":
            continue
        equal = a["rows"] == b["rows"] and a["hash"] == b["hash"]
        per_table[name] = {"rows": a["rows"], "equal": equal}
        if not equal:
            differences.append({
                "relation": name, "problem": "content differs", "rows_incremental": a["rows"],
                "rows_full_refresh": b["rows"],
                "columns_differing": [c for c in a["column_hashes"] if a["column_hashes"][c] != b["column_hashes"].get(c)],
            })
    return {
        "equal": not differences,
        "tables_compared": len(per_table),
        "views_matched_by_name": sum(1 for n in set(inc) & set(ref) if inc[n]["kind"] == ref[n]["kind"] == "VIEW"),
        "ignored_columns": sorted(ignore),
        "tables": per_table,
        "differences": differences,
    }


def compare_warehouses(a: Path, b: Path, memory_limit: str, threads: int, ignore: set[str]) -> dict:
    """compare_fingerprints of two warehouse files (`a` incremental, `b` full refresh)."""
    return compare_fingerprints(fingerprint_warehouse(a, memory_limit, threads, ignore),
                                fingerprint_warehouse(b, memory_limit, threads, ignore), ignore)


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
    out = {}
    for name, (op, limit) in TARGETS.items():
        v = values[name]
        ok = None if v is None else (v <= limit if op == "<=" else v < limit)
        out[name] = {"value": v, "op": op, "limit": limit, "ok": ok}
    return out
