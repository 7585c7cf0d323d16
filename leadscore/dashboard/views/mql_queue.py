"""MQL queue: today's MQLs by grade, owner and next action with their top reasons, for the reps."""

from __future__ import annotations

import altair as alt
import streamlit as st

from leadscore.dashboard import common, metrics

TITLE = "MQL queue"
URL_PATH = "mql_queue"
QUESTION = "who should sales call today, and why?"
FILTERS = {"persona": "Persona", "owner": "Owner", "rule_set_version": "Rule set"}


def render() -> None:
    st.title(TITLE)
    queue = metrics.mql_queue(common.q)
    columns = st.columns(len(FILTERS))
    shown = queue
    for column, (field, label) in zip(columns, FILTERS.items()):
        chosen = column.multiselect(label, sorted(queue[field].dropna().unique()), key=f"queue_{field}")
        if chosen:
            shown = shown[shown[field].isin(chosen)]
    total, new, owners = st.columns(3)
    total.metric("MQLs today", f"{metrics.mql_count(common.q):,}", help=f"{len(queue):,} routed to reps")
    new.metric("New since yesterday", f"{int(queue['is_new'].sum()):,}")
    owners.metric("Shown (filters)", f"{len(shown):,}")
    if shown.empty:
        st.info("No MQL matches these filters.")
        return
    charts = (("grade", "MQLs by grade"), ("owner", "MQLs by owner"), ("next_action", "MQLs by next action"))
    for place, (field, title) in zip(st.columns(len(charts)), charts):
        counts = shown.groupby(field, dropna=False).size().reset_index(name="mqls")
        place.altair_chart(alt.Chart(counts, title=title).mark_bar().encode(
            x=alt.X("mqls:Q", title="MQLs"), y=alt.Y(f"{field}:N", sort="-x", title=None),
            tooltip=[field, "mqls"]), width="stretch")
    table = shown.assign(new=shown["is_new"].map({True: "🆕 new", False: ""})).drop(columns=["is_new", "lead_id"])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "total_score": st.column_config.NumberColumn("score", format="%.2f"),
        "crm_lead_id": st.column_config.TextColumn("CRM id")})
    common.download_csv(table, "Export the queue as CSV", "mql_queue.csv", key="queue_csv")
