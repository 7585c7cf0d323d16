"""Lifecycle resets (issue 18, part 4) on generated data: a closed-lost opportunity or a recycle to nurture
(events read here straight from the CRM staging models, not from the models under test) leaves no engagement
points from before it, as of every scoring date that knows it; a return after a quiet spell resets too; the
reset shows on the lead's reasons and score; an empty seed gives the scores of before the seed exactly; a bad
seed row stops the build before any mart changes."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import TEST_AS_OF, copy_project, dbt, query

SEED = "seeds/scoring/scoring_lifecycle_resets.csv"
# what a seed edit rebuilds: the scoring seeds, models and marts, and the build gate
SCORING = ["path:seeds/scoring", "path:models/intermediate/scoring", "path:models/marts/scoring",
           "int_build_inputs_checked"]
# and what measures the held-out AUC of the rule sets' scores
BACKTEST_AUC = ["int_backtest_scores", "int_backtest_holdout_by_persona", "rpt_backtest_auc"]

# (lead, scoring date, rule set, engagement start) of the lost opportunities known by each scoring date:
# stage Closed Lost, not deleted, the lead of its crm_lead_id or else of its contact email
CLOSED_LOST = """
    select distinct
        coalesce(by_id.lead_id, by_email.lead_id) as lead_id,
        dates.as_of_date,
        cast(o.close_date as date) as event_date
    from staging.stg_crm__opportunities as o
    left join intermediate.int_identity_map as by_id
        on by_id.identifier_type = 'crm_lead_id' and o.crm_lead_id = by_id.identifier_value
    left join intermediate.int_identity_map as by_email
        on by_email.identifier_type = 'email' and o.contact_email = by_email.identifier_value
    inner join intermediate.int_scoring_dates as dates
        on cast(o.close_date as date) <= dates.as_of_date and o.created_at < dates.cutoff_at
    where o.stage_name = 'Closed Lost' and not o.is_deleted
"""

# the moves of a CRM lead record to Nurturing from another status, known by each scoring date
RECYCLED = """
    with versions as (
        select crm_lead_id, modified_at, lead_status,
               lag(lead_status) over (partition by crm_lead_id order by modified_at) as previous_status
        from staging.stg_crm__lead_versions
    )
    select distinct r.lead_id, dates.as_of_date, cast(v.modified_at as date) as event_date
    from versions as v
    inner join intermediate.int_crm_lead_records as r on v.crm_lead_id = r.crm_lead_id
    inner join intermediate.int_scoring_dates as dates on v.modified_at < dates.cutoff_at
    where v.lead_status = 'Nurturing' and v.previous_status <> 'Nurturing'
