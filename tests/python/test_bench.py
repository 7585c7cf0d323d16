"""The benchmark (`leadscore bench`): correctness only, never timings.

The end-to-end test runs the benchmark's daily part at a tiny scale (2,000 leads, the suite's own data):
from the session's fully built warehouse it appends one day, runs the daily job incrementally,
fingerprints every model table, rebuilds the daily job with --full-refresh and compares; then the same
for one appended hour. It asserts that the results file has every key and
that the incremental produced exactly what a full refresh produces. (Generation and the full build
are the session fixtures' own steps; `dbt run` instead of `dbt build` keeps the test near a minute,
the data tests add nothing to the comparison.) The other tests check the benchmark's own pieces on
toy data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_AS_OF, TEST_LEADS, TEST_SEED, copy_warehouse
from leadscore import bench, cli, schema

SMALL_SCALE = f"{TEST_LEADS / 1_000_000:g}"  # the suite's 2,000 leads


@pytest.mark.slow
def test_bench_small_scale_incremental_equals_full(built_warehouse, tmp_path):
    start = copy_warehouse(built_warehouse, tmp_path, "built.duckdb")
    results_dir = tmp_path / "results"
    rc = cli.main([
        "bench", "--scale", SMALL_SCALE, "--seed", str(TEST_SEED), "--from-built", str(start),
        "--as-of", TEST_AS_OF, "--dbt-command", "run", "--floor-repeat", "1",
        "--workdir", str(tmp_path / "work"), "--results-dir", str(results_dir),
    ])
    path = results_dir / f"bench-{SMALL_SCALE}.json"
    assert path.exists(), "bench wrote no results file"
    result = json.loads(path.read_text())

    missing = [k for k in bench.REQUIRED_KEYS if k not in result]
    assert not missing, f"results lack keys {missing}"
    assert result["scale"] == float(SMALL_SCALE) and result["leads"] == TEST_LEADS
    assert result["events"] > 0 and result["appended_rows"] > 0
    assert result["as_of_date"] == TEST_AS_OF and result["incremental_as_of_date"] > result["as_of_date"]
    assert result["floor_s"] > 0 and result["incremental_s"] > 0 and result["peak_rss_mb"] > 0
    for key in ("cores", "memory_gb", "duckdb", "dbt_core", "timestamp"):
        assert result["machine"][key], key
    comparison = result["comparison"]
    # every model table of the project was compared, the incremental ones among them
    assert comparison["tables_compared"] >= 20
    assert {"staging.base_web__events", "intermediate.int_web_sessions"} <= set(comparison["tables"])
    assert result["incremental_equals_full"] is True, json.dumps(comparison["differences"], indent=2)
    # the hourly load (the first hour of the next day) scored incrementally equals its full refresh too
    assert 0 < result["appended_hour_rows"] < result["appended_rows"]
    assert result["hourly_as_of_date"] > result["incremental_as_of_date"] and result["hourly_incremental_s"] > 0
    hourly = result["hourly_comparison"]
    assert hourly["tables_compared"] == comparison["tables_compared"]
    assert result["hourly_equals_full"] is True, json.dumps(hourly["differences"], indent=2)
    assert result["raw_size_mb"] > 0 and result["warehouse_over_raw_size"] > 1
    assert set(result["targets"]) >= {"incremental_over_full", "hourly_incremental_s", "warehouse_over_raw_size"}
    assert rc == 0
    # Big files are deleted unless --keep.
    assert not (tmp_path / "work" / "warehouse.duckdb").exists()


def test_floor_query_reads_every_column_of_every_raw_table(tmp_path):
    db = tmp_path / "raw.duckdb"
    with duckdb.connect(str(db)) as con:
        schema.create_raw_tables(con)
    sql = bench.floor_sql(db)
    for t in schema.RAW_TABLES:
        assert f'from "{t.schema}"."{t.name}"' in sql, t.qualified_name
        assert sql.count(f'from "{t.schema}"."{t.name}"') == 1, f"{t.qualified_name} read more than once"
        for c in t.columns:
            assert f'"{c.name}")' in sql, f"{t.qualified_name}.{c.name} not read by the floor query"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(sql).fetchone()[0] == 0  # runs, and counts the (empty) first table


def test_compare_warehouses_reports_the_differing_table_and_column(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for path, last in ((a, 3.0), (b, 4.0)):
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts; create schema staging")
            con.execute("create table staging.s as select range as id, 'x' || range as v from range(100)")
            con.execute("create table marts.m (id int, score double)")
            con.execute(f"insert into marts.m values (1, 1.0), (2, {last})")
            con.execute("create view marts.v as select * from marts.m")
    same = bench.compare_warehouses(a, a, "1GB", 1, set())
    assert same["equal"] and same["tables_compared"] == 2 and same["views_matched_by_name"] == 1
    diff = bench.compare_warehouses(a, b, "1GB", 1, set())
    assert not diff["equal"]
    [d] = diff["differences"]
    assert d["relation"] == "marts.m" and d["columns_differing"] == ["score"]
    assert d["rows_incremental"] == d["rows_full_refresh"] == 2
    assert bench.compare_warehouses(a, b, "1GB", 1, {"score"})["equal"]
    # a missing row, a missing relation and a changed column list are differences too
    with duckdb.connect(str(b)) as con:
        con.execute("delete from marts.m where id = 2")
        con.execute("drop view marts.v")
        con.execute("alter table staging.s add column extra int")
    problems = {d["relation"]: d["problem"] for d in bench.compare_warehouses(a, b, "1GB", 1, set())["differences"]}
    assert problems == {"marts.m": "content differs", "marts.v": "only in incremental",
                        "staging.s": "columns differ"}


def test_compare_warehouses_tolerates_float_noise(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for path, x in ((a, 0.1 + 0.2), (b, 0.3)):  # differ in the last bit only
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts")
            con.execute(f"create table marts.m as select {x!r}::double as x")
    assert bench.compare_warehouses(a, b, "1GB", 1, set())["equal"]


def test_run_measured_sees_the_memory_of_child_processes(tmp_path):
    # The child starts a grandchild holding ~300 MB: the tree's peak must include it.
    grandchild = "b = bytearray(300 * 1024 * 1024); import time; time.sleep(1.5)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    m = bench.run_measured([sys.executable, "-c", child], env=None, log_path=tmp_path / "m.log")
    assert m.returncode == 0
    assert m.peak_rss_mb > 250


def test_cli_exposes_bench_options():
    out = subprocess.run([sys.executable, "-m", "leadscore.cli", "bench", "--help"], capture_output=True,
                         text=True, check=True, cwd=Path(bench.ROOT)).stdout
    for opt in ("--scale", "--keep", "--profile", "--workdir", "--results-dir", "--memory-limit", "--threads"):
        assert opt in out
