"""KPIs: the project's measurement framework (seed kpi_definitions) by month, persona and source."""

from __future__ import annotations

import altair as alt
import streamlit as st

from leadscore.dashboard import common, metrics

TITLE = "KPIs"
URL_PATH = "kpis"
QUESTION = "are leads converting faster and cheaper, month by month?"
UNIT_FORMAT = {"ratio": ".1%", "days": ".1f", "usd": "$,.0f", "leads": ",.0f"}


def render() -> None:
    st.title(TITLE)
    definitions = metrics.kpi_definitions(common.q)
    if definitions.empty:
        st.info("The seed kpi_definitions is empty: no KPI to show.")
        return
    names = list(definitions["kpi_name"])
    default = names.index("lead_to_customer_rate") if "lead_to_customer_rate" in names else 0
    name = st.selectbox("KPI", names, index=default, key="kpi_name")
    kpi = definitions[definitions["kpi_name"] == name].iloc[0]
    dimensions = metrics.kpi_dimensions(common.q, kpi)
    by = st.radio("By", ["(all leads)"] + list(dimensions), horizontal=True, key="kpi_by",
                  format_func=lambda c: dimensions.get(c, c))
    try:
        series = metrics.kpi_by_month(common.q, kpi, None if by == "(all leads)" else by)
    except ValueError as exc:
        st.error(str(exc))
        return
    st.markdown(f"**{name}** ({kpi['unit']}): {kpi['definition']} · from `marts.{kpi['mart']}`")
    fmt = UNIT_FORMAT.get(kpi["unit"], ",.2f")
    st.altair_chart(alt.Chart(series).mark_line(point=True).encode(
        x=alt.X("created_month:T", title="month the lead was created"),
        y=alt.Y("value:Q", title=name, axis=alt.Axis(format=fmt)), color=alt.Color("group:N", title=None),
        tooltip=["created_month", "group", alt.Tooltip("value:Q", format=fmt), "numerator", "denominator"]),
        width="stretch")
    st.dataframe(series, hide_index=True, width="stretch")
    st.subheader("Measurement framework")
    st.dataframe(definitions, hide_index=True, width="stretch")
