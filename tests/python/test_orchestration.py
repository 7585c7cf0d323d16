"""The Dagster definitions (leadscore.orchestration): they validate; one asset per dbt model and seed,
dbt tests as asset checks, one job per selector; the schedules and the load sensor give the expected
run requests; a load then the daily job run in-process on a copy of the built warehouse, every check
passing; source freshness is reported per raw table."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import TEST_AS_OF, copy_warehouse, query, use_warehouse
from dagster import (
    AssetSelection,
    DagsterInstance,
    RunRequest,
    SkipReason,
    build_multi_asset_sensor_context,
    build_schedule_context,
    validate_run_config,
)

pytestmark = pytest.mark.slow

DAY_AFTER = (dt.date.fromisoformat(TEST_AS_OF) + dt.timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def orchestration():
    from leadscore import orchestration
    from leadscore.orchestration import project

    return orchestration.defs, project.manifest(project.dbt_project())


@pytest.fixture(scope="module")
def loaded(built_warehouse, tmp_path_factory, orchestration):
    """A copy of the built warehouse after the `load` job (the demo's next day), and its instance."""
    defs, _ = orchestration
    path = copy_warehouse(built_warehouse, tmp_path_factory.mktemp("orchestration"), "orchestration.duckdb")
    instance = DagsterInstance.ephemeral()
    with use_warehouse(path):
        before = query(path, "select count(*) from raw_web.events")[0][0]
        result = defs.resolve_job_def("load").execute_in_process(instance=instance)
        yield path, instance, result, before


def raw_load_keys(defs):
    return AssetSelection.groups("raw_loads").resolve(defs.resolve_asset_graph())


def test_definitions_validate():
    env = {**os.environ, "DAGSTER_HOME": ""}
    env.pop("DAGSTER_HOME")
    proc = subprocess.run([str(Path(sys.executable).with_name("dagster")), "definitions", "validate",
                           "-m", "leadscore.orchestration"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_one_asset_per_model_seed_and_snapshot_and_every_dbt_test_a_check(orchestration):
    defs, manifest = orchestration
    graph = defs.resolve_asset_graph()
    dbt_keys = AssetSelection.all().resolve(graph) - raw_load_keys(defs)
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot")]
    assert any(n["resource_type"] == "snapshot" for n in nodes)
    assert sorted(k.path[-1] for k in dbt_keys) == sorted(n["name"] for n in nodes)
    tests = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    checks = {k.name for k in graph.asset_check_keys if k.name != "source_freshness"}
    assert checks == tests
    # the raw loads are the dbt sources, upstream of staging
    sources = {tuple(s["fqn"][-2:]) for s in manifest["sources"].values()}
    assert {tuple(k.path) for k in raw_load_keys(defs)} == sources
    assert all(graph.get(k).child_keys for k in raw_load_keys(defs))


@pytest.mark.parametrize("job_name", ["daily", "evaluation"])
def test_jobs_select_what_the_selectors_select(orchestration, job_name):
    defs, manifest = orchestration
    job = defs.resolve_job_def(job_name)
    selected = {k.path[-1] for k in job.asset_layer.selected_asset_keys}
    # the evaluation job rebuilds the daily models too: features are computed as of each cut-off
    tags = {"daily": {"daily"}, "evaluation": {"daily", "evaluation"}}[job_name]
    expected = {n["name"] for n in manifest["nodes"].values()
                if n["resource_type"] in ("model", "seed", "snapshot") and tags & set(n["tags"])}
    assert selected == expected and len(selected) > 10


def test_daily_and_weekly_schedules(orchestration):
    defs, _ = orchestration
    daily = defs.resolve_schedule_def("daily_scoring")
    at = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
    request = daily.evaluate_tick(build_schedule_context(scheduled_execution_time=at)).run_requests
    assert len(request) == 1 and daily.job_name == "daily"
    config = request[0].run_config["ops"]["leadscore_dbt"]["config"]
    assert config == {"as_of_date": "2026-11-01", "data_tests_on_new_loads_only": True}
    assert request[0].run_key == "daily-2026-11-01"
    assert validate_run_config(defs.resolve_job_def("daily"), request[0].run_config)

    weekly = defs.resolve_schedule_def("weekly_evaluation")
    request = weekly.evaluate_tick(build_schedule_context(scheduled_execution_time=at)).run_requests
    config = request[0].run_config["ops"]["leadscore_dbt"]["config"]
    # outcomes need the 90-day label window: the held-out cut-off is the last month end before 2026-08-04
    assert config["backtest_cutoff_dates"] == ["2026-04-30", "2026-07-31"]
    assert weekly.job_name == "evaluation" and weekly.execution_timezone == "UTC"


def test_load_materialises_the_raw_tables_it_fills(loaded):
    path, _, result, before = loaded
    assert result.success
    keys = {tuple(e.asset_key.path) for e in result.get_asset_materialization_events()}
    assert ("web", "events") in keys and ("crm", "leads") in keys
    assert query(path, "select count(*) from raw_web.events")[0][0] > before
    assert query(path, "select max(cast(_loaded_at as date)) from raw_web.events")[0][0].isoformat() == DAY_AFTER


def test_a_new_load_requests_one_daily_run(orchestration, loaded):
    defs, _ = orchestration
    _, instance, _, _ = loaded
    sensor = defs.resolve_sensor_def("score_after_load")
    context = build_multi_asset_sensor_context(monitored_assets=list(raw_load_keys(defs)), instance=instance,
                                               definitions=defs)
    first = sensor(context)
    assert isinstance(first, RunRequest) and sensor.job_name == "daily"
    assert first.run_config["ops"]["leadscore_dbt"]["config"]["data_tests_on_new_loads_only"] is True
    assert "web/events" in first.tags["loaded_tables"]
    # the cursor moved past the load: no second run for the same load
    again = build_multi_asset_sensor_context(monitored_assets=list(raw_load_keys(defs)), instance=instance,
                                             definitions=defs, cursor=context.cursor)
    assert isinstance(sensor(again), SkipReason)


def test_daily_job_materialises_with_every_check_passing(orchestration, loaded):
    defs, _ = orchestration
    path, instance, _, _ = loaded
    job = defs.resolve_job_def("daily")
    # as the schedule asks the day after the load (the sensor would score as of today's date)
    run_config = {"ops": {"leadscore_dbt": {"config": {"as_of_date": DAY_AFTER, "data_tests_on_new_loads_only": True}}}}
    with use_warehouse(path):
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    assert result.success
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialised == set(job.asset_layer.selected_asset_keys)
    evaluations = result.get_asset_check_evaluations()
    failed = [e.asset_check_key.to_user_string() for e in evaluations if not e.passed]
    assert not failed
    # every check of the job whose every model is in the job ran (dbt's cautious indirect selection, as
    # `dbt build --selector daily`); a test that also reads an evaluation model waits for that job
    specs = {spec.key: spec for a in defs.resolve_asset_graph().assets_defs for spec in a.check_specs}
    expected = {key for key in job.asset_layer.asset_graph.get_check_keys_for_assets(materialised)
                if {dep.asset_key for dep in specs[key].additional_deps} <= materialised}
    assert {e.asset_check_key for e in evaluations} == expected
    assert len(expected) > 400
    assert query(path, "select distinct as_of_date from marts.fct_lead_scores")[0][0].isoformat() == DAY_AFTER


def test_source_freshness_is_reported_per_raw_table(orchestration, loaded):
    defs, manifest = orchestration
    path, instance, _, _ = loaded
    with use_warehouse(path):
        result = defs.resolve_job_def("source_freshness").execute_in_process(instance=instance)
    by_table = {tuple(e.asset_key.path): e for e in result.get_asset_check_evaluations()}
    assert set(by_table) == {tuple(s["fqn"][-2:]) for s in manifest["sources"].values()}
    newest = query(path, "select max(_loaded_at) from raw_web.events")[0][0]
    events = by_table[("web", "events")]
    reported = dt.datetime.fromisoformat(events.metadata["max_loaded_at"].value)
    assert reported.astimezone(dt.UTC).replace(tzinfo=None) == newest.replace(microsecond=0)
    # the test data ends on DAY_AFTER, long past every error_after of the sources: stale, flagged as errors
    assert not events.passed and events.severity.value == "ERROR"


def test_load_job_loads_a_folder_of_exports(orchestration, generated_warehouse, tmp_path):
    """`leadscore load DIR` through the load job: only the tables of the folder are materialised; a bad
    file fails the run with the loader's message and materialises nothing."""
    defs, _ = orchestration
    path = copy_warehouse(generated_warehouse, tmp_path, "exports.duckdb")
    exports = tmp_path / "exports"
    exports.mkdir()
    rows = query(path, "select count(*) from raw_crm.users")[0][0]
    with duckdb.connect(str(path)) as con:
        con.execute(f"copy raw_crm.users to '{exports / 'raw_crm.users.csv'}' (header)")
    job = defs.resolve_job_def("load")
    config = {"ops": {"raw_loads": {"config": {"directory": str(exports), "mode": "replace"}}}}
    with use_warehouse(path):
        result = job.execute_in_process(instance=DagsterInstance.ephemeral(), run_config=config)
        assert {tuple(e.asset_key.path) for e in result.get_asset_materialization_events()} == {("crm", "users")}
        assert query(path, "select count(*) from raw_crm.users")[0][0] == rows
        (exports / "raw_crm.users.csv").write_text("id,no_such_column\n1,2\n")
        failed = job.execute_in_process(instance=DagsterInstance.ephemeral(), run_config=config,
                                        raise_on_error=False)
    assert not failed.success and not failed.get_asset_materialization_events()
    error = failed.get_step_failure_events()[0].event_specific_data.error
    message = error.message + (error.cause.message if error.cause else "")
    assert "load refused, nothing was loaded" in message and "no_such_column" in message
