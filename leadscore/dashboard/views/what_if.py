"""What if: change a rule's points or a category cap and see, before touching a seed, how many leads
change grade or MQL status and the held-out AUC of the edited rules; download the edited seed.
The figures come from the project's own compiled scoring SQL (leadscore.dashboard.whatif)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from leadscore.dashboard import common, whatif

TITLE = "What if"
URL_PATH = "what_if"
QUESTION = "what would a change to the rules do, before anyone edits a seed?"
RESULT_KEY = "_whatif_result"


@st.cache_data(show_spinner=False, max_entries=4)
def _plan(path: str, mtime_ns: int) -> whatif.Plan:
    return whatif.read_plan(Path(path))


def _param(name: str, default=None):
    return st.query_params.get(name, default)


def _choose(label: str, options: list, param: str, key: str, **kwargs):
    wanted = _param(param)
    index = options.index(wanted) if wanted in options else 0
    return st.selectbox(label, options, index=index, key=key, **kwargs)


def _edit_form(rules: pd.DataFrame, caps: pd.DataFrame):
    rule_set = _choose("Rule set", sorted(rules["rule_set_version"].unique()), "rule_set", "whatif_rule_set")
    in_set = rules[rules["rule_set_version"] == rule_set]
    labels = {r.rule_id: f"{r.rule_id} · {r.category} · {r.reason} ({r.points} points)" for r in in_set.itertuples()}
    rule_id = _choose("Rule", list(labels), "rule", "whatif_rule", format_func=labels.get) if labels else None
    left, right = st.columns(2)
    current = float(in_set.loc[in_set["rule_id"] == rule_id, "points"].iloc[0]) if rule_id else 0.0
    if rule_id == _param("rule") and _param("points") is not None:
        current = float(_param("points"))
    points = left.number_input("Points", value=current, step=1.0, key=f"whatif_points_{rule_set}_{rule_id}")
    set_caps = caps[caps["rule_set_version"] == rule_set]
    category = right.selectbox("Category cap", ["(no change)"] + list(set_caps["category"]),
                               key=f"whatif_cap_{rule_set}")
    cap = None
    if category != "(no change)":
        row = set_caps[set_caps["category"] == category].iloc[0]
        low = right.number_input("Cap: minimum points", value=float(row["min_points"]), key=f"whatif_min_{category}")
        high = right.number_input("Cap: maximum points", value=float(row["max_points"]), key=f"whatif_max_{category}")
        cap = (rule_set, category, low, high)
    return rule_set, rule_id, points, cap


def render() -> None:
    st.title(TITLE)
    path = whatif.manifest_path()
    try:
        plan = _plan(str(path), path.stat().st_mtime_ns if path.exists() else 0)
    except whatif.WhatIfUnavailable as exc:
        st.warning(str(exc), icon="⚠️")
        return
    rules = common.q("select * from seeds.scoring_rules")
    caps = common.q("select * from seeds.scoring_category_caps")
    rule_set, rule_id, points, cap = _edit_form(rules, caps)
    edit = (common.current().key, rule_set, rule_id, points, cap)
    seeds = whatif.edit_seeds(rules, caps, rule_id, points, cap)
    if st.button("Run what-if", type="primary"):
        with st.spinner("Re-running the scoring SQL over the edited rules..."):
            try:
                st.session_state[RESULT_KEY] = (edit, _run(plan, seeds, rule_set))
            except whatif.WhatIfUnavailable as exc:
                st.session_state[RESULT_KEY] = (edit, str(exc))
    stored = st.session_state.get(RESULT_KEY)
    if stored is None or stored[0] != edit:
        st.info("Edit a rule's points or a category cap, then press **Run what-if**.")
        return
    _show(stored[1], rule_set)
    left, right = st.columns(2)
    with left:
        common.download_csv(seeds["scoring_rules"], "Download the edited scoring_rules.csv", "scoring_rules.csv",
                            key="whatif_rules_csv")
    with right:
        common.download_csv(seeds["scoring_category_caps"], "Download the edited scoring_category_caps.csv",
                            "scoring_category_caps.csv", key="whatif_caps_csv")
    st.caption("Copy the file over seeds/scoring/ and run `dbt build` to adopt the edit.")


def _run(plan: whatif.Plan, seeds: dict, rule_set: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = whatif.run(common.current().path, plan, seeds)
    with con:
        return whatif.compare_scores(con, plan, rule_set), whatif.compare_auc(con, plan, rule_set)


def _show(result, rule_set: str) -> None:
    if isinstance(result, str):
        st.error(result)
        return
    scores, auc = result
    every = scores[scores["scope"] == "all leads scored by the rule set"].iloc[0]
    cells = st.columns(4)
    cells[0].metric("Leads changing grade", f"{int(every['grade_changes']):,}")
    cells[1].metric("Leads becoming MQL", f"{int(every['new_mqls']):,}")
    cells[2].metric("Leads no longer MQL", f"{int(every['lost_mqls']):,}")
    if auc.empty:
        cells[3].metric("Held-out AUC (edited)", "–", help="No backtest in this warehouse (see below).")
        st.info(common.NO_BACKTEST)
    else:
        last = auc.iloc[-1]
        cells[3].metric("Held-out AUC (edited)", f"{last['auc_after']:.4f}",
                        delta=f"{last['auc_after'] - last['auc_before']:+.4f} vs {last['auc_before']:.4f} as built")
    st.caption(f"Rule set {rule_set} as of the warehouse's as-of date: {int(every['leads']):,} leads scored, "
               f"MQLs {int(every['mqls_before']):,} → {int(every['mqls_after']):,}. Live = leads the A/B split "
               "assigns to this rule set.")
    st.dataframe(scores, hide_index=True, width="stretch")
    if not auc.empty:
        st.dataframe(auc, hide_index=True, width="stretch")
