"""The semantic layer (models/marts/semantic/): `mf validate-configs` passes on the built warehouse, and every
metric of the KPI framework, queried through MetricFlow's Python API, equals the figure computed
directly from the marts (the monthly KPI report's numerators and denominators, the acquisition-cost
report, the champion/challenger report), by each of the dimensions it is read by."""

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, copy_warehouse, dbt, query, use_warehouse

from leadscore import warehouse

pytestmark = pytest.mark.slow

CUTOFFS = ["2026-04-30", "2026-07-31"]


@pytest.fixture(scope="module")
def semantic(built_warehouse, tmp_path_factory):
    """A copy of the built warehouse run again with backtest cut-offs (held-out AUCs), a copy of the project
    parsed into its own target/ (where `mf` reads the semantic manifest); `mf validate-configs` run and
    the marts' figures computed first, since MetricFlow, set up last, then holds the warehouse's lock."""
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration

    tmp = tmp_path_factory.mktemp("metrics")
    path = copy_warehouse(built_warehouse, tmp, "metrics.duckdb")
    # features are computed as of every cut-off, so the backtests need the daily models rebuilt with them
    dbt(path, "run", vars_={"backtest_cutoff_dates": CUTOFFS})
    project = copy_project(tmp / "project")
    env = {**os.environ, warehouse.PATH_ENV: str(path), "DBT_PROFILES_DIR": str(warehouse.PROFILES_DIR)}
    parse = subprocess.run([str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--project-dir",
                            str(project), "--target-path", str(project / "target")],
                           cwd=project, env=env, capture_output=True, text=True)
    assert parse.returncode == 0, parse.stdout[-3000:]
    validate = subprocess.run([str(Path(sys.executable).with_name("mf")), "validate-configs"], cwd=project,
                              env=env, capture_output=True, text=True)
    expected = {case: direct(path, sql) for case, (_, _, sql) in CASES.items()}
    kpis = {row[0] for row in query(path, "select kpi_name from seeds.kpi_definitions")}
    with use_warehouse(path):
        config = CLIConfiguration()
        config.setup(dbt_profiles_path=warehouse.PROFILES_DIR, dbt_project_path=project,
                     configure_file_logging=False)
        yield {"validate": validate, "expected": expected, "kpis": kpis, "config": config}


def mf_query(config, metric: str, group_by: list[str]) -> dict[tuple, float | None]:
    """{group values: metric value} from MetricFlow; months as ISO dates."""
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    request = MetricFlowQueryRequest.create(metric_names=[metric], group_by_names=group_by or None)
    table = config.mf.query(mf_request=request).result_df
    names = [c.lower() for c in table.column_names]
    value_at = names.index(metric)
    group_at = [names.index(g.lower()) for g in group_by]
    return {tuple(_key(row[i]) for i in group_at): row[value_at] for row in table.rows}


def _key(value):
    return value.date().isoformat() if isinstance(value, dt.datetime) else (
        value.isoformat() if isinstance(value, dt.date) else value)


def direct(path: Path, sql: str) -> dict[tuple, float | None]:
    """{group values: figure} from SQL on the marts: the group columns first, the figure last."""
    return {tuple(_key(v) for v in row[:-1]): row[-1] for row in query(path, sql)}


# On the 2,000-lead test data no customer was an MQL before winning: the MQL-to-won cycle is null in
# every group of the marts, and MetricFlow must say so too.
ALL_NULL = {"sales_cycle_days_mql_to_won by persona"}


def assert_same(got: dict, expected: dict, all_null: bool = False) -> None:
    assert len(expected) >= 1
    assert all_null == all(v is None for v in expected.values()), expected
    assert set(got) == set(expected)
    for key, value in expected.items():
        if value is None:
            assert got[key] is None, key
        else:
            assert got[key] is not None and math.isclose(float(got[key]), float(value), rel_tol=1e-9,
                                                         abs_tol=1e-9), (key, got[key], value)


KPIS = "marts.rpt_lead_kpis_monthly"

