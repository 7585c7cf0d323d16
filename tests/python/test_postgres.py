"""The project on PostgreSQL 15 (DBT_TARGET=postgres), next to DuckDB on the same data (tests/python/engines.py).

The cluster is the project's own (scripts/postgres.sh: Debian's package, installed when missing), created
in a temporary directory on 127.0.0.1:$LEADSCORE_TEST_PG_PORT (default 55433) and stopped afterwards.
`make test-postgres` runs this file alone.
"""

from __future__ import annotations

import os
import subprocess

import pytest

import engines
from leadscore import warehouse

pytestmark = pytest.mark.slow
SCRIPT = warehouse.PROJECT_ROOT / "scripts" / "postgres.sh"


@pytest.fixture(scope="module")
def postgres_env(tmp_path_factory):
    env = {"DBT_TARGET": "postgres", "LEADSCORE_PG_PORT": os.environ.get("LEADSCORE_TEST_PG_PORT", "55433"),
           "LEADSCORE_PG_DATA": str(tmp_path_factory.mktemp("postgres")), "LEADSCORE_PG_USER": "leadscore",
           "LEADSCORE_PG_DBNAME": "leadscore"}
    run_env = {**os.environ, **env}
    started = subprocess.run([str(SCRIPT), "start"], env=run_env, capture_output=True, text=True)
    assert started.returncode == 0, started.stdout + started.stderr
    yield env
    subprocess.run([str(SCRIPT), "stop"], env=run_env, check=False, capture_output=True)


@pytest.fixture(scope="module")
def cycle(postgres_env, tmp_path_factory):
    """Generate, full build, one more day and the daily job, its full refresh; DuckDB alongside (run once)."""
    return engines.EngineCycle(tmp_path_factory.mktemp("postgres-cycle"), postgres_env).run()


def test_full_build_passes_every_node(cycle):
    # every model, seed, snapshot, data test and unit test (Python models off)
    engines.assert_every_node_passed(cycle.runs["full_build"], at_least=800)


def test_raw_tables_copied_exactly(cycle):
    engines.assert_raw_tables_copied_exactly(cycle)


def test_seeds_equal_duckdb(cycle):
    engines.assert_seeds_equal_duckdb(cycle)


def test_scores_grades_mqls_arms_routing_equal_duckdb(cycle):
    engines.assert_same_as_duckdb(cycle.after_full, cycle.duck_after_full)


def test_daily_increment_equals_duckdb(cycle):
    engines.assert_daily_equals_duckdb(cycle)


def test_daily_increment_equals_full_refresh(cycle):
    engines.assert_increment_equals_full_refresh(cycle)


def test_cli_summary_reads_the_postgres_marts(cycle):
    engines.assert_summary_counts(cycle)

