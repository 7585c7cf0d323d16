"""What test_postgres.py and test_spark.py share: one engine's whole cycle next to DuckDB on the same data.

EngineCycle runs, against one engine (DBT_TARGET) and on small generated data (ENGINE_LEADS leads):
`leadscore generate` (which writes the raw tables there), a full `dbt build`, `leadscore generate
--append-day` and the daily job, then the daily job with --full-refresh; and the same data through DuckDB
(a full build before and after the new day: duckdb_side, made once per test run for every engine). Rows are
read from the engine in a subprocess (Spark's embedded metastore takes one process at a time, and dbt runs
in its own), compared lead by lead.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

from conftest import _TARGETS, TEST_AS_OF, TEST_END, TEST_SEED, TEST_START, copy_warehouse, dbt, generate_into, \
    query, use_warehouse
from leadscore import cli, schema, warehouse

ENGINE_LEADS = 400
# Python models (logistic regression, scorecard weights) exist only on DuckDB.
VARS = {"enable_python_models": False}
NEXT_DAY = (dt.date.fromisoformat(TEST_AS_OF) + dt.timedelta(days=1)).isoformat()
DAILY_VARS = {**VARS, "as_of_date": NEXT_DAY, "data_tests_on_new_loads_only": True}
# What must match DuckDB lead by lead: scores, grades, MQL flags, A/B arms (rule set and hash bucket),
# routing, reasons. relation -> key columns.
COMPARED = {
    "marts.fct_lead_scores": ("lead_id",),
    "marts.fct_lead_routing": ("lead_id",),
    "marts.fct_lead_score_contributions": ("lead_id", "rule_id"),
    "marts.dim_leads": ("lead_id",),
    "intermediate.int_lead_scores_current": ("lead_id",),
}
HISTORY = "marts.fct_lead_score_history"
CHAMPION_CHALLENGER = "marts.rpt_champion_challenger"
LEARNED_KINDS = ("learned_woe", "learned_logistic")  # the contenders whose scores learned weights make
# After `leadscore fit`: what the fitted tables change (the learned views and every model downstream of them).
LEARNED_SELECT = ("--select", "stg_learned__logistic_regression_fit+", "stg_learned__woe_scorecard_fit+",
                  "int_learning_features+")
BUCKETS = 10000  # int_lead_scores_current's hash_bucket(lead_id, 10000)


def md5_bucket(key: str, buckets: int = BUCKETS) -> int:
    """The A/B bucket every engine must give: the first 8 hex digits of the md5 as an unsigned integer."""
    return int(hashlib.md5(key.encode()).hexdigest()[:8], 16) % buckets


def normalised(value):
    """A value comparable across engines: numbers rounded to 6 decimals, dates and times as ISO text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (decimal.Decimal, float)):
        return round(float(value), 6)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def keyed(columns: list[str], rows: list[tuple], keys: tuple[str, ...]) -> dict[tuple, dict]:
    """Rows by key, each a {column: normalised value} (column order differs across engines)."""
    out = {}
    for row in rows:
        record = {c: normalised(v) for c, v in zip(columns, row)}
        out[tuple(record[k] for k in keys)] = record
    return out


def differences(mine: dict[tuple, dict], theirs: dict[tuple, dict], limit: int = 5) -> list[str]:
    """What differs between two keyed relations (missing keys, then differing columns), at most `limit`."""
    found = [f"key {k} only on one side" for k in sorted(set(mine) ^ set(theirs), key=str)][:limit]
    for key in sorted(set(mine) & set(theirs), key=str):
        if len(found) >= limit:
            break
        a, b = mine[key], theirs[key]
        cols = [c for c in sorted(set(a) | set(b)) if a.get(c, "<missing>") != b.get(c, "<missing>")]
        if cols:
            found.append(f"key {key}: " + ", ".join(f"{c} {a.get(c)!r} != {b.get(c)!r}" for c in cols))
    return found


def duckdb_rows(path: Path, relations) -> dict[str, tuple[list[str], list[tuple]]]:
    out = {}
    for relation in relations:
        columns = [r[0] for r in query(path, f"describe {relation}")]
        out[relation] = (columns, query(path, f"select * from {relation}"))
    return out


def counts(run) -> dict[str, int]:
    """Nodes by status of a dbt run (run_results.json)."""
    tally: dict[str, int] = {}
    for result in run.results:
        tally[result["status"]] = tally.get(result["status"], 0) + 1
    return tally


