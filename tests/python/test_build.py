"""The whole project builds on a fresh temporary warehouse, and sources are fresh after a default generate."""

from __future__ import annotations

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
