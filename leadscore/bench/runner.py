"""The benchmark's steps, in the order they run (the numbers of the package docstring)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from leadscore import warehouse
from leadscore.bench import report
from leadscore.bench.compare import compare_fingerprints, fingerprint_warehouse
from leadscore.bench.measure import MIB, ROOT, Step, StepFailed, run_measured
from leadscore.bench.raw import (EVENT_TABLES, _connect_ro, copy_db, data_date, floor_sql, raw_counts,
                                 raw_tables_in, remove_db)

DEFAULT_WORKDIR = ROOT / "bench" / "warehouse"
DEFAULT_RESULTS_DIR = ROOT / "bench" / "results"
DAILY_SELECTOR = "daily"  # selectors.yml: the job an orchestrator runs every day
# DuckDB's memory_limit bounds its buffers, not the dbt process around it (Python models hold pandas
# frames outside it): 6GB keeps the whole process tree under the 8 GB target.
DEFAULT_MEMORY_LIMIT = "6GB"


@dataclass
class Sources:
    """The raw data a run measures: before the appended day, then after it."""
    counts: dict[str, int]
    loaded_day: str                  # day of the newest load before the append
    as_of: str                       # as_of_date of the full build
    counts_after: dict[str, int] = field(default_factory=dict)
    as_of_inc: str | None = None     # as_of_date of the daily incremental
    counts_after_hour: dict[str, int] = field(default_factory=dict)
    as_of_hour: str | None = None    # as_of_date of the hourly incremental (the day of the appended hour)

    @property
    def raw_rows(self) -> int:
        return sum(self.counts.values())

    @property
    def events(self) -> int:
        return sum(n for t, n in self.counts.items() if t in EVENT_TABLES)

    @property
    def appended_rows(self) -> int:
        return sum(self.counts_after.get(t, 0) - self.counts.get(t, 0) for t in self.counts_after)

    @property
    def appended_hour_rows(self) -> int:
        return sum(self.counts_after_hour.get(t, 0) - self.counts_after.get(t, 0) for t in self.counts_after_hour)


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.scale = args.scale
        self.label = report.scale_label(args.scale)
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
        rr = report.read_run_results(target)
        if rr is not None:
            step.extra["dbt_elapsed_s"] = round(rr.get("elapsed_time", 0.0), 3)
            step.extra["nodes"] = len(rr.get("results", []))
            step.extra["slowest"] = report.slowest_nodes(rr, 10)
            keep = self.workdir / f"run_results-{name}.json"
            shutil.copy(target / "run_results.json", keep)
        return step

    # ----------------------------------------------------------------------------- the steps
    def run(self) -> int:
        self.prepare()
        sources = self.sources()                                   # 1. generate (or copy a built one)
        self.floor(sources.raw_rows)                               # 2. floor (read) ...
        self.write_floor(sources.raw_rows)                         #    ... and write floor
        if not self.args.from_built:
            self.full_builds(sources)                              # 3-5. seed, full run, full build
        self.append_day(sources)                                   # 6. one more day of data
        self.increment("incremental", sources.as_of_inc, sources.appended_rows)   # 7. the daily job
        verify = not self.args.no_verify
        comparison = self.verify("daily_full_refresh", sources.as_of_inc) if verify else None  # 8. == full?
        self.append_hour(sources)                                  # 9. one more hour of data
        self.increment("hourly_incremental", sources.as_of_hour, sources.appended_hour_rows,
                       preparse=False)                             # 10. the daily job on it
        hourly = self.verify("hourly_full_refresh", sources.as_of_hour) if verify else None    # 11. == full?
        result = report.build_result(self, sources, comparison, hourly)
        self.write_results(result)
        if any(c is not None and not c["equal"] for c in (comparison, hourly)):
            return 1
        if self.args.strict and any(not t["ok"] for t in result["targets"].values() if t["ok"] is not None):
            return 1
        return 0

    def prepare(self) -> None:
        """A fresh warehouse file, target and log folders."""
        self.say(f"[bench {self.label}] {self.leads:,} leads; warehouse {self.db}; "
                 f"DuckDB memory_limit={self.memory_limit} threads={self.threads}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        remove_db(self.db)
        for d in (self.target, self.logs):
            shutil.rmtree(d, ignore_errors=True)

    def generate_env(self) -> dict[str, str]:
        return {"LEADSCORE_MEMORY_LIMIT": self.args.generate_memory_limit}

    def sources(self) -> Sources:
        """Step 1: generate the raw tables, or start from a copy of a warehouse built elsewhere."""
        a = self.args
        if a.from_built:
            # Steps 1-5 were done elsewhere (e.g. the test session's built warehouse): start from a copy.
            copy_db(a.from_built.resolve(), self.db)
            self.say(f"[bench {self.label}] starting from a copy of {a.from_built}")
        else:
            gen_args = ["generate", "--leads", str(self.leads)]
            for opt in ("seed", "start", "end"):
                if getattr(a, opt) is not None:
                    gen_args += [f"--{opt}", str(getattr(a, opt))]
            self.measure("generate", self.leadscore_cmd(*gen_args), self.db, env=self.generate_env())
        loaded_day = data_date(self.db)
        sources = Sources(raw_counts(self.db), loaded_day, a.as_of or loaded_day)
        if "generate" in self.steps:
            self.steps["generate"].rows = sources.raw_rows
        self.say(f"[bench {self.label}] raw rows {sources.raw_rows:,} (events {sources.events:,})")
        return sources

    def full_builds(self, sources: Sources) -> None:
        """Steps 3-5: seeds and the snapshots of the scoring seeds, then a full run, then a full build
        (seeds + snapshots + models + tests). `dbt run` runs neither seeds nor snapshots, and models read
        both (fct_scoring_rule_changes and int_scoring_runs the snapshots)."""
        vars_full = {"as_of_date": sources.as_of}
        self.dbt("seed", "seed", "--full-refresh", db=self.db, target=self.target, vars_=vars_full, rows=None)
        self.dbt("snapshot", "snapshot", db=self.db, target=self.target, vars_=vars_full, rows=None)
        for name, command in (("full_run", "run"), ("full_build", "build")):
            self.dbt(name, command, "--full-refresh", db=self.db, target=self.target, vars_=vars_full,
                     rows=sources.raw_rows)
            if self.args.profile:
                self.print_profile(name)

    def append_day(self, sources: Sources) -> None:
        """Step 6: the generator's next day of loads; the incremental runs as of that day."""
        self.measure("append", self.leadscore_cmd(*append_day_args(self.args)), self.db, env=self.generate_env())
        sources.counts_after = raw_counts(self.db)
        self.steps["append"].rows = sources.appended_rows
        self.say(f"[bench {self.label}] appended {sources.appended_rows:,} raw rows")
        if sources.appended_rows <= 0:
            raise StepFailed("append-day added no rows")
        # The incremental runs as of the newly loaded day: as_of moves by as many days as the data did.
        shift = dt.date.fromisoformat(data_date(self.db)) - dt.date.fromisoformat(sources.loaded_day)
        sources.as_of_inc = (dt.date.fromisoformat(sources.as_of) + max(shift, dt.timedelta(days=1))).isoformat()

    @staticmethod
    def incremental_vars(as_of: str) -> dict:
        # The daily job's vars: its data tests check the newly loaded rows (macros/get_where_subquery.sql).
        return {"as_of_date": as_of, "data_tests_on_new_loads_only": True}

    def increment(self, name: str, as_of: str, rows: int, preparse: bool = True) -> None:
        """Steps 7 and 10: the daily job (selectors.yml), incremental, as of `as_of` on the appended rows.
        The hourly run (an hourly run is a run of the same job) is timed with dbt's start-up and parse
        (`preparse` false; new vars: a full parse), as an orchestrator's hourly run pays them."""
        self.dbt(name, self.args.dbt_command, "--selector", DAILY_SELECTOR, db=self.db, target=self.target,
                 vars_=self.incremental_vars(as_of), rows=rows, preparse=preparse)
        if self.args.profile:
            self.print_profile(name)

    def append_hour(self, sources: Sources) -> None:
        """Step 9: the generator's next hour of loads, the first of the day after the appended one."""
        self.measure("append_hour", self.leadscore_cmd("generate", "--append-hour"), self.db, env=self.generate_env())
        sources.counts_after_hour = raw_counts(self.db)
        self.steps["append_hour"].rows = sources.appended_hour_rows
        self.say(f"[bench {self.label}] appended {sources.appended_hour_rows:,} raw rows (one hour)")
        if sources.appended_hour_rows <= 0:
            raise StepFailed("append-hour added no rows")
        # the hour opens a new day: the hourly run scores as of it, with what has been loaded so far
        sources.as_of_hour = (dt.date.fromisoformat(sources.as_of_inc) + dt.timedelta(days=1)).isoformat()

    def verify(self, name: str, as_of: str) -> dict:
        """Steps 8 and 11: a full refresh of the same data gives the same tables. The incremental's
        tables are fingerprinted first, then the daily job is rebuilt with --full-refresh in the same
        file as of the same day (no copy of a warehouse of tens of GB; step `name`) and fingerprinted
        again."""
        ignore = {c.strip().lower() for c in self.args.ignore_columns.split(",") if c.strip()}
        t0 = time.perf_counter()
        incremental_print = fingerprint_warehouse(self.db, self.memory_limit, self.threads, ignore)
        self.say(f"[bench {self.label}] fingerprinted {len(incremental_print)} relations in "
                 f"{time.perf_counter() - t0:,.1f} s")
        # Same target dir as the incremental: same vars, so dbt's partial parse state is reused.
        self.dbt(name, self.args.dbt_command, "--selector", DAILY_SELECTOR, "--full-refresh",
                 db=self.db, target=self.target, vars_=self.incremental_vars(as_of),
                 rows=sum(raw_counts(self.db).values()), preparse=False)
        t0 = time.perf_counter()
        comparison = compare_fingerprints(
            incremental_print, fingerprint_warehouse(self.db, self.memory_limit, self.threads, ignore), ignore)
        self.say(f"[bench {self.label}] {name} compare: {comparison['tables_compared']} tables in "
                 f"{time.perf_counter() - t0:,.1f} s; equal: {comparison['equal']}")
        for diff in comparison["differences"]:
            self.say(f"    DIFFERS {diff}")
        return comparison

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
        raw_size_mb = round(copy.stat().st_size / MIB, 1)  # the raw tables alone, as DuckDB stores them
        remove_db(copy)
        self.steps["write_floor"] = Step("write_floor", out["write_s"], step.peak_rss_mb, step.peak_hwm_mb, raw_rows,
                                         {"tables": out["tables"], "raw_size_mb": raw_size_mb})
        self.say(f"[bench {self.label}] write floor: {out['write_s']:,.2f} s, {raw_rows / out['write_s']:,.0f} rows/s")

    # ---------------------------------------------------------------------------- reporting
    def write_results(self, result: dict) -> None:
        self.results_path.parent.mkdir(parents=True, exist_ok=True)
        self.results_path.write_text(json.dumps(result, indent=2, default=str) + "\n")
        for line in report.summary_lines(self.label, self.scale, self.steps, result):
            self.say(line)
        self.say(f"[bench {self.label}] results written to {self.results_path}")

    def print_profile(self, name: str) -> None:
        st = self.steps[name]
        self.say(f"[bench {self.label}] 10 slowest nodes of {name} (dbt execution_time):")
        for n in st.extra.get("slowest", []):
            self.say(f"    {n['execution_time_s']:>9.2f} s  {n['status']:<8} {n['unique_id']}")

    def cleanup(self) -> None:
        if not self.args.keep:
            remove_db(self.db)


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


def step_stdout_last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text().splitlines() if ln.strip()]
    return lines[-1]