def manifest_relations(resource_type: str, materialized: str | None = None) -> list[str]:
    """schema.name of every node of a type (and materialization), from the manifest of the project's last dbt run."""
    manifest = json.loads((_TARGETS[warehouse.PROJECT_ROOT] / "manifest.json").read_text())
    return sorted(f"{n['schema']}.{n['alias']}" for n in manifest["nodes"].values()
                  if n["resource_type"] == resource_type and materialized in (None, n["config"]["materialized"]))


def duckdb_side(directory: Path) -> Path:
    """What every engine's cycle is compared with, made once per test run (conftest's engine_duckdb_side): the
    cycle's data (the generator is deterministic) through DuckDB with its Python models. Rows after the full
    build (the compared marts, every seed, the champion/challenger report) and after --append-day and the
    daily job, pickled; returns the pickle's path."""
    landing = directory / "landing.duckdb"
    generate_into(landing, leads=ENGINE_LEADS)
    duck = copy_warehouse(landing, directory, "duckdb_full_build.duckdb")
    dbt(duck, "build", vars_={**VARS, "as_of_date": TEST_AS_OF, "enable_python_models": True})
    side = {"after_full": duckdb_rows(duck, [*COMPARED, *manifest_relations("seed")]),
            "learned": duckdb_rows(duck, [CHAMPION_CHALLENGER])}
    with use_warehouse(duck):
        assert cli.main(["generate", "--append-day", "--quiet"]) == 0
    dbt(duck, "build", "--selector", "daily", vars_=DAILY_VARS)
    side["after_daily"] = duckdb_rows(duck, [*COMPARED, HISTORY])
    out = directory / "duckdb_side.pickle"
    out.write_bytes(pickle.dumps(side))
    return out


