"""A lead: score, grade and MQL history, contributions by rule and category, and the behaviour
behind its top reasons. Personal fields only where a mart exposes them (the routing mart, MQLs)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from leadscore.dashboard import common, metrics
from leadscore.scoring_models import default_model_filter

TITLE = "A lead"
URL_PATH = "lead"
QUESTION = "why does this lead score what it does, and since when?"
PROFILE = ["company", "persona", "seniority", "segment", "company_size_band", "industry", "country_code",
           "lead_source", "lead_status", "owner_name", "created_at", "crm_record_count"]


def _find(text: str):
    like = f"%{text.strip()}%"
    return common.q("""
        select lead_id, primary_crm_lead_id, company from marts.dim_leads
        where primary_crm_lead_id = ? or lead_id = ? or company ilike ?
        order by primary_crm_lead_id = ? desc, company, primary_crm_lead_id limit 200""",
                    (text.strip(), text.strip(), like, text.strip()))


def render() -> None:
    st.title(TITLE)
    text = st.text_input("CRM lead id or company", value=st.query_params.get("lead", ""), key="lead_search")
    if not text.strip():
        st.info("Type a CRM lead id (e.g. from the MQL queue) or part of a company name.")
        return
    found = _find(text)
    if found.empty:
        st.warning(f"No lead with CRM id or company matching “{text}”.")
        return
    labels = [f"{r.primary_crm_lead_id} · {r.company}" for r in found.itertuples()]
    choice = st.selectbox(f"{len(found)} matching lead(s)", range(len(found)), format_func=labels.__getitem__)
    lead_id = found["lead_id"].iloc[choice]
    _scores(lead_id)
    _history(lead_id)
    _contributions(lead_id)


def _scores(lead_id: str) -> None:
    score = metrics.lead_score(common.q, lead_id).iloc[0]
    cells = st.columns(5)
    cells[0].metric("Score", f"{float(score['total_score']):.2f}")
    cells[1].metric("Grade", score["grade"])
    cells[2].metric("MQL", "yes" if score["is_mql"] else "no", help=f"threshold {score['mql_threshold']}")
    cells[3].metric("Rule set", score["rule_set_version"])
    cells[4].metric("First MQL", common.day(score["first_mql_date"]))
    st.caption(f"Top reasons: {score['top_reasons'] or '–'}")
    profile = common.q("select * from marts.dim_leads where lead_id = ?", (lead_id,))
    routing = common.q("select email, routed_owner_name, next_action from marts.fct_lead_routing "
                       f"where lead_id = ? and {default_model_filter()}", (lead_id,))
    shown = profile[[c for c in PROFILE if c in profile.columns]].T.rename(columns={0: "value"})
    if not routing.empty:  # the routing mart exposes the email of MQLs (for the CRM sync)
        shown.loc["email (routing mart)"] = routing["email"].iloc[0]
        shown.loc["next action"] = routing["next_action"].iloc[0]
    st.dataframe(shown.astype(str), width="stretch")


def _history(lead_id: str) -> None:
    history = common.q(f"""select score_date, total_score, mql_threshold, grade, is_mql, rule_set_version
                           from marts.fct_lead_score_history where lead_id = ? and {default_model_filter()}
                           order by score_date""", (lead_id,))
    transitions = common.q(f"""select transition_date, transition, score_before, score_after, mql_threshold
                               from marts.fct_lead_mql_transitions where lead_id = ? and {default_model_filter()}
                               order by transition_date""", (lead_id,))
    st.subheader("Score history")
    base = alt.Chart(history).encode(x=alt.X("score_date:T", title="score date"))
    chart = base.mark_line(point=True).encode(y=alt.Y("total_score:Q", title="score"),
                                              tooltip=["score_date", "total_score", "grade", "is_mql"])
    chart += base.mark_rule(strokeDash=[4, 4], color="gray").encode(y="mql_threshold:Q")
    st.altair_chart(chart, width="stretch")
    if transitions.empty:
        st.caption("No MQL transition in the score history.")
    else:
        st.dataframe(transitions, hide_index=True, width="stretch")


def _contributions(lead_id: str) -> None:
    parts = common.q(f"""select rule_id, category, reason_text, feature_name, feature_value, points_raw,
                                decay_factor, cap_factor, points, reason_rank
                         from marts.fct_lead_score_contributions where lead_id = ? and {default_model_filter()}
                         order by reason_rank nulls last, points desc""", (lead_id,))
    st.subheader("Contributions")
    if parts.empty:
        st.caption("No rule fired for this lead.")
        return
    left, right = st.columns(2)
    left.altair_chart(alt.Chart(parts, title="By rule").mark_bar().encode(
        x=alt.X("points:Q"), y=alt.Y("reason_text:N", sort="-x", title=None), color="category:N",
        tooltip=["rule_id", "reason_text", "points", "decay_factor", "cap_factor"]), width="stretch")
    by_category = parts.groupby("category", as_index=False)["points"].sum()
    right.altair_chart(alt.Chart(by_category, title="By category").mark_bar().encode(
        x="points:Q", y=alt.Y("category:N", title=None), color="category:N"), width="stretch")
    st.markdown("**Behaviour behind the top reasons** (feature values as of the score date)")
    top = parts[parts["reason_rank"] <= 3]
    st.dataframe(top[["reason_rank", "reason_text", "feature_name", "feature_value", "points_raw",
                      "decay_factor", "cap_factor", "points"]], hide_index=True, width="stretch")
