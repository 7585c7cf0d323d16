"""Scoring marts on generated data: seeds drive the scores (edit a CSV in a copy of the project, rebuild,
and exactly the affected leads change), bad seeds fail fast naming the rule, the default rules rank
converters higher, the daily job keeps a history, and BI marts carry nothing personal."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from conftest import TEST_AS_OF, copy_project, dbt, query, use_warehouse

# AUC of the shipped v1 rules' total_score (as of TEST_AS_OF) against generator_truth.leads.is_converted,
# measured on the test data (2000 leads, seed 42, generator of commit 0cb41d4): 0.755 (v2, the challenger:
# 0.793). The floor sits a bit under it: dropping below means the rules, the decay or the features regressed.
# Lifecycle resets (issue 18, part 4) take the engagement of a lead whose opportunity was lost: such a lead
# counts as converted here, so the AUC is measured on the leads without a lost opportunity by TEST_AS_OF
# (1,810 of 1,912): 0.812 before the resets, 0.810 with them (v2: 0.846, 0.844).
DEFAULT_RULES_AUC_FLOOR = 0.78

Rows = list[dict[str, str]]

# what a seed edit rebuilds: the scoring seeds, the scoring models and their tests (not other areas' models)
SCORING = ["path:seeds/scoring", "path:models/intermediate/scoring", "path:models/marts/scoring"]


def edit_csv(path: Path, edit: Callable[[Rows], Rows]) -> None:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = edit(rows)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def live_scores(path: Path) -> dict[str, tuple]:
    """lead_id -> (rule_set_version, persona, total_score, is_mql, is_spam, grade)."""
    return {r[0]: r[1:] for r in query(path, """
        select lead_id, rule_set_version, persona, total_score, is_mql, is_spam, grade
        from marts.fct_lead_scores""")}


def clamped_leads(path: Path) -> set[str]:
    """Leads whose engagement points are capped or whose total is brought back into 0-100."""
    return {lead for (lead,) in query(path, """
        select distinct lead_id from marts.fct_lead_score_contributions
        where category = 'bounds' or (category = 'engagement' and cap_factor < 1)""")}


def test_changing_one_weight_and_one_threshold_changes_exactly_the_affected_leads(scratch_warehouse, tmp_path):
    edited_rule = "v1_E03"  # demo page viewed: +10 in the shipped seed
    before = live_scores(scratch_warehouse)
    fired = {lead: points for lead, points in query(scratch_warehouse, """
        select lead_id, points from marts.fct_lead_score_contributions where rule_id = ?""", [edited_rule])}
    counting = {lead for lead, points in fired.items() if points != 0}
    clamped = clamped_leads(scratch_warehouse)
    assert len(counting - clamped) >= 20, "too few leads hit the edited rule to prove anything"

    project = copy_project(tmp_path / "project")

    def double_demo_page_points(rows: Rows) -> Rows:
        for r in rows:
            if r["rule_id"] == edited_rule:
                r["points"] = str(float(r["points"]) * 2)
        return rows

    def lower_default_threshold(rows: Rows) -> Rows:
        for r in rows:
            if r["rule_set_version"] == "v1" and r["persona"] == "all":
                r["threshold"] = "40"
        return rows

    edit_csv(project / "seeds/scoring/scoring_rules.csv", double_demo_page_points)
    edit_csv(project / "seeds/scoring/scoring_mql_thresholds.csv", lower_default_threshold)
    dbt(scratch_warehouse, "build", "--select", *SCORING, project_dir=project)
    after = live_scores(scratch_warehouse)

    assert before.keys() == after.keys()
    changed_score = {lead for lead in before if before[lead][2] != after[lead][2]}
    # only leads that fired the rule can change (a rule decayed to 0.00 may round up to 0.01)...
    assert changed_score <= fired.keys()
    # ...and every one where it counted changes by its points (give or take a cent of rounding), unless an
    # engagement cap or the 0-100 bounds bind before or after the edit
    clamped |= clamped_leads(scratch_warehouse)
    for lead in counting - clamped:
        assert abs(after[lead][2] - before[lead][2] - fired[lead]) <= Decimal("0.01"), lead
    for lead, (rule_set, persona, score, is_mql, is_spam, _grade) in after.items():
        if rule_set == "v1":
            threshold = 70 if persona == "student" else 40
            assert is_mql == (score >= threshold and not is_spam), lead
        else:
            assert after[lead] == before[lead], "the v2 rule set was not edited"
    newly_mql = {lead for lead in after if after[lead][3] and not before[lead][3]}
    assert newly_mql, "lowering the threshold made no new MQLs"
    unchanged_rule_set = {lead for lead in after if after[lead][0] == "v2"}
    assert unchanged_rule_set, "no lead is scored by the challenger"


BAD_RULES = [
    # (rule_id, feature_name, operator, value, points, expected fragment of the error)
    ("bad_feature", "web_no_such_feature", ">=", "1", "5",
     "rule bad_feature: unknown feature web_no_such_feature"),
    ("bad_operator", "web_sessions_total", "~=", "1", "5", "rule bad_operator: unknown operator ~="),
    ("bad_value", "web_sessions_total", ">=", "three", "5", "rule bad_value: value three does not parse as a number"),
    ("bad_points", "web_sessions_total", ">=", "3", "ten", "rule bad_points: points ten is not a number"),
    ("v1_E01", "web_sessions_total", ">=", "1", "5", "rule v1_E01: duplicate rule_id"),
]


def test_bad_seeds_fail_the_build_naming_the_rule_and_the_problem(scratch_warehouse, tmp_path):
    project = copy_project(tmp_path / "project")

    def add_bad_rules(rows: Rows) -> Rows:
        for rule_id, feature, op, value, points, _ in BAD_RULES:
            rows.append({"rule_id": rule_id, "rule_set_version": "v1", "category": "engagement",
                         "feature_name": feature, "operator": op, "value": value, "value_to": "",
                         "points": points, "persona": "all", "is_active": "true", "reason": "bad"})
        return rows

    def overlap_bands(rows: Rows) -> Rows:
        for r in rows:
            if r["rule_set_version"] == "v1" and r["dimension"] == "fit" and r["grade"] == "B":
                r["max_points"] = "35"  # B = [20, 35) overlaps A = [30, ...)
        return rows

    edit_csv(project / "seeds/scoring/scoring_rules.csv", add_bad_rules)
    edit_csv(project / "seeds/scoring/scoring_grade_bands.csv", overlap_bands)
    result = dbt(scratch_warehouse, "build", "--select", *SCORING, project_dir=project, check=False)
    assert not result.success
    errors = result.messages("error")
    for *_, fragment in BAD_RULES:
        assert fragment in errors
    assert "Bad seed scoring_grade_bands: v1/fit grade A: overlaps band B" in errors
    # fail fast: every seed checked in the same run, nothing downstream of them built
    assert {"int_scoring_rules", "int_scoring_grade_bands"} <= result.names("error")
    skipped = result.names("skipped")
    assert {"int_lead_rule_hits", "int_lead_scores_by_date", "fct_lead_scores", "fct_lead_routing"} <= skipped
    # the warehouse still holds the last good scores
    assert query(scratch_warehouse, "select count(*) from marts.fct_lead_scores")[0][0] > 0


def test_default_rules_rank_leads_that_convert_higher(built_warehouse):
    rows = query(built_warehouse, f"""
        select s.total_score, case when t.is_converted then 1 else 0 end
        from intermediate.int_lead_scores_by_date as s
        inner join generator_truth.leads as t on md5(t.email) = s.lead_id
        where s.rule_set_version = 'v1' and s.as_of_date = date '{TEST_AS_OF}'
            and s.lead_id not in (
                select lead_id from intermediate.int_lead_lifecycle_events
                where lifecycle_event = 'opportunity_closed_lost' and event_date <= date '{TEST_AS_OF}'
            )""")
    data = np.array(rows, dtype=float)
    assert len(data) > 1000 and 0 < data[:, 1].sum() < len(data)
    auc = roc_auc_score(data[:, 1], data[:, 0])
    assert auc >= DEFAULT_RULES_AUC_FLOOR, f"AUC of the default rules fell to {auc:.3f}"


def test_rule_sets_split_leads_deterministically_by_the_seed_shares(built_warehouse):
    rows = query(built_warehouse, """
        select rule_set_version, count(*) from marts.fct_lead_scores group by 1 order by 1""")
    counts = dict(rows)
    total = sum(counts.values())
    assert set(counts) == {"v1", "v2"}
    assert abs(counts["v2"] / total - 0.1) < 0.03, counts  # seed rule_set_assignment: v1 0.9, v2 0.1
    # the same lead always lands in the same rule set: the bucket is a function of lead_id alone
    (mismatched,), = query(built_warehouse, """
        select count(*) from intermediate.int_lead_scores_current as s
        inner join intermediate.int_rule_set_assignment as a on s.rule_set_version = a.rule_set_version
        where cast(('0x' || substr(md5(s.lead_id), 1, 8))::ubigint % 10000 as integer)
            not between a.bucket_from and a.bucket_to - 1""")
    assert mismatched == 0


def test_marts_for_bi_carry_no_email_or_phone(built_warehouse):
    bi_marts = ["dim_leads", "fct_lead_scores", "fct_lead_score_contributions", "fct_lead_score_history",
                "fct_lead_mql_transitions"]
    cols = query(built_warehouse, f"""select table_name, column_name from information_schema.columns
        where table_schema = 'marts' and table_name in ({', '.join(repr(m) for m in bi_marts)})""")
    assert {t for t, _ in cols} == set(bi_marts)
    leaked = [(t, c) for t, c in cols if any(k in c for k in ("email", "phone", "first_name", "last_name"))
              and c != "email_domain_type"]
    assert leaked == []
    for table in bi_marts:  # and no value looks like an address either
        text_cols = [c for t, c in cols if t == table]
        (hits,), = query(built_warehouse, f"select count(*) from marts.{table} where "
                         + " or ".join(f"cast({c} as varchar) like '%@%'" for c in text_cols))
        assert hits == 0, table
    # the routing mart is the one that carries what the CRM sync needs
    (with_email,), = query(built_warehouse, "select count(email) from marts.fct_lead_routing")
    assert with_email > 0


def test_routing_is_round_robin_within_territory(built_warehouse):
    rows = query(built_warehouse, """
        select r.lead_id, r.first_mql_date, r.territory, r.routed_owner_id, r.routing_reason, u.territory, u.is_active
        from marts.fct_lead_routing as r
        left join staging.stg_crm__users as u on r.routed_owner_id = u.crm_user_id""")
    assert len(rows) >= 10, "too few MQLs routed"
    reps: dict[str, list[str]] = defaultdict(list)
    for territory, rep in query(built_warehouse, """
            select territory, crm_user_id from staging.stg_crm__users where is_active order by crm_user_id"""):
        reps[territory].append(rep)
    # on the first day every MQL is new to its territory's queue (by first MQL date, then lead_id): place i
    # goes to active rep i mod reps, so each rep gets n // reps places or one more. An MQL of a
    # marketing-qualified account goes to the account owner instead (test_accounts.py) but keeps its place
    queues: dict[str, list[tuple]] = defaultdict(list)
    for lead, first_mql, territory, *rest in sorted(rows, key=lambda r: (r[2], r[1], r[0])):
        queues[territory].append((lead, *rest))
    assert any(reason == "territory_round_robin" for *_, reason, _, _ in rows)
    for territory, queue in queues.items():
        for position, (lead, owner, reason, owner_territory, active) in enumerate(queue):
            rep = reps[territory][position % len(reps[territory])]
            if reason == "territory_round_robin":
                assert (owner, owner_territory, active) == (rep, territory, True), (territory, lead)
            else:
                assert reason == "account_owner" and active, (territory, lead, reason)
    (flagged, total), = query(built_warehouse, """
        select count(*) filter (where changed_since_previous_run), count(*) from marts.fct_lead_routing""")
    assert flagged == total, "on the first run every MQL is new to the sync"


def test_the_next_daily_run_appends_history_and_flags_only_changes(scratch_warehouse):
    next_day = "2026-11-07"  # a week later, no new data: engagement decays, some leads fall below
    first = dict(query(scratch_warehouse, "select lead_id, routed_owner_id from marts.fct_lead_routing"))
    # the daily job's scoring part: features as of the new day, scores, history, marts (staging unchanged)
    dbt(scratch_warehouse, "build", "--select", "int_scoring_dates+,+fct_lead_routing",
        "int_scoring_dates+,+fct_lead_mql_transitions", vars_={"as_of_date": next_day})

    days = query(scratch_warehouse, """
        select score_date, count(*), count(*) filter (where is_mql)
        from marts.fct_lead_score_history group by 1 order by 1""")
    assert [str(d) for d, *_ in days] == [TEST_AS_OF, next_day]
    (day1_leads, day1_mqls), (day2_leads, day2_mqls) = [(n, m) for _, n, m in days]
    assert day2_leads == day1_leads

    transitions = query(scratch_warehouse, f"""
        select transition, count(*) from marts.fct_lead_mql_transitions
        where transition_date = date '{next_day}' group by 1""")
    fell = dict(transitions).get("fell_below_mql", 0)
    became = dict(transitions).get("became_mql", 0)
    assert fell > 0, "a week of decay without activity should drop some MQLs"
    assert day2_mqls == day1_mqls - fell + became

    rows = query(scratch_warehouse, f"""
        select r.lead_id, r.routed_owner_id, r.first_mql_date, r.changed_since_previous_run,
               h.grade = r.grade as same_grade
        from marts.fct_lead_routing as r
        left join marts.fct_lead_score_history as h
            on r.lead_id = h.lead_id and h.score_date = date '{TEST_AS_OF}' and h.is_mql""")
    assert rows
    kept = [r for r in rows if r[0] in first]
    assert kept, "no lead stayed an MQL for a week"
    for lead, owner, first_mql_date, changed, same_grade in kept:
        assert owner == first[lead], "an MQL changed owner from one day to the next"
        assert str(first_mql_date) == TEST_AS_OF
        if not same_grade:
            assert changed
    assert any(not changed for *_, changed, _ in kept), "unchanged MQLs must not be pushed again"

    (first_mql_dates,), = query(scratch_warehouse, f"""
        select count(*) from marts.fct_lead_scores
        where is_mql and first_mql_date = date '{TEST_AS_OF}'""")
    assert first_mql_dates == sum(1 for r in rows if r[0] in first)


def test_scores_add_up_to_readable_reasons(built_warehouse):
    rows = query(built_warehouse, """
        select s.total_score, s.top_reasons, sum(c.points)
        from marts.fct_lead_scores as s
        inner join marts.fct_lead_score_contributions as c on s.lead_id = c.lead_id
        where s.is_mql group by all""")
    assert rows
    for total, reasons, points in rows:
        assert total == points
        assert reasons and ": +" in reasons
    assert all(isinstance(r[0], Decimal) for r in rows)


def test_summary_prints_top_leads_with_reasons_and_mqls_per_persona(built_warehouse, capsys):
    from leadscore import cli

    with use_warehouse(built_warehouse):
        assert cli.main(["summary", "--top", "5"]) == 0
    out = capsys.readouterr().out
    top = query(built_warehouse, """
        select top_reasons from marts.fct_lead_scores order by total_score desc, lead_id limit 5""")
    for (reasons,) in top:
        assert reasons in out
    for persona, mqls, leads in query(built_warehouse, """
            select persona, count(*) filter (where is_mql), count(*) from marts.fct_lead_scores group by 1"""):
        assert f"{persona:<20} {mqls:6,} MQLs of {leads:7,} leads" in out
