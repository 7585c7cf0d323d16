"""Threshold and capacity: MQL volume per week at a threshold against sales capacity, and the
conversions it captures, from the backtest's threshold sweep."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st
import yaml

from leadscore import warehouse
from leadscore.dashboard import common, metrics, whatif

TITLE = "Threshold and capacity"
URL_PATH = "threshold_capacity"
QUESTION = "where should the MQL threshold be for the reps we have?"
CAPACITY_VAR = "sales_capacity_mqls_per_week"


def _capacity_default() -> float | None:
    """The sales capacity var: as the last dbt command set it (run_results.json), else dbt_project.yml's."""
    results = whatif.manifest_path().with_name("run_results.json")
    build_vars = json.loads(results.read_text())["args"].get("vars") or {} if results.exists() else {}
    config = yaml.safe_load((warehouse.PROJECT_ROOT / "dbt_project.yml").read_text())
    value = build_vars.get(CAPACITY_VAR, (config.get("vars") or {}).get(CAPACITY_VAR))
    return float(value) if value is not None else None


def render() -> None:
    st.title(TITLE)
    if not common.has_backtest():
        return
    contenders = common.q("select distinct contender from marts.rpt_backtest_threshold_sweep order by 1")
    names = list(contenders["contender"])
    champion = metrics.champion_auc(common.q)
    start = names.index(champion[0]) if champion and champion[0] in names else 0
    contender = st.selectbox("Contender", names, index=start, key="threshold_contender")
    sweep = metrics.threshold_sweep(common.q, contender)
    if sweep.empty:
        st.info(f"No threshold sweep for {contender}.")
        return
    steps = sorted(sweep["threshold"].astype(int))
    shipped = common.q("select threshold from seeds.scoring_mql_thresholds where rule_set_version = ? "
                       "and persona = 'all'", (contender,))["threshold"]
    start = int(float(shipped.iloc[0])) if len(shipped) else steps[len(steps) // 2]
    threshold = st.select_slider("MQL threshold", options=steps, value=min(steps, key=lambda t: abs(t - start)),
                                 key=f"threshold_{contender}", help="Starts at the rule set's own threshold.")
    default = _capacity_default() or float(sweep.loc[sweep["threshold"] == threshold, "mqls_per_week"].iloc[0])
    capacity = st.number_input("Sales capacity (MQLs per week)", min_value=0.0, value=round(default, 1),
                               help=f"Default: var {CAPACITY_VAR} when the build or dbt_project.yml sets it, else the "
                               "volume at the threshold.", key="capacity")
    row = sweep[sweep["threshold"] == threshold].iloc[0]
    cells = st.columns(4)
    cells[0].metric("MQLs per week", f"{row['mqls_per_week']:.1f}",
                    delta=f"{row['mqls_per_week'] - capacity:+.1f} vs capacity", delta_color="inverse")
    cells[1].metric("Conversions captured", common.percent(row["conversion_recall"]))
    cells[2].metric("MQL precision", common.percent(row["mql_precision"]))
    cells[3].metric("MQLs at the cut-off", f"{int(row['mql_volume']):,}")
    st.caption(f"Held-out cut-off {common.day(row['as_of_date'])}: the leads each threshold flags at the cut-off, spread "
               f"over the {int(row['label_window_days'])}-day label window, against their conversions in it.")
    _chart(sweep, threshold, capacity)


def _chart(sweep: pd.DataFrame, threshold: int, capacity: float) -> None:
    base = alt.Chart(sweep).encode(x=alt.X("threshold:Q", title="MQL threshold"))
    volume = base.mark_line(point=True).encode(y=alt.Y("mqls_per_week:Q", title="MQLs per week"),
                                               tooltip=["threshold", "mqls_per_week", "conversion_recall"])
    rules = alt.Chart(pd.DataFrame({"capacity": [capacity]})).mark_rule(color="red").encode(y="capacity:Q")
    chosen = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(strokeDash=[4, 4]).encode(x="threshold:Q")
    recall = base.mark_line(color="green").encode(y=alt.Y("conversion_recall:Q", title="conversions captured",
                                                          axis=alt.Axis(format="%")))
    st.altair_chart(alt.layer(volume + rules + chosen, recall).resolve_scale(y="independent"), width="stretch")