CASES = {
    "lead_to_customer_rate by persona": (
        "lead_to_customer_rate", ["lead__persona"],
        f"select persona, sum(customers) / sum(lead_count) from {KPIS} group by 1"),
    "lead_to_opportunity_ratio by lead source": (
        "lead_to_opportunity_ratio", ["lead__lead_source"],
        f"select lead_source, sum(opportunities) / sum(lead_count) from {KPIS} group by 1"),
    "mql_volume by score band and month": (
        "mql_volume", ["lead__score_band", "metric_time__month"],
        f"select score_band, created_month, sum(mql_volume) from {KPIS} group by 1, 2"),
    "sales_cycle_days_mql_to_won by persona": (
        "sales_cycle_days_mql_to_won", ["lead__persona"],
        f"select persona, sum(sales_cycle_days_mql_to_won_sum) / nullif(sum(sales_cycle_mql_to_won_count), 0) "
        f"from {KPIS} group by 1"),
    "sales_cycle_days_lead_to_won in all": (
        "sales_cycle_days_lead_to_won", [],
        f"select sum(sales_cycle_days_lead_to_won_sum) / sum(customers) from {KPIS}"),
    "time_to_first_key_action_days by month": (
        "time_to_first_key_action_days", ["metric_time__month"],
        f"select created_month, sum(time_to_first_key_action_days_sum) / nullif(sum(leads_with_key_action), 0) "
        f"from {KPIS} group by 1"),
    "feature_adoption_rate by persona": (
        "feature_adoption_rate", ["lead__persona"],
        f"select persona, sum(leads_adopting_features) / sum(lead_count) from {KPIS} group by 1"),
    "lead_to_customer_rate by rule set": (
        "lead_to_customer_rate", ["lead__rule_set"],
        "select rule_set_version, avg(case when is_won then 1.0 else 0 end) from marts.fct_lead_funnel group by 1"),
    # MetricFlow filters each side by sales disposition, then sums MQLs: a persona with dispositioned leads but no
    # dispositioned MQL has a row with a null rate
    "mql_acceptance_rate by persona": (
        "mql_acceptance_rate", ["lead__persona"],
        "select funnel.persona, sum(case when funnel.is_mql_ever and leads.sales_disposition = 'accepted'"
        " then 1 else 0 end) / nullif(sum(case when funnel.is_mql_ever then 1 else 0 end), 0)"
        " from marts.fct_lead_funnel as funnel inner join marts.dim_leads as leads on funnel.lead_id = leads.lead_id"
        " where leads.sales_disposition in ('accepted', 'rejected') group by 1"),
    "cost_per_acquisition by month and lead source": (
        "cost_per_acquisition", ["metric_time__month", "acquisition_cohort__lead_source"],
        "select created_month, lead_source, cost_per_acquisition from marts.rpt_acquisition_cost_monthly"),
    "cost_per_acquisition in all": (
        "cost_per_acquisition", [],
        "select sum(spend_usd) / sum(customers) from marts.rpt_acquisition_cost_monthly"),
    "cost_per_lead by lead source": (
        "cost_per_lead", ["acquisition_cohort__lead_source"],
        "select lead_source, sum(spend_usd) / nullif(sum(lead_count), 0) from marts.rpt_acquisition_cost_monthly "
        "group by 1"),
    "held_out_auc by rule set and cut-off": (
        "held_out_auc", ["backtest_contender__rule_set", "metric_time__day"],
        "select contender, as_of_date, roc_auc from marts.rpt_champion_challenger"),
}


def test_mf_validate_configs_passes(semantic):
    validate = semantic["validate"]
    assert validate.returncode == 0, validate.stdout[-3000:] + validate.stderr[-3000:]


@pytest.mark.parametrize("case", list(CASES))
def test_metric_equals_the_marts(semantic, case):
    metric, group_by, _ = CASES[case]
    assert_same(mf_query(semantic["config"], metric, group_by), semantic["expected"][case], case in ALL_NULL)


def test_every_metric_of_the_kpi_seed_is_checked(semantic):
    """Each KPI of seeds/evaluation/kpi_definitions.csv is a metric compared above."""
    checked = {metric for metric, _, _ in CASES.values()}
    assert semantic["kpis"] <= checked, semantic["kpis"] - checked
