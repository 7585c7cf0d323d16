"""The whole project builds on a fresh temporary warehouse, sources are fresh after a default generate, and
the daily job's tests check the new loads of the big event models."""

from __future__ import annotations

import duckdb

from conftest import dbt, query, use_warehouse
from leadscore import cli


def test_full_build_on_fresh_warehouse(built_warehouse):
    # built_warehouse ran `dbt build` (models, seeds, data and unit tests) and raised on any failure
    schemas = {s for (s,) in query(built_warehouse, "select distinct table_schema from information_schema.tables")}
    assert {"staging", "intermediate", "marts", "seeds", "generator_truth"} <= schemas
    (leads,), = query(built_warehouse, "select count(*) from intermediate.int_leads_deduplicated")
    assert leads > 0


def test_default_generate_gives_fresh_sources(tmp_path):
    """`make demo` generates up to yesterday, so `dbt source freshness` passes on it."""
    path = tmp_path / "demo.duckdb"
    with use_warehouse(path):
        assert cli.main(["generate", "--leads", "2000", "--quiet"]) == 0
    result = dbt(path, "source", "freshness")
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in result.results}
    assert set(statuses.values()) <= {"pass", "warn"}, statuses
    assert "accounts" not in statuses and "users" not in statuses  # rarely-changing tables: no freshness check


def test_daily_job_tests_only_new_loads_of_event_models(scratch_warehouse):
    """With data_tests_on_new_loads_only (the daily job's var) a test of a model with _loaded_at checks the
    rows of the incremental lookback only; without it, every row. A bad row in an old load is caught by
    the full test only; a bad row in the newest load by both."""
    newest = query(scratch_warehouse, "select max(_loaded_at) from staging.base_web__events")[0][0]
    with duckdb.connect(str(scratch_warehouse)) as con:
        old_row, new_row = (con.execute(
            f"select web_event_row_id from staging.base_web__events where {cond} order by web_event_row_id limit 1",
            [newest]).fetchone()[0] for cond in ("_loaded_at < ? - interval 30 day", "_loaded_at > ? - interval 1 day"))
        con.execute("update staging.base_web__events set row_status = 'bogus-old' where web_event_row_id = ?", [old_row])

    def failures(new_loads_only: bool) -> int:
        """Failing values of the accepted_values test of row_status (one per distinct bad value)."""
        run = dbt(scratch_warehouse, "test", "--select", "base_web__events,test_name:accepted_values",
                  vars_={"data_tests_on_new_loads_only": new_loads_only}, check=False)
        [status] = [r for r in run.results if "row_status" in r["unique_id"]]
        return status["failures"] or 0

    assert failures(new_loads_only=False) == 1
    assert failures(new_loads_only=True) == 0
    with duckdb.connect(str(scratch_warehouse)) as con:
        con.execute("update staging.base_web__events set row_status = 'bogus-new' where web_event_row_id = ?", [new_row])
    assert failures(new_loads_only=True) == 1
    assert failures(new_loads_only=False) == 2
