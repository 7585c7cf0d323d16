"""Account scores (issue 18, part 1) on generated data: leads link to the account of the company the generator
put them in, accounts whose people convert score higher, every MQA meets its thresholds and its figures add up
from its leads, the routing sends an MQA's MQLs to the account owner, bad account seeds stop the build before
any mart changes, a past as-of date links only the leads of then, and the summary names MQAs but no person."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from conftest import copy_project, dbt, query, use_warehouse

# the generator's account id of a person's company (leadscore/generate/writer.py, people_sql)
TRUE_ACCOUNT = "'001' || lpad(cast(t.company_idx as varchar), 12, '0') || 'AAA'"
# AUC of account_score for "someone at the account converts" (generator truth), measured on the test data
# (2,000 leads, seed 42, as of 2026-10-31): 0.654 (the engagement points alone 0.693, fit alone 0.566: the
# shipped industry and region rules are an ICP the generator does not reward). The floor sits a bit under it.
ACCOUNT_AUC_FLOOR = 0.62


def _rows(path: Path, sql: str) -> list[dict]:
    import duckdb
    with duckdb.connect(str(path), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def test_leads_link_to_the_account_of_their_true_company(built_warehouse):
    by_kind = {kind: (n, linked, right) for kind, n, linked, right in query(built_warehouse, f"""
        select t.domain_kind, count(*), count(l.lead_id),
               count(*) filter (where l.crm_account_id = {TRUE_ACCOUNT})
        from generator_truth.leads as t
        inner join marts.dim_leads as d on md5(t.email) = d.lead_id
        left join intermediate.int_lead_accounts as l on d.lead_id = l.lead_id
        group by 1""")}
    # every link is to the person's own company (some accounts are soft-deleted: their people have none)
    assert all(linked == right for _, linked, right in by_kind.values()), by_kind
    n, linked, _ = by_kind["business"]
    assert linked >= 0.95 * n, by_kind  # measured 98%: 1,274 of 1,295
    n, linked, _ = by_kind["free_mail"]
    assert 0.5 * n <= linked < n, by_kind  # by company name: 354 of 425 (students say 'Student')
    assert by_kind["internal"][1] == 0 and by_kind["disposable"][1] == 0, by_kind
    methods = dict(query(built_warehouse, "select match_method, count(*) from intermediate.int_lead_accounts group by 1"))
    assert set(methods) == {"opportunity", "email_domain", "company_name"}, methods


def test_accounts_whose_people_convert_score_higher(built_warehouse):
    rows = query(built_warehouse, f"""
        with truth as (
            select {TRUE_ACCOUNT} as crm_account_id, max(case when t.is_converted then 1 else 0 end) as converts
            from generator_truth.leads as t
            where t.persona not in ('spammer', 'internal')
            group by 1
        )
        select a.account_score, truth.converts, a.is_mqa
        from marts.fct_account_scores as a
        inner join truth on a.crm_account_id = truth.crm_account_id""")
    data = np.array([[float(s), c, m] for s, c, m in rows])
    assert len(data) > 250 and 0 < data[:, 1].sum() < len(data)
    auc = roc_auc_score(data[:, 1], data[:, 0])
    assert auc >= ACCOUNT_AUC_FLOOR, f"AUC of the account score fell to {auc:.3f}"
    mqa, other = data[data[:, 2] == 1], data[data[:, 2] == 0]
    assert len(mqa) >= 5, "too few MQAs to compare"
    assert mqa[:, 1].mean() > other[:, 1].mean() + 0.1  # measured 0.78 vs 0.53


def _recomputed(path: Path) -> dict[str, dict]:
    """Each account's roll-up recomputed in Python from the lead links, the live lead scores and the seed."""
    thresholds = {r["segment"]: r for r in _rows(path, "select * from intermediate.int_account_mqa_thresholds")}
    accounts = {r["crm_account_id"]: r for r in _rows(path, """
        select crm_account_id, segment from intermediate.int_crm_accounts""")}
    out = {a: {"linked": 0, "engaged": 0, "personas": set(), "mqls": 0,
               "rule": thresholds.get(acc["segment"], thresholds["all"])} for a, acc in accounts.items()}
    for r in _rows(path, """
            select l.crm_account_id, s.persona, s.total_score, s.is_spam, s.is_mql
            from intermediate.int_lead_accounts as l
            inner join intermediate.int_lead_scores_current as s on l.lead_id = s.lead_id"""):
        acc = out[r["crm_account_id"]]
        acc["linked"] += 1
        acc["mqls"] += int(r["is_mql"])
        if not r["is_spam"] and r["total_score"] >= acc["rule"]["engaged_lead_min_score"]:
            acc["engaged"] += 1
            if r["persona"] not in ("unknown", "other"):
                acc["personas"].add(r["persona"])
    return out