"""


def engagement_before(path: Path, events_sql: str, rule_set: str, min_days_after: int = 0) -> tuple[int, int]:
    """(engagement contributions, engagement rule hits) of `rule_set` whose feature was last seen before an
    event of `events_sql`, on the scoring dates at least `min_days_after` days after the event."""
    counts = []
    for table in ("int_lead_score_contributions", "int_lead_rule_hits"):
        counts.append(query(path, f"""
            with events as ({events_sql})
            select count(*)
            from intermediate.{table} as c
            inner join intermediate.int_lead_rule_hits as h
                on c.lead_id = h.lead_id and c.as_of_date = h.as_of_date
                and c.rule_set_version = h.rule_set_version and c.rule_id = h.rule_id
            inner join events as e
                on c.lead_id = e.lead_id and c.as_of_date = e.as_of_date
            where c.category = 'engagement' and c.rule_set_version = ?
                and e.as_of_date - e.event_date >= ?
                and (h.days_since_last is null or c.as_of_date - cast(h.days_since_last as integer) < e.event_date)
            """, [rule_set, min_days_after])[0][0])
    return counts[0], counts[1]


def test_closed_lost_leaves_no_engagement_from_before_it(built_warehouse):
    for rule_set in ("v1", "v2"):  # both reset on it in the shipped seed
        counted, fired = engagement_before(built_warehouse, CLOSED_LOST, rule_set)
        assert counted == 0, f"{rule_set}: {counted} engagement points from before a lost opportunity count"
        assert fired >= 100, f"{rule_set}: only {fired} rules fired on engagement before a loss: nothing to prove"
    # the live reasons and score say so: the latest event in effect names its date
    leads = query(built_warehouse, f"""
        with lost as ({CLOSED_LOST}), latest as (
            select lead_id, max(event_date) as event_date from lost
            where as_of_date = date '{TEST_AS_OF}' group by lead_id
        )
        select s.engagement_reset_event, s.engagement_reset_date = l.event_date, c.reason_text, s.engagement_score
        from marts.fct_lead_scores as s
        inner join latest as l on s.lead_id = l.lead_id
        left join marts.fct_lead_score_contributions as c
            on s.lead_id = c.lead_id and c.rule_id = 'engagement_reset'
        where s.engagement_reset_date >= l.event_date""")
    assert len(leads) >= 50
    lost = [row for row in leads if row[0] == "opportunity_closed_lost"]
    assert lost and all(same_date for _, same_date, _, _ in lost)
    assert all(text.startswith("Engagement reset: opportunity closed lost on 20") for _, _, text, _ in lost)
    assert all(text is not None for _, _, text, _ in leads), "every reset in effect has its reason row"


def test_recycled_to_nurture_loses_its_engagement(built_warehouse):
    # v2 resets on the move at once; v1 lets earlier engagement count 30 more days, then expires it
    counted, fired = engagement_before(built_warehouse, RECYCLED, "v2")
    assert counted == 0 and fired >= 20, (counted, fired)
    counted, fired = engagement_before(built_warehouse, RECYCLED, "v1", min_days_after=30)
    assert counted == 0 and fired >= 20, (counted, fired)
    # within the 30 days v1 still counts the earlier engagement (v2 does not)
    assert engagement_before(built_warehouse, RECYCLED, "v1")[0] > 0
    by_event = dict(query(built_warehouse, """
        select engagement_reset_event, avg(engagement_score) from marts.fct_lead_scores
        group by 1"""))
    assert by_event["recycled_to_nurture"] < by_event[None], by_event


def write_seed(project: Path, rows: list[dict[str, str]]) -> None:
    path = project / SEED
    with open(path, newline="") as f:
        fields = next(csv.reader(f))
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def scores(path: Path) -> set[tuple]:
    return set(query(path, "select * from intermediate.int_lead_scores_by_date"))


def test_switched_off_seed_gives_the_scores_without_resets(scratch_warehouse, built_warehouse, tmp_path):
    project = copy_project(tmp_path / "project")
    write_seed(project, [])
    dbt(scratch_warehouse, "build", "--select", *SCORING, *BACKTEST_AUC, project_dir=project)
    assert query(scratch_warehouse, "select count(*) from intermediate.int_lead_engagement_resets")[0][0] == 0
    # every rule that fires counts again (as before the seed), and nothing else is added
    missing, extra = (query(scratch_warehouse, f"""
        select count(*) from (
            select lead_id, as_of_date, rule_set_version, rule_id from intermediate.{a}
            except all
            select lead_id, as_of_date, rule_set_version, rule_id from intermediate.{b}
            where rule_id <> 'score_bounds')""")[0][0]
        for a, b in (("int_lead_rule_hits", "int_lead_score_contributions"),
                     ("int_lead_score_contributions where rule_id <> 'score_bounds'", "int_lead_rule_hits")))
    assert (missing, extra) == (0, 0)
    # the scores that no reset touched are the shipped build's to the cent; the others all differ
    reset_keys = set(query(built_warehouse, """
        select lead_id, as_of_date, rule_set_version from intermediate.int_lead_engagement_resets"""))
    off, on = scores(scratch_warehouse), scores(built_warehouse)
    changed = {row[:3] for row in off ^ on}
    assert changed and changed <= reset_keys, "only leads with a reset in effect may change"
    untouched = {row for row in off if row[:3] not in reset_keys}
    assert untouched == {row for row in on if row[:3] not in reset_keys}
    assert len(untouched) > 5000
    # the shipped resets keep the held-out AUC of both rule sets within 0.01 of the scores without them
    without, shipped = held_out_auc(scratch_warehouse), held_out_auc(built_warehouse)
    print(f"held-out AUC without -> with the shipped resets: {without} -> {shipped}")
    assert without.keys() == shipped.keys() and len(shipped) == 4
    assert all(abs(shipped[key] - without[key]) <= 0.01 for key in shipped), (without, shipped)


def held_out_auc(path: Path) -> dict[tuple[str, str], float]:
    """(rule set, outcome) -> held-out ROC AUC over every persona (rpt_backtest_auc)."""
    return {(rule_set, outcome): round(auc, 4) for rule_set, outcome, auc in query(path, """
        select contender, outcome, roc_auc from marts.rpt_backtest_auc
        where contender_kind = 'rule_set' and persona = 'all'""")}


GOOD_ROW = {"rule_set_version": "v1", "lifecycle_event": "opportunity_closed_lost", "action": "reset",
            "quiet_days": "", "expire_after_days": "", "reason": "Reset on {value}"}
BAD_ROWS = [
    ({"lifecycle_event": "churned"}, "v1/churned: unknown lifecycle_event"),
    ({"rule_set_version": "v9"}, "v9/opportunity_closed_lost: unknown rule_set_version"),
    ({"lifecycle_event": "recycled_to_nurture", "action": "expire"},
     "v1/recycled_to_nurture: action expire needs expire_after_days"),
    ({"rule_set_version": "v2", "lifecycle_event": "reengaged_after_quiet", "quiet_days": "soon"},
     "v2/reengaged_after_quiet: quiet_days soon is not a number"),
    ({"rule_set_version": "v2", "action": "delete"}, "v2/opportunity_closed_lost: unknown action"),
]


def test_bad_seed_row_fails_the_build_before_the_marts(scratch_warehouse, tmp_path):
    project = copy_project(tmp_path / "project")
    write_seed(project, [{**GOOD_ROW, **change} for change, _ in BAD_ROWS])
    before = set(query(scratch_warehouse, "select * from marts.fct_lead_scores"))
    result = dbt(scratch_warehouse, "build", "--select", *SCORING, project_dir=project, check=False)
    assert not result.success
    errors = result.messages("error")
    for _, fragment in BAD_ROWS:
        assert fragment in errors, fragment
    assert "int_scoring_lifecycle_resets" in result.names("error")
    assert {"int_build_inputs_checked", "int_lead_engagement_resets", "int_lead_score_contributions",
            "fct_lead_scores", "fct_lead_score_contributions"} <= result.names("skipped")
    assert set(query(scratch_warehouse, "select * from marts.fct_lead_scores")) == before


def test_return_after_a_quiet_spell_resets_engagement(scratch_warehouse, tmp_path):
    # the generator's leads seldom pause 60 days (the shipped rows): 14 quiet days make returns to check
    project = copy_project(tmp_path / "project")
    write_seed(project, [{**GOOD_ROW, "lifecycle_event": "reengaged_after_quiet", "quiet_days": "14",
                          "reason": "Back after a quiet spell on {value}"}])
    dbt(scratch_warehouse, "build", "--select", *SCORING, project_dir=project)
    returns = f"""
        select lead_id, as_of_date, event_date
        from (select e.lead_id, d.as_of_date, e.event_date
              from intermediate.int_lead_lifecycle_events as e
              inner join intermediate.int_scoring_dates as d on e.known_at < d.cutoff_at
              where e.lifecycle_event = 'reengaged_after_quiet' and e.quiet_days >= 14)"""
    (count, shortest) = query(scratch_warehouse, """
        select count(*), min(quiet_days) from intermediate.int_lead_lifecycle_events
        where lifecycle_event = 'reengaged_after_quiet'""")[0]
    assert count >= 100 and shortest >= 14
    counted, fired = engagement_before(scratch_warehouse, returns, "v1")
    assert counted == 0 and fired >= 50, (counted, fired)
    # v2 has no row any more: all its engagement from before the returns still counts
    counted, fired = engagement_before(scratch_warehouse, returns, "v2")
    assert counted == fired > 0, (counted, fired)
    reasons = query(scratch_warehouse, """
        select count(*) from marts.fct_lead_score_contributions
        where rule_id = 'engagement_reset' and reason_text like 'Back after a quiet spell on 20%'""")[0][0]
    assert reasons > 0
