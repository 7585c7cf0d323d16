"""Is the scoring working? Held-out AUC of champion and challengers, lift by decile, calibration,
precision and recall at the MQL threshold, and the live A/B of rule sets with its uncertainty."""

from __future__ import annotations

import altair as alt
import streamlit as st

from leadscore.dashboard import common, metrics

TITLE = "Is the scoring working?"
URL_PATH = "scoring_health"
QUESTION = "do high scores convert, on leads the weights never saw?"


def render() -> None:
    st.title(TITLE)
    if not common.has_backtest():
        _ab_test()
        return
    contenders = metrics.champion_challenger(common.q)
    latest = contenders[contenders["as_of_date"] == contenders["as_of_date"].max()]
    champion = metrics.champion_auc(common.q)
    cells = st.columns(len(latest))
    for cell, row in zip(cells, latest.itertuples()):
        cell.metric(f"Held-out AUC · {row.contender}" + (" (champion)" if row.is_champion else ""),
                    f"{row.roc_auc:.3f}", delta=None if row.is_champion else f"{row.auc_change_vs_champion:+.3f}")
    st.caption(f"Cut-off {common.day(champion[2])}: scores as of the cut-off, outcome = opportunity created in the label "
               "window; weights learned on the earlier cut-off. Delta = change against the champion.")
    st.dataframe(contenders, hide_index=True, width="stretch")
    left, right = st.columns(2)
    lift = metrics.deciles(common.q)
    lift = lift[lift["as_of_date"] == lift["as_of_date"].max()]
    left.altair_chart(alt.Chart(lift, title="Lift by score decile (1 = top 10%)").mark_line(point=True).encode(
        x=alt.X("score_decile:O", title="decile"), y=alt.Y("lift:Q"), color="contender:N",
        tooltip=["contender", "score_decile", "conversion_rate", "lift"]), width="stretch")
    calib = metrics.calibration(common.q).dropna(subset=["predicted_rate"])
    calib = calib[calib["as_of_date"] == calib["as_of_date"].max()]
    diagonal = alt.Chart(calib).mark_line(color="gray", strokeDash=[4, 4]).encode(x="predicted_rate:Q",
                                                                                 y="predicted_rate:Q")
    right.altair_chart(diagonal + alt.Chart(calib, title="Calibration: predicted vs observed rate").mark_line(
        point=True).encode(x=alt.X("predicted_rate:Q", title="predicted"), y=alt.Y("observed_rate:Q", title="observed"),
                           color="contender:N", tooltip=["contender", "score_band", "lead_count"]), width="stretch")
    st.subheader("Precision and recall at the MQL threshold (held-out)")
    st.dataframe(metrics.mql_accuracy(common.q), hide_index=True, width="stretch")
    _ab_test()


def _ab_test() -> None:
    st.subheader("Live A/B test of rule sets")
    arms = metrics.ab_test(common.q)
    if arms.empty:
        st.info("No A/B result yet: rpt_rule_set_ab_test is empty.")
        return
    points = alt.Chart(arms, title="MQL precision per arm, 95% interval").mark_point(filled=True, size=80).encode(
        x=alt.X("mql_precision:Q", title="MQL precision"), y=alt.Y("rule_set_version:N", title=None))
    bars = alt.Chart(arms).mark_rule().encode(x="mql_precision_low:Q", x2="mql_precision_high:Q",
                                              y="rule_set_version:N")
    st.altair_chart(bars + points, width="stretch")
    st.dataframe(arms, hide_index=True, width="stretch")
