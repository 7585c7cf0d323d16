"""The landing page: what each page answers, with today's headline figures."""

from __future__ import annotations

import streamlit as st

from leadscore.dashboard import common, metrics

TITLE = "Overview"
URL_PATH = "overview"
QUESTION = "today's headline figures and where to look next."


def render() -> None:
    from leadscore.dashboard.views import PAGES

    st.title(TITLE)
    champion = metrics.champion_auc(common.q)
    left, right = st.columns(2)
    left.metric("MQLs today", f"{metrics.mql_count(common.q):,}")
    right.metric("Champion held-out AUC", "no backtest yet" if champion is None else
                 f"{champion[1]:.3f} ({champion[0]})")
    st.markdown("\n".join(f"- [**{page.TITLE}**]({page.URL_PATH}): {page.QUESTION}" for page in PAGES[1:]))
