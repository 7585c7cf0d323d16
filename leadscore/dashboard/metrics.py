"""Every figure the dashboard shows, defined once: which mart, which columns, which aggregate.

Pages ask this module for figures and never write their own aggregates, so switching the definitions
to the semantic layer (MetricFlow metrics over the same marts) later means changing this module only.
The KPIs come from the project's measurement framework, seed kpi_definitions: each KPI is
sum(numerator_column) / sum(denominator_column) of its mart (just the sum when it has no denominator),
over whatever grouping the page asks for. Every function takes `q(sql, params) -> DataFrame`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from leadscore.scoring_models import default_model_filter

Query = Callable[..., pd.DataFrame]

KPI_SEED = "seeds.kpi_definitions"
# Groupings a KPI can be cut by, when its mart has the column.
KPI_DIMENSIONS = {"persona": "Persona", "lead_source": "Lead source", "score_band": "Score band"}
HOLDOUT_OUTCOME = "opportunity"  # the AUC quoted everywhere: opportunity created in the label window
Z_95 = 1.959964  # two-sided 95% normal quantile, for the A/B intervals


def as_of_date(q: Query):
    return q("select max(as_of_date) as d from marts.fct_lead_scores")["d"].iloc[0]


def mql_count(q: Query) -> int:
    """Leads that are MQLs today: fct_lead_scores.is_mql on the as-of date (live rule set of each lead)
    in the default scoring model, as every per-lead figure of the dashboard."""
    return int(q(f"""select count(*) filter (where is_mql) as n from marts.fct_lead_scores
                     where {default_model_filter()}""")["n"].iloc[0])


def mql_queue(q: Query) -> pd.DataFrame:
    """Today's MQLs with their owner, next action and top reasons; is_new = became an MQL on the
    as-of date (fct_lead_mql_transitions), i.e. new since the previous scored day. Default model."""
    return q(f"""
        select r.crm_lead_id, d.company, r.grade, r.total_score, r.persona, s.rule_set_version,
               r.routed_owner_name as owner, r.territory, r.next_action, r.next_action_channel,
               r.top_reasons, r.first_mql_date,
               coalesce(t.lead_id is not null, false) as is_new, r.lead_id
        from marts.fct_lead_routing as r
        inner join marts.fct_lead_scores as s on r.lead_id = s.lead_id and r.scoring_model = s.scoring_model
        left join marts.dim_leads as d on r.lead_id = d.lead_id
        left join marts.fct_lead_mql_transitions as t
            on r.lead_id = t.lead_id and r.scoring_model = t.scoring_model and t.transition = 'became_mql'
            and t.transition_date = r.as_of_date
        where {default_model_filter("r.")}
        order by r.total_score desc, r.crm_lead_id""")


def champion_challenger(q: Query) -> pd.DataFrame:
    """Held-out AUC and capture at capacity per contender and cut-off (rpt_champion_challenger)."""
    return q("select * from marts.rpt_champion_challenger order by as_of_date, roc_auc desc")


def champion_auc(q: Query) -> tuple[str, float, object] | None:
    """The default scoring model's champion rule set, its held-out AUC (opportunity) and the cut-off it was
    measured on (latest)."""
    frame = q(f"""select contender, roc_auc, as_of_date from marts.rpt_champion_challenger
                  where is_champion and {default_model_filter()} order by as_of_date desc limit 1""")
    return None if frame.empty else (frame["contender"].iloc[0], float(frame["roc_auc"].iloc[0]),
                                     frame["as_of_date"].iloc[0])


def deciles(q: Query) -> pd.DataFrame:
    return q("""select as_of_date, contender, score_decile, lead_count, conversions, conversion_rate, lift,
                       cumulative_capture
                from marts.rpt_backtest_deciles where persona = 'all' order by contender, score_decile""")


def calibration(q: Query) -> pd.DataFrame:
    return q("""select as_of_date, contender, score_band, min_score, lead_count, predicted_rate, observed_rate
                from marts.rpt_backtest_calibration where persona = 'all' order by contender, min_score""")


def mql_accuracy(q: Query) -> pd.DataFrame:
    """Precision and recall at each rule set's MQL threshold on the held-out sample (every persona)."""
    return q("""select as_of_date, rule_set_version, lead_count, mql_count, conversions, true_positives,
                       mql_precision, mql_recall, mql_f1
                from marts.rpt_backtest_mql_accuracy where persona = 'all'
                order by as_of_date, rule_set_version""")


