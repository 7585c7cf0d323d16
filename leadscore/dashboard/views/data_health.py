"""Data health: source freshness, reconciliation of raw and staged rows, rejected rows by reason,
and the last dbt build's time and status."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from leadscore.dashboard import common, whatif

TITLE = "Data health"
URL_PATH = "data_health"
QUESTION = "can today's numbers be trusted?"
PERIOD_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24}


def _manifest() -> dict | None:
    path = whatif.manifest_path()
    return json.loads(path.read_text()) if path.exists() else None


def _limit_hours(rule: dict | None) -> float | None:
    if not rule or rule.get("count") is None:
        return None
    return rule["count"] * PERIOD_HOURS[rule["period"]]


def _freshness(manifest: dict) -> pd.DataFrame:
    """Newest load per declared source table against its warn/error thresholds, relative to now (UTC)."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = []
    for src in manifest["sources"].values():
        loaded_at = src.get("loaded_at_field")
        if not loaded_at:
            continue
        newest = common.q(f'select max("{loaded_at}") as t from "{src["schema"]}"."{src["identifier"]}"')["t"].iloc[0]
        age = (now - pd.Timestamp(newest).to_pydatetime().replace(tzinfo=None)).total_seconds() / 3600 \
            if pd.notna(newest) else None
        fresh = src.get("freshness") or {}
        warn, error = _limit_hours(fresh.get("warn_after")), _limit_hours(fresh.get("error_after"))
        status = ("no rows" if age is None else "error" if error and age > error else
                  "warn" if warn and age > warn else "pass" if warn or error else "not checked")
        rows.append({"source": f"{src['source_name']}.{src['name']}", "newest_load_utc": newest,
                     "age_hours": None if age is None else round(age, 1), "warn_after_hours": warn,
                     "error_after_hours": error, "status": status})
    return pd.DataFrame(rows)


def _last_build() -> None:
    path = whatif.manifest_path().with_name("run_results.json")
    if not path.exists():
        st.info(f"No dbt run results at {path}.")
        return
    results = json.loads(path.read_text())
    statuses = pd.Series([r["status"] for r in results["results"]]).value_counts()
    failed = int(statuses.get("error", 0) + statuses.get("fail", 0))
    cells = st.columns(2)
    cells[0].metric("Last dbt command", f"dbt {results['args'].get('which', '?')}")
    cells[1].metric("Status", "failed" if failed else "success", help=", ".join(f"{k} {v}" for k, v in statuses.items()))
    finished = results["metadata"]["generated_at"][:19].replace("T", " ")
    st.caption(f"Finished {finished} UTC: {len(results['results'])} nodes in {results['elapsed_time']:.0f} s; vars "
               f"{json.dumps(results['args'].get('vars') or {})}")


def render() -> None:
    st.title(TITLE)
    st.subheader("Last build")
    _last_build()
    st.subheader("Source freshness")
    manifest = _manifest()
    if manifest is None:
        st.info(f"No dbt manifest at {whatif.manifest_path()}: run `dbt build`.")
    else:
        st.dataframe(_freshness(manifest), hide_index=True, width="stretch")
    st.subheader("Reconciliation: raw rows against staged and rejected")
    st.dataframe(common.q("select * from marts.audit_source_reconciliation order by source_table"),
                 hide_index=True, width="stretch")
    st.subheader("Rejected rows by reason")
    rejected = common.q("""select source_table, rejection_reason, count(*) as rows
                           from marts.audit_rejected_rows group by all order by rows desc""")
    if rejected.empty:
        st.success("No rejected rows.")
    else:
        st.bar_chart(rejected, x="rejection_reason", y="rows", color="source_table", horizontal=True)
        st.dataframe(rejected, hide_index=True, width="stretch")
