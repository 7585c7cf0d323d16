"""Jobs (one per selector of selectors.yml), their schedules (UTC), and the sensor that starts the
daily scoring when a load lands."""


import datetime as dt

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    MultiAssetSensorEvaluationContext,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    define_asset_job,
    multi_asset_sensor,
    schedule,
)
from dagster_dbt.utils import select_unique_ids

from leadscore.orchestration.assets import TRANSLATOR

# The evaluation's label window (macros/evaluation/evaluation_setting.sql, evaluation_label_window_days):
# a backtest cut-off must be at least this many days in the past for its outcomes to be known.
LABEL_WINDOW_DAYS = 90
# Months between the training cut-off and the held-out one.
BACKTEST_SPACING_MONTHS = 3


def dbt_run_config(dbt_assets_def, **vars_) -> dict:
    return {"ops": {dbt_assets_def.op.name: {"config": vars_}}}


def selector_selection(manifest: dict, project, selector: str) -> AssetSelection:
    """The models, seeds and snapshots a selector of selectors.yml picks, with their checks: the tests attached to
    them (those whose every parent is in the job run, as dbt's cautious indirect selection does; see
    assets._indirect_selection_args). Not dagster-dbt's selection of tests, which is eager: it would
    add tests of models outside the job that read one of its seeds."""
    ids = select_unique_ids(select="", exclude="", selector=selector, project=project, manifest_json=manifest)
    keys = [TRANSLATOR.get_asset_key(manifest["nodes"][uid]) for uid in sorted(ids)
            if manifest["nodes"].get(uid, {}).get("resource_type") in ("model", "seed", "snapshot")]
    return AssetSelection.assets(*keys)


def build_jobs(load_assets_def, manifest: dict, project):
    daily = define_asset_job(
        "daily", selector_selection(manifest, project, "daily"),
        description="selectors.yml `daily`: seeds, staging, features, scores, routing, audit and KPI marts "
                    "with their tests (only the new loads' rows of the big event models).",
        tags={"dbt_selector": "daily"})
    evaluation = define_asset_job(
        "evaluation", selector_selection(manifest, project, "daily") | selector_selection(manifest, project,
                                                                                          "evaluation"),
        description="selectors.yml `evaluation` (backtests, learned weights, champion/challenger, A/B) with "
                    "the `daily` models, rebuilt as of the cut-offs too (features are computed as of each).",
        tags={"dbt_selector": "evaluation"})
    loads = define_asset_job(
        "load", AssetSelection.assets(load_assets_def).without_checks(),
        description="The raw loads (`leadscore load DIR` or the demo's next day); their freshness is the "
                    "source_freshness job's.")
    freshness = define_asset_job(
        "source_freshness", AssetSelection.checks_for_assets(load_assets_def),
        description="dbt source freshness of every raw table, as asset checks (hourly).")
    return daily, evaluation, loads, freshness


def month_end_before(day: dt.date) -> dt.date:
    """The last day of the month before `day`'s month, unless `day` is itself a month end."""
    if (day + dt.timedelta(days=1)).month != day.month:
        return day
    return day.replace(day=1) - dt.timedelta(days=1)


def backtest_cutoffs(run_day: dt.date) -> list[str]:
    """Training and held-out cut-offs for a run on `run_day`: month ends, the later one at least
    LABEL_WINDOW_DAYS before the run, the earlier BACKTEST_SPACING_MONTHS months before that."""
    held_out = month_end_before(run_day - dt.timedelta(days=LABEL_WINDOW_DAYS))
    train = held_out
    for _ in range(BACKTEST_SPACING_MONTHS):
        train = train.replace(day=1) - dt.timedelta(days=1)
    return [train.isoformat(), held_out.isoformat()]


def _utc_day(context: ScheduleEvaluationContext) -> dt.date:
    return context.scheduled_execution_time.astimezone(dt.UTC).date()


def build_schedules(dbt_assets_def, daily, evaluation, freshness):
    @schedule(job=daily, cron_schedule="0 6 * * *", execution_timezone="UTC",
              default_status=DefaultScheduleStatus.STOPPED)
    def daily_scoring(context: ScheduleEvaluationContext) -> RunRequest:
        """06:00 UTC: score every lead as of yesterday (the last complete day of loads)."""
        as_of = (_utc_day(context) - dt.timedelta(days=1)).isoformat()
        return RunRequest(run_key=f"daily-{as_of}", tags={"as_of_date": as_of},
                          run_config=dbt_run_config(dbt_assets_def, as_of_date=as_of,
                                                    data_tests_on_new_loads_only=True))

    @schedule(job=evaluation, cron_schedule="0 7 * * 1", execution_timezone="UTC",
              default_status=DefaultScheduleStatus.STOPPED)
    def weekly_evaluation(context: ScheduleEvaluationContext) -> RunRequest:
        """Mondays 07:00 UTC: backtest on the two latest month ends whose outcomes are known."""
        day = _utc_day(context)
        cutoffs = backtest_cutoffs(day)
        return RunRequest(run_key=f"evaluation-{day.isoformat()}", tags={"backtest_cutoff_dates": ",".join(cutoffs)},
                          run_config=dbt_run_config(dbt_assets_def, as_of_date=day.isoformat(),
                                                    backtest_cutoff_dates=cutoffs))

    @schedule(job=freshness, cron_schedule="15 * * * *", execution_timezone="UTC",
              default_status=DefaultScheduleStatus.STOPPED)
    def hourly_source_freshness(context: ScheduleEvaluationContext) -> RunRequest:
        """Every hour: dbt source freshness of the raw tables."""
        hour = context.scheduled_execution_time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H")
        return RunRequest(run_key=f"freshness-{hour}")

    return daily_scoring, weekly_evaluation, hourly_source_freshness


def build_load_sensor(dbt_assets_def, load_assets_def, daily):
    @multi_asset_sensor(monitored_assets=AssetSelection.assets(load_assets_def), job=daily,
                        minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED)
    def score_after_load(context: MultiAssetSensorEvaluationContext):
        """A new load (a materialisation of any raw table) starts one daily scoring run, as of today
        (UTC), testing only the new rows of the big event models."""
        records = {key: rec for key, rec in context.latest_materialization_records_by_key().items() if rec}
        if not records:
            return SkipReason("no new load since the last run")
        newest = max(rec.storage_id for rec in records.values())
        context.advance_all_cursors()
        as_of = dt.datetime.now(dt.UTC).date().isoformat()
        return RunRequest(
            run_key=f"load-{newest}",
            tags={"triggered_by": "load", "loaded_tables": ",".join(sorted(k.to_user_string() for k in records))},
            run_config=dbt_run_config(dbt_assets_def, as_of_date=as_of, data_tests_on_new_loads_only=True))

    return score_after_load
