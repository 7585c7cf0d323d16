"""What every page shares: the source it reads (with its notice), cached queries, standard notices."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from leadscore.dashboard import source as source_mod
from leadscore.dashboard.source import Source

SOURCE_KEY = "_leadscore_source"
NO_BACKTEST = (
    "**No backtest yet**: the evaluation marts are empty because the warehouse was built without "
    "backtest cut-offs. Run one (each cut-off at least 90 days before the as-of date), then reload:\n\n"
    "```bash\nexport DBT_PROFILES_DIR=$PWD/profiles\n"
    ".venv/bin/dbt build --vars '{backtest_cutoff_dates: [\"2026-04-30\", \"2026-07-31\"]}'\n```"
)


def load_source() -> Source | None:
    """Resolve the warehouse for this run of the page; show the notice and return None if it cannot
    be read, or a banner with the time of the data (and a warning when it is the last snapshot)."""
    try:
        current = source_mod.resolve()
    except source_mod.Unavailable as exc:
        st.warning(str(exc), icon="⚠️")
        return None
    st.session_state[SOURCE_KEY] = current
    written = current.written_at.strftime("%Y-%m-%d %H:%M UTC")
    as_of = day(q("select max(as_of_date) as d from marts.fct_lead_scores")["d"].iloc[0])
    if current.is_stale:
        st.warning(f"A build is writing the warehouse right now: showing the last copy, data written "
                   f"{written} (scores as of {as_of}). Reload when the build has finished.", icon="⏳")
    else:
        st.caption(f"Scores as of {as_of} · warehouse written {written} · {current.warehouse}")
    return current


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, sql: str, params: tuple) -> pd.DataFrame:
    return source_mod.query(Path(path), sql, params)  # a snapshot never changes: its path is the key


def q(sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """A read-only query of the current snapshot, cached until the data changes."""
    current: Source = st.session_state[SOURCE_KEY]
    return _cached(str(current.path), sql, tuple(params))


def current() -> Source:
    return st.session_state[SOURCE_KEY]


def has_backtest() -> bool:
    """True when the evaluation marts hold a backtest; otherwise shows how to run one."""
    if source_mod.has_rows(current(), "marts.rpt_champion_challenger"):
        return True
    st.info(NO_BACKTEST, icon="ℹ️")
    return False


def download_csv(frame: pd.DataFrame, label: str, file_name: str, key: str) -> None:
    st.download_button(label, frame.to_csv(index=False).encode(), file_name=file_name, mime="text/csv", key=key)


def day(value) -> str:
    """A date for the reader (YYYY-MM-DD), or – when there is none."""
    return "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def percent(value) -> str:
    return "–" if value is None or value != value else f"{100 * float(value):.1f}%"
