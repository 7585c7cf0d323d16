"""The Dagster code location: `dagster dev -m leadscore.orchestration` (README, "Orchestration")."""

from __future__ import annotations

from dagster import Definitions

from leadscore.orchestration import assets, jobs, project


def build_definitions() -> Definitions:
    dbt_project = project.dbt_project()
    manifest = project.manifest(dbt_project)
    dbt_assets_def = assets.build_dbt_assets(manifest, dbt_project)
    load_assets_def, tables = assets.build_load_assets(manifest)
    freshness_check = assets.build_freshness_checks(tables)
    dbt = project.dbt_resource(dbt_project)
    selectable = assets.selectable_manifest(manifest)
    daily, evaluation, load, freshness = jobs.build_jobs(load_assets_def, selectable, dbt_project)
    return Definitions(
        assets=[load_assets_def, dbt_assets_def],
        asset_checks=[freshness_check],
        jobs=[daily, evaluation, load, freshness],
        schedules=list(jobs.build_schedules(dbt_assets_def, daily, evaluation, freshness)),
        sensors=[jobs.build_load_sensor(dbt_assets_def, load_assets_def, daily)],
        resources={"dbt": dbt},
    )