class EngineCycle:
    """One engine's cycle in `directory`, with env (DBT_TARGET and its connection variables)."""

    def __init__(self, directory: Path, env: dict[str, str], duckdb_side: Path):
        self.dir = directory
        self.duck = pickle.loads(duckdb_side.read_bytes())
        self.env = {**env, "DBT_PROFILES_DIR": str(warehouse.PROFILES_DIR)}
        self.landing = directory / "landing.duckdb"  # the generator's state; its raw tables are copied
        self.timings: dict[str, float] = {}
        self.runs: dict[str, object] = {}

    def timed(self, name: str, fn, *args, **kwargs):
        started = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            self.timings[name] = round(time.monotonic() - started, 1)

    def cli(self, *argv: str) -> subprocess.CompletedProcess:
        """`leadscore ...` against the engine, in a subprocess; raises when it fails."""
        env = {**os.environ, **self.env, warehouse.PATH_ENV: str(self.landing)}
        proc = subprocess.run([str(Path(sys.executable).with_name("leadscore")), *argv], env=env,
                              cwd=warehouse.PROJECT_ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, f"leadscore {' '.join(argv)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        return proc

    def dbt(self, name: str, *args: str, vars_: dict | None = None):
        run = self.timed(name, dbt, self.landing, *args, vars_={**VARS, **(vars_ or {})}, env=self.env,
                         check=False)
        self.runs[name] = run
        failed = "\n".join(f"{r['unique_id']}: {r['status']}: {r.get('message')}" for r in run.results
                           if r["status"] in ("error", "fail"))
        assert run.success, f"dbt {' '.join(args)} on {self.env['DBT_TARGET']}:\n{failed}\n{run.output[-3000:]}"
        return run

    def read(self, relations) -> dict[str, tuple[list[str], list[tuple]]]:
        """Every row of `relations` on the engine: {relation: (columns, rows)}, read in a subprocess."""
        out = self.dir / "read.pickle"
        code = ("import pickle, sys; from leadscore import targets; "
                "rels = sys.argv[2:]; res = {}\n"
                "with targets.connect_marts() as con:\n"
                "    for r in rels:\n"
                "        c = con.execute(f'select * from {r}')\n"
                "        res[r] = ([d[0] for d in c.description], c.fetchall())\n"
                "pickle.dump(res, open(sys.argv[1], 'wb'))")
        env = {**os.environ, **self.env, warehouse.PATH_ENV: str(self.landing)}
        proc = subprocess.run([sys.executable, "-c", code, str(out), *relations], env=env,
                              cwd=warehouse.PROJECT_ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-4000:]
        return pickle.loads(out.read_bytes())

    def generate(self) -> None:
        self.timed("generate", self.cli, "generate", "--leads", str(ENGINE_LEADS), "--seed", str(TEST_SEED),
                   "--start", TEST_START, "--end", TEST_END, "--quiet")

    def append_day(self) -> None:
        self.timed("append_day", self.cli, "generate", "--append-day", "--quiet")

    def learn(self, learned_build: tuple[str, ...]) -> None:
        """`leadscore fit` on the engine, then `learned_build` of what the fitted tables change; the champion/
        challenger report read (DuckDB's, whose Python models fit the same rows in its build, is read by run)."""
        self.cli_fit = self.timed("fit", self.cli, "fit").stdout
        self.dbt("learned_build", *learned_build, *LEARNED_SELECT,
                 vars_={"as_of_date": TEST_AS_OF, "learned_weights_from_cli": True})
        self.learned = self.timed("read_learned", self.read, [CHAMPION_CHALLENGER])

    def run(self, full_build: tuple[str, ...] = ("build",),
            daily: tuple[str, ...] = ("build", "--selector", "daily"),
            learned_build: tuple[str, ...] = ("build",)) -> EngineCycle:
        """The whole cycle on the engine: rows read after the full build (`full_build`), the learned weights
        (`leadscore fit`, then `learned_build` of what they change), the daily job (`daily`) and its full
        refresh; DuckDB's rows of the same steps come from the run's DuckDB side (duckdb_side)."""
        self.generate()
        # with the learned views (empty until `leadscore fit`) and the training rows the fit reads
        self.dbt("full_build", *full_build, vars_={"as_of_date": TEST_AS_OF, "learned_weights_from_cli": True})
        raw = [t.qualified_name for t in schema.RAW_TABLES]
        self.seeds = manifest_relations("seed")
        self.after_full = self.timed("read_full", self.read, [*COMPARED, *raw, *self.seeds])
        self.landing_raw = duckdb_rows(self.landing, raw)
        # DuckDB with its Python models, which fit the learned weights the engine's `leadscore fit` must match
        self.duck_after_full, self.duck_learned = self.duck["after_full"], self.duck["learned"]
        self.learn(learned_build)

        self.append_day()
        self.dbt("daily", *daily, vars_=DAILY_VARS)
        # the engine's incremental models (some are off on Spark), from this run's manifest
        self.incremental = manifest_relations("model", "incremental")
        self.cli_summary = self.timed("summary", self.cli, "summary").stdout
        # the same day on DuckDB: the day appended to its own copy (the generator is deterministic), its job
        self.duck_after_daily = self.duck["after_daily"]

        compared = [*COMPARED, HISTORY, *self.incremental]
        self.after_daily = self.timed("read_daily", self.read, compared)
        self.dbt("daily_full_refresh", *daily, "--full-refresh", vars_=DAILY_VARS)
        self.after_refresh = self.timed("read_refresh", self.read, compared)
        print(self.report())
        return self

    def report(self) -> str:
        return json.dumps({"timings_s": self.timings, "nodes": {k: counts(v) for k, v in self.runs.items()}})


def assert_same_as_duckdb(engine_rows: dict, duck_rows: dict, relations=COMPARED) -> None:
    """Every compared relation equal row by row (keyed), and the buckets those of md5_bucket."""
    problems = {}
    for relation, keys in relations.items():
        found = differences(keyed(*engine_rows[relation], keys), keyed(*duck_rows[relation], keys))
        if found:
            problems[relation] = found
    assert not problems, f"engine differs from DuckDB: {json.dumps(problems, indent=1, default=str)}"
    for side, rows_of in (("engine", engine_rows), ("DuckDB", duck_rows)):
        columns, rows = rows_of["intermediate.int_lead_scores_current"]
        buckets = {r["lead_id"]: r["lead_bucket"] for r in (dict(zip(columns, row)) for row in rows)}
        wrong = {lead: b for lead, b in buckets.items() if b != md5_bucket(lead)}
        assert buckets and not wrong, f"{side}: {len(wrong)} of {len(buckets)} leads in another bucket: {list(wrong)[:5]}"


def assert_raw_tables_copied_exactly(c: EngineCycle) -> None:
    """Every raw table on the engine holds the landing file's rows and values (NULL apart from '')."""
    for table, (columns, rows) in c.landing_raw.items():
        theirs_columns, theirs = c.after_full[table]
        assert [x.lower() for x in theirs_columns] == columns, table
        ours = sorted((tuple(normalised(v) for v in r) for r in rows), key=repr)
        assert sorted((tuple(normalised(v) for v in r) for r in theirs), key=repr) == ours, table


def assert_seeds_equal_duckdb(c: EngineCycle) -> None:
    """Every seed holds the same rows on the engine as on DuckDB (text with quotes and backslashes too)."""
    assert len(c.seeds) >= 15, c.seeds
    problems = {}
    for seed in c.seeds:
        mine, theirs = c.after_full[seed], c.duck_after_full[seed]
        whole_row = tuple(theirs[0])
        found = differences(keyed(*mine, whole_row), keyed(*theirs, whole_row))
        if found or len(mine[1]) != len(theirs[1]):
            problems[seed] = found or [f"{len(mine[1])} rows != {len(theirs[1])}"]
    assert not problems, problems


def assert_increment_equals_full_refresh(c: EngineCycle) -> None:
    """The daily job's tables (incremental models, marts) equal those of its --full-refresh, row for row."""
    assert len(c.incremental) >= 11, c.incremental
    problems = {}
    for relation in [*COMPARED, *c.incremental]:
        mine, theirs = c.after_daily[relation], c.after_refresh[relation]
        whole_row = tuple(mine[0])
        found = differences(keyed(*mine, whole_row), keyed(*theirs, whole_row))
        if found or len(mine[1]) != len(theirs[1]):
            problems[relation] = found or [f"{len(mine[1])} rows != {len(theirs[1])}"]
    assert not problems, problems


def assert_daily_equals_duckdb(c: EngineCycle) -> None:
    assert_same_as_duckdb(c.after_daily, c.duck_after_daily, {**COMPARED, HISTORY: ("lead_id", "score_date")})
    columns, rows = c.after_daily[HISTORY]
    assert {normalised(dict(zip(columns, r))["score_date"]) for r in rows} == {TEST_AS_OF, NEXT_DAY}


def assert_learned_auc_near_duckdb(c: EngineCycle, tolerance: float = 0.005) -> None:
    """Each learned contender (WoE scorecard, logistic regression) has a held-out AUC on the engine within
    `tolerance` of DuckDB's on the same data."""
    def aucs(columns_rows) -> dict[tuple, float]:
        columns, rows = columns_rows
        records = [dict(zip(columns, r)) for r in rows]
        return {(normalised(r["as_of_date"]), r["contender_kind"], r["contender"]): float(r["roc_auc"])
                for r in records if r["contender_kind"] in LEARNED_KINDS and r["roc_auc"] is not None}
    mine, theirs = aucs(c.learned[CHAMPION_CHALLENGER]), aucs(c.duck_learned[CHAMPION_CHALLENGER])
    assert {kind for _, kind, _ in theirs} == set(LEARNED_KINDS), f"DuckDB's learned contenders: {sorted(theirs)}"
    assert set(mine) == set(theirs), f"learned contenders differ: engine {sorted(mine)}, DuckDB {sorted(theirs)}"
    far = {k: (mine[k], theirs[k]) for k in theirs if abs(mine[k] - theirs[k]) > tolerance}
    assert not far, f"held-out AUC off by more than {tolerance}: {far}"
    assert "scorecard weights" in c.cli_fit, c.cli_fit


def assert_summary_counts(c: EngineCycle) -> None:
    """`leadscore summary` read the engine's marts: its lead and MQL counts are the engine's."""
    columns, rows = c.after_daily["marts.fct_lead_scores"]
    mqls = sum(1 for r in rows if dict(zip(columns, r))["is_mql"])
    assert f"{len(rows):,} leads, {mqls:,} MQLs" in c.cli_summary, c.cli_summary


def assert_every_node_passed(run, at_least: int) -> None:
    """Every node succeeded or passed (exposures, which run nothing, are no-ops)."""
    bad = {r["unique_id"]: r["status"] for r in run.results if r["status"] not in ("success", "pass")
           and not (r["unique_id"].startswith("exposure.") and r["status"] == "no-op")}
    assert not bad, bad
    assert len(run.results) >= at_least, len(run.results)