def ab_test(q: Query) -> pd.DataFrame:
    """The live A/B of rule sets with a 95% interval (normal approximation) on each arm's MQL
    precision and lead conversion rate."""
    frame = q("select * from marts.rpt_rule_set_ab_test order by rule_set_version")
    for rate, n in (("mql_precision", "mql_count"), ("lead_conversion_rate", "lead_count")):
        half = [Z_95 * math.sqrt(p * (1 - p) / k) if k and p == p else float("nan")
                for p, k in zip(frame[rate].astype(float), frame[n])]
        frame[f"{rate}_low"] = frame[rate].astype(float) - half
        frame[f"{rate}_high"] = frame[rate].astype(float) + half
    return frame


def threshold_sweep(q: Query, contender: str) -> pd.DataFrame:
    """MQL volume and conversions captured per threshold, latest held-out cut-off, every persona;
    mqls_per_week spreads the MQLs a threshold flags at the cut-off over the label window's weeks
    (the time sales has to work them)."""
    return q("""
        with latest as (
            select max(as_of_date) as as_of_date from marts.rpt_backtest_threshold_sweep
        ),
        windows as (
            select as_of_date, label_window_days from intermediate.int_backtest_cutoffs
        )
        select s.as_of_date, s.threshold, s.lead_count, s.conversions, s.mql_volume, s.converted_mqls,
               s.mql_precision, s.conversion_recall, w.label_window_days,
               s.mql_volume / (w.label_window_days / 7.0) as mqls_per_week
        from marts.rpt_backtest_threshold_sweep as s
        inner join latest on s.as_of_date = latest.as_of_date
        inner join windows as w on s.as_of_date = w.as_of_date
        where s.contender = ? and s.persona = 'all'
        order by s.threshold""", (contender,))


def lead_score(q: Query, lead_id: str) -> pd.DataFrame:
    return q(f"select * from marts.fct_lead_scores where lead_id = ? and {default_model_filter()}", (lead_id,))


def kpi_definitions(q: Query) -> pd.DataFrame:
    return q(f"select * from {KPI_SEED} order by kpi_name")


def _columns(q: Query, table: str) -> set[str]:
    return set(q("select column_name from information_schema.columns where table_schema = 'marts' "
                 "and table_name = ?", (table,))["column_name"])


def kpi_dimensions(q: Query, kpi: pd.Series) -> dict[str, str]:
    """The groupings the KPI's mart offers."""
    available = _columns(q, kpi["mart"])
    return {column: label for column, label in KPI_DIMENSIONS.items() if column in available}


def kpi_by_month(q: Query, kpi: pd.Series, dimension: str | None) -> pd.DataFrame:
    """The KPI per created_month (and per value of `dimension`): columns created_month, group, value."""
    columns = _columns(q, kpi["mart"])
    wanted = [kpi["numerator_column"]] + ([kpi["denominator_column"]] if _has(kpi["denominator_column"]) else [])
    if dimension is not None:
        wanted.append(dimension)
    unknown = [c for c in wanted if c not in columns]
    if unknown:  # the seed names a column the mart lacks: say so rather than fail
        raise ValueError(f"KPI {kpi['kpi_name']}: marts.{kpi['mart']} has no column {', '.join(unknown)}")
    group = f'"{dimension}"' if dimension else "'all'"
    denominator = f'sum("{kpi["denominator_column"]}")' if _has(kpi["denominator_column"]) else "1"
    return q(f"""
        select created_month, cast({group} as varchar) as "group",
               sum("{kpi['numerator_column']}") as numerator, {denominator} as denominator,
               cast(sum("{kpi['numerator_column']}") as double) / nullif({denominator}, 0) as value
        from marts."{kpi['mart']}"
        group by all order by 1, 2""")


def _has(value) -> bool:
    return isinstance(value, str) and value.strip() != ""
