"""The project on PostgreSQL 15 (DBT_TARGET=postgres), next to DuckDB on the same data (tests/python/engines.py).

The cluster is the project's own (scripts/postgres.sh: Debian's package, installed when missing), created
in a temporary directory on 127.0.0.1:$LEADSCORE_TEST_PG_PORT (default 55433) and stopped afterwards.
`make test-postgres` runs this file alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

import engines
from leadscore import warehouse

pytestmark = pytest.mark.slow
SCRIPT = warehouse.PROJECT_ROOT / "scripts" / "postgres.sh"


@pytest.fixture(scope="module")
def postgres_env():
    # Not under pytest's temporary directory: a later pytest session makes /tmp/pytest-of-<user> private
    # again, and the server (the postgres user, when the suite runs as root) could no longer reach its files.
    data = tempfile.mkdtemp(prefix="leadscore-test-postgres-")
    env = {"DBT_TARGET": "postgres", "LEADSCORE_PG_PORT": os.environ.get("LEADSCORE_TEST_PG_PORT", "55433"),
           "LEADSCORE_PG_DATA": data, "LEADSCORE_PG_USER": "leadscore", "LEADSCORE_PG_DBNAME": "leadscore"}
    run_env = {**os.environ, **env}
    started = subprocess.run([str(SCRIPT), "start"], env=run_env, capture_output=True, text=True)
    assert started.returncode == 0, started.stdout + started.stderr
    yield env
    subprocess.run([str(SCRIPT), "stop"], env=run_env, check=False, capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def cycle(postgres_env, engine_duckdb_side, tmp_path_factory):
    """Generate, full build, one more day and the daily job, its full refresh; DuckDB alongside (run once)."""
    return engines.EngineCycle(tmp_path_factory.mktemp("postgres-cycle"), postgres_env, engine_duckdb_side).run()


def test_full_build_passes_every_node(cycle):
    # every model, seed, snapshot, data test and unit test (Python models off)
    engines.assert_every_node_passed(cycle.runs["full_build"], at_least=800)


def test_raw_tables_copied_exactly(cycle):
    engines.assert_raw_tables_copied_exactly(cycle)


def test_seeds_equal_duckdb(cycle):
    engines.assert_seeds_equal_duckdb(cycle)


def test_scores_grades_mqls_arms_routing_equal_duckdb(cycle):
    engines.assert_same_as_duckdb(cycle.after_full, cycle.duck_after_full)


def test_learned_weights_fitted_by_the_cli_give_duckdbs_held_out_auc(cycle):
    """`leadscore fit` fits the logistic regression and scorecard weights from the training rows read on
    PostgreSQL, with the code of DuckDB's Python models; the learned contenders' held-out AUC is DuckDB's."""
    engines.assert_learned_auc_near_duckdb(cycle)


def test_daily_increment_equals_duckdb(cycle):
    engines.assert_daily_equals_duckdb(cycle)


def test_daily_increment_equals_full_refresh(cycle):
    engines.assert_increment_equals_full_refresh(cycle)


def test_cli_summary_reads_the_postgres_marts(cycle):
    engines.assert_summary_counts(cycle)



def test_cli_load_writes_the_postgres_raw_table(cycle, tmp_path):
    """`leadscore load` checks the file into the landing file, then replaces the raw table on PostgreSQL:
    an apostrophe, a backslash and an empty value arrive as they are, a missing one as NULL."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "raw_crm.users.csv").write_text(
        "id,name,email,territory,is_active,created_date,last_modified_date\n"
        "005A,Ann O'Neil,ann@example.com,EMEA,true,2026-01-02 03:04:05,2026-01-02 03:04:05\n"
        '005B,"Back\\slash",,NA,false,2026-01-03 00:00:00,\n'
        '005C,"",c@example.com,APAC,true,2026-01-04 00:00:00,2026-01-04 00:00:00\n')
    cycle.cli("load", str(exports))
    columns, rows = cycle.read(["raw_crm.users"])["raw_crm.users"]
    users = {r[0]: dict(zip(columns, r)) for r in rows}
    assert set(users) == {"005A", "005B", "005C"}
    assert users["005A"]["name"] == "Ann O'Neil" and users["005B"]["name"] == "Back\\slash"
    assert users["005B"]["email"] is None and users["005B"]["last_modified_date"] is None
    # an empty field: whatever the loader made of it in the landing file, PostgreSQL holds the same
    landing = engines.query(cycle.landing, "select name from raw_crm.users where id = '005C'")
    assert users["005C"]["name"] == landing[0][0]