def _check_account_figures(path: Path) -> list[dict]:
    expected = _recomputed(path)
    scores = _rows(path, "select * from intermediate.int_account_scores")
    assert {s["crm_account_id"] for s in scores} == set(expected)
    for s in scores:
        e = expected[s["crm_account_id"]]
        got = (s["linked_leads"], s["engaged_leads"], s["personas_engaged"], s["mql_leads"])
        assert got == (e["linked"], e["engaged"], len(e["personas"]), e["mqls"]), (s["crm_account_id"], got, e)
        assert s["is_mqa"] == (s["account_score"] >= e["rule"]["min_account_score"]
                               and len(e["personas"]) >= e["rule"]["min_personas_engaged"])
        if s["is_mqa"]:
            assert s["personas_engaged"] >= s["min_personas_engaged"] >= 1
    (links,), = query(path, """
        select count(*) from intermediate.int_lead_accounts as l
        inner join intermediate.int_lead_scores_current as s on l.lead_id = s.lead_id""")
    assert sum(s["linked_leads"] for s in scores) == links
    return scores


def test_every_mqa_meets_its_thresholds_and_the_counts_add_up(built_warehouse):
    scores = _check_account_figures(built_warehouse)
    mqas = [s for s in scores if s["is_mqa"]]
    assert 5 <= len(mqas) < 0.1 * len(scores), len(mqas)  # measured 9 of 328
    # the mart is the intermediate model with reasons and owners: same accounts, same flags
    mart = {r[0]: r[1:] for r in query(built_warehouse, """
        select crm_account_id, is_mqa, account_score, top_reasons from marts.fct_account_scores""")}
    assert {s["crm_account_id"]: (s["is_mqa"], s["account_score"]) for s in scores} == \
        {a: (m, sc) for a, (m, sc, _) in mart.items()}
    assert all(": +" in reasons for m, _, reasons in mart.values() if m)
    # counts of leads, never a lead: no column or value of the mart is an email address
    text_cols = [c for (c,) in query(built_warehouse, """
        select column_name from information_schema.columns
        where table_schema = 'marts' and table_name = 'fct_account_scores' and data_type = 'VARCHAR'""")]
    assert "account_name" in text_cols and not any("email" in c for c in text_cols)
    (addresses,), = query(built_warehouse, "select count(*) from marts.fct_account_scores where "
                          + " or ".join(f"{c} like '%@%'" for c in text_cols))
    assert addresses == 0


def test_routing_sends_the_mqls_of_an_mqa_to_the_account_owner(built_warehouse):
    rows = query(built_warehouse, """
        select r.lead_id, r.routing_reason, r.routed_owner_id, a.is_mqa, a.owner_id, a.is_owner_active
        from marts.fct_lead_routing as r
        left join marts.fct_account_scores as a on r.crm_account_id = a.crm_account_id""")
    to_owner = [r for r in rows if r[3] and r[5]]
    assert to_owner, "no MQL of an MQA with an active owner to route"
    for lead, reason, routed, is_mqa, owner, owner_active in rows:
        if is_mqa and owner_active:
            assert (reason, routed) == ("account_owner", owner), lead
        else:
            assert reason != "account_owner", lead
    # every MQL of a linked lead carries its account
    (unlinked,), = query(built_warehouse, """
        select count(*) from marts.fct_lead_routing as r
        inner join intermediate.int_lead_accounts as l on r.lead_id = l.lead_id
        where r.crm_account_id is distinct from l.crm_account_id""")
    assert unlinked == 0


def _edit_csv(path: Path, extra: list[dict], change=None) -> None:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = [change(r) if change else r for r in rows] + extra
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_bad_account_seeds_stop_the_build_before_any_mart(scratch_warehouse, tmp_path):
    before = query(scratch_warehouse, "select count(*), count(*) filter (where is_mqa) from marts.fct_account_scores")
    project = copy_project(tmp_path / "project")
    seeds = project / "seeds/scoring"
    rule = {"rule_id": "", "category": "fit", "feature_name": "", "value": "", "min_value": "", "max_value": "",
            "points": "5", "reason": "bad"}
    _edit_csv(seeds / "account_scoring_rules.csv", [
        {**rule, "rule_id": "X1", "feature_name": "web_sessions_total", "min_value": "1"},
        {**rule, "rule_id": "X2", "feature_name": "engaged_leads", "min_value": "1"},
        {**rule, "rule_id": "X3", "feature_name": "industry"},
        {**rule, "rule_id": "X4", "feature_name": "employee_count", "min_value": "500", "max_value": "100"},
    ])
    _edit_csv(seeds / "account_mqa_thresholds.csv", [],
              lambda r: {**r, "min_personas_engaged": "0"} if r["segment"] == "enterprise" else r)
    _edit_csv(seeds / "account_grade_bands.csv", [], lambda r: {**r, "max_score": "75"} if r["grade"] == "B" else r)
    result = dbt(scratch_warehouse, "build", "--select", "path:seeds/scoring", "int_account_scoring_rules+",
                 "int_account_mqa_thresholds+", "int_account_grade_bands+", "int_build_inputs_checked",
                 project_dir=project, check=False)
    assert not result.success
    errors = result.messages("error")
    for fragment in [
        "X1: unknown feature web_sessions_total (not an account feature",
        "X2: feature engaged_leads gives engagement points, not fit",
        "X3: text feature industry needs a value",
        "X4: min_value must be below max_value",
        "Bad seed account_mqa_thresholds: enterprise: min_personas_engaged must be a whole number of at least 1",
        "Bad seed account_grade_bands: B: overlaps band A",
    ]:
        assert fragment in errors, fragment
    assert {"int_account_scoring_rules", "int_account_mqa_thresholds", "int_account_grade_bands"} <= result.names("error")
    # the gate every mart waits for is skipped, so no mart is rebuilt from the bad seeds
    assert {"int_build_inputs_checked", "int_account_features", "fct_account_scores", "fct_lead_routing",
            "fct_lead_scores"} <= result.names("skipped")
    assert query(scratch_warehouse, """
        select count(*), count(*) filter (where is_mqa) from marts.fct_account_scores""") == before


def test_account_scores_as_of_a_past_date_use_only_what_existed_then(scratch_warehouse):
    as_of = "2026-04-30"
    (linked_then_now,), = query(scratch_warehouse, "select count(*) from intermediate.int_lead_accounts")
    # the models only: the tests of the scoring marts would compare them with marts left at the later date
    dbt(scratch_warehouse, "run", "--select", "int_scoring_dates+,+fct_account_scores", vars_={"as_of_date": as_of})
    cutoff = dt.date.fromisoformat(as_of) + dt.timedelta(days=1)
    (dates,), = query(scratch_warehouse, "select list(distinct as_of_date) from marts.fct_account_scores")
    assert dates == [dt.date.fromisoformat(as_of)]
    (later, linked), = query(scratch_warehouse, """
        select count(*) filter (where d.created_at >= ?), count(*)
        from intermediate.int_lead_accounts as l
        inner join intermediate.int_leads_deduplicated as d on l.lead_id = d.lead_id""", [cutoff])
    assert later == 0 and 0 < linked < linked_then_now
    (opportunity_links_later,), = query(scratch_warehouse, """
        select count(*) from intermediate.int_lead_accounts as l
        where l.match_method = 'opportunity' and not exists (
            select 1 from staging.stg_crm__opportunities as o
            inner join intermediate.int_crm_lead_records as r on o.crm_lead_id = r.crm_lead_id
            where r.lead_id = l.lead_id and o.created_at < ?)""", [cutoff])
    assert opportunity_links_later == 0
    _check_account_figures(scratch_warehouse)


def test_summary_names_mqas_and_top_accounts_without_people(built_warehouse, capsys):
    from leadscore import cli

    with use_warehouse(built_warehouse):
        assert cli.main(["summary", "--top", "5"]) == 0
    out = capsys.readouterr().out
    (accounts, mqas, to_owner), = query(built_warehouse, """
        select count(*), count(*) filter (where is_mqa),
               (select count(*) from marts.fct_lead_routing where routing_reason = 'account_owner')
        from marts.fct_account_scores""")
    assert f"{mqas:,} MQAs of {accounts:,} accounts" in out
    assert f"{to_owner:,} MQLs of MQAs routed to the account owner" in out
    section = out.split("Account scores (fct_account_scores)")[1].split("\n\n")[0]
    top = query(built_warehouse, """
        select account_name, top_reasons from marts.fct_account_scores
        order by is_mqa desc, account_score desc, crm_account_id limit 5""")
    for name, reasons in top:
        assert name[:26] in section and reasons in section
    reps = [name for (name,) in query(built_warehouse, "select user_name from staging.stg_crm__users")]
    assert not any(rep in section for rep in reps) and "@" not in section
