"""Identity and features layer on generated data: as-of exactness, identity merge, incremental = full.

The identity test reads the session's built warehouse. The others build only the models they need
(and what those depend on: staging, seeds) in a private copy of the generated warehouse, compare, and
check the full refresh against the built warehouse.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_AS_OF, copy_project, copy_warehouse, dbt, query
from leadscore.generate.surveys import FEEDBACK

# Everything the features layer needs: upstream staging and seeds come along with the `+`.
FEATURES_SELECTION = ["--select", "+int_lead_features_long", "+int_web_events_attributed", "int_feature_catalog"]

# The incremental models of the staging and intermediate layers, compared with a full refresh, and
# everything upstream of them.
INCREMENTAL_MODELS = {
    "staging": (
        "base_web__events",
        "base_web__identifies",
        "base_email__events",
        "base_forms__submissions",
        "base_social__engagements",
        "base_surveys__responses",
    ),
    "intermediate": (
        "int_scoring_runs",
        "int_web_events_classified",
        "int_web_sessions",
        "int_web_visitor_days",
        "int_web_visitor_product_firsts",
    ),
}
INCREMENTAL_SELECTION = ["--select", *(f"+{model}" for models in INCREMENTAL_MODELS.values() for model in models)]
PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The scenario builds here check results, not the data tests (the full `dbt build` of the built_warehouse
# fixture and test_build run those): leaving them out keeps each build to its models and seeds.
MODELS_ONLY = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]

# Raw tables with the time the row's activity happened, as a SQL expression (rows after a cut-off are
# "later events"); CRM leads are handled apart (created_date). Web calls carry ISO-8601 text with the
# visitor's UTC offset, which a plain timestamp cast drops: read it as timestamptz, then take UTC.
WEB_CALL_AT = "(cast(timestamp as timestamptz) at time zone 'UTC')"
ACTIVITY_TABLES = {
    "raw_web.events": WEB_CALL_AT,
    "raw_web.identifies": WEB_CALL_AT,
    "raw_email.email_events": "occurred_at",
    "raw_social.engagements": "occurred_at",
    "raw_forms.submissions": "submitted_at",
    "raw_surveys.responses": "responded_at",
}

PAST_AS_OF = "2026-06-30"  # a past date well inside the generated period (2025-11-01 .. 2026-10-31)


def build(path: Path, selection: list[str], *extra: str, vars_: dict | None = None) -> None:
    """Build the selected models and seeds (dbt runs in a subprocess, so the file is free afterwards)."""
    dbt(path, "build", *selection, *MODELS_ONLY, *extra, vars_=vars_)


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema like 'raw\\_%' escape '\\' and table_type = 'BASE TABLE' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def hold_back_loads_after(path: Path, loaded_after: str) -> int:
    """Move every raw row loaded after `loaded_after` into schema holdback (same table names)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists holdback")
        held = 0
        for table in raw_tables(con):
            name = table.split(".")[1]
            target = f"holdback.{table.replace('.', '__')}"
            con.execute(f"create table {target} as select * from {table} where _loaded_at > ?", [loaded_after])
            con.execute(f"delete from {table} where _loaded_at > ?", [loaded_after])
            held += con.execute(f"select count(*) from {target}").fetchone()[0]
            assert name
        return held


def release_held_back(path: Path, where: dict[str, str] | None = None) -> int:
    """Insert the held-back rows back into the raw tables (optionally filtered per table)."""
    released = 0
    with duckdb.connect(str(path)) as con:
        for (held,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'holdback'"
        ).fetchall():
            table = held.replace("__", ".", 1)
            condition = (where or {}).get(table, "true")
            released += con.execute(
                f"insert into {table} select * from holdback.{held} where {condition}"
            ).fetchone()[0]
        con.execute("drop schema holdback cascade")
    return released


def long_features(path: Path, as_of: str) -> set[tuple]:
    return set(query(
        path,
        "select lead_id, feature_name, feature_value_numeric, feature_value_text, days_since_last "
        "from intermediate.int_lead_features_long where as_of_date = cast(? as date)",
        [as_of],
    ))


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def plant_adversarial_rows(path: Path, as_of: str) -> dict:
    """Rows that must not move features as of `as_of`, loaded after everything else:
    - web events of a known, identified visitor at exactly midnight after the as-of date and later,
      including a burst that makes the visitor a rate bot after the date;
    - a new browser whose page views happened before the date but that is identified only after it;
    - email, form (failed captcha), survey and social activity of the same lead after the date;
    - a CRM lead created after the date."""
    cutoff = datetime.fromisoformat(as_of) + timedelta(days=1)
    loaded_at = datetime.fromisoformat(TEST_AS_OF) + timedelta(hours=23)
    with duckdb.connect(str(path)) as con:
        lead_id, anonymous_id, email = identified_human_visitor(con, cutoff)
        plant_late_web_events(con, anonymous_id, cutoff, loaded_at)
        plant_new_browser(con, anonymous_id, email, cutoff, loaded_at)
        plant_late_activity(con, anonymous_id, email, cutoff, loaded_at)
        plant_late_crm_lead(con, cutoff, loaded_at)
    return {"lead_id": lead_id, "anonymous_id": anonymous_id, "email": email}


def identified_human_visitor(con, cutoff: datetime) -> tuple:
    """(lead_id, anonymous_id, email) of the human visitor, identified before `cutoff`, with the most page views
    before it."""
    lead = con.execute(
        """
        select map.lead_id, map.identifier_value, leads.email
        from intermediate.int_identity_map as map
        inner join intermediate.int_leads_deduplicated as leads on map.lead_id = leads.lead_id
        inner join intermediate.int_web_events_classified as events
            on events.anonymous_id = map.identifier_value
        where map.identifier_type = 'anonymous_id' and map.linked_at < ? and not events.is_bot
            and events.event_name = 'page_viewed' and events.event_at < ?
        group by all
        order by count(*) desc, map.lead_id
        limit 1
        """,
        [cutoff, cutoff],
    ).fetchone()
    assert lead, "no identified human visitor before the as-of date in the generated data"
    return lead


# one of the visitor's own page views as the template (deterministic, never a planted row)
PAGE_VIEW_TEMPLATE = ("from raw_web.events where anonymous_id = ? and event = 'page_viewed'"
                      " and event_id not like 'planted-%' order by event_id limit 1")


def plant_late_web_events(con, anonymous_id: str, cutoff: datetime, loaded_at: datetime) -> None:
    """Page views of the visitor at the cut-off and later, with a burst of 30 in a minute (a rate bot)."""
    for i, ts in enumerate([cutoff, cutoff + timedelta(hours=10)] + [
        cutoff + timedelta(days=1, seconds=s) for s in range(0, 60, 2)  # 30 events in a minute
    ]):
        con.execute(
            "insert into raw_web.events select * replace ("
            " ? as event_id, 'https://www.acmeanalytics.io/pricing' as url, '/pricing' as path,"
            " ? as timestamp, ? as _loaded_at) " + PAGE_VIEW_TEMPLATE,
            [f"planted-late-{i}", iso(ts), loaded_at, anonymous_id],
        )


def plant_new_browser(con, anonymous_id: str, email: str, cutoff: datetime, loaded_at: datetime) -> None:
    """A new browser: page views before the cut-off, identified (and so linked) only after it."""
    for i in range(3):
        con.execute(
            "insert into raw_web.events select * replace ("
            " ? as event_id, 'planted-new-browser' as anonymous_id, null as user_id, null as email,"
            " 'https://www.acmeanalytics.io/blog/planted' as url, '/blog/planted' as path,"
            " ? as timestamp, ? as _loaded_at) " + PAGE_VIEW_TEMPLATE,
            [f"planted-early-{i}", iso(cutoff - timedelta(days=5, hours=-i)), loaded_at, anonymous_id],
        )
    con.execute(
        "insert into raw_web.identifies select * replace ("
        " 'planted-identify' as message_id, 'planted-new-browser' as anonymous_id, null as user_id,"
        " ? as email,"
        " ? as timestamp, ? as _loaded_at) from raw_web.identifies order by message_id limit 1",
        [email, iso(cutoff + timedelta(days=3)), loaded_at],
    )


def plant_late_activity(con, anonymous_id: str, email: str, cutoff: datetime, loaded_at: datetime) -> None:
    """Email events, a form (failed captcha) and two survey answers (a rating, a negative text) of the lead after
    the cut-off."""
    for i, kind in enumerate(["open", "click", "reply", "unsubscribe"]):
        con.execute(
            "insert into raw_email.email_events select * replace ("
            " ? as event_id, ? as recipient_email, ? as event_type, null as bounce_type,"
            " ? as occurred_at, ? as _loaded_at) from raw_email.email_events order by event_id limit 1",
            [f"planted-email-{i}", email, kind, cutoff + timedelta(hours=i), loaded_at],
        )
    con.execute(
        "insert into raw_forms.submissions select * replace ("
        " 'planted-form' as submission_id, ? as anonymous_id, ? as email, 'fail' as captcha_result,"
        " ? as submitted_at, ? as _loaded_at) from raw_forms.submissions order by submission_id limit 1",
        [anonymous_id, email, cutoff + timedelta(hours=1), loaded_at],
    )
    con.execute(
        "insert into raw_surveys.responses select * replace ("
        " 'planted-survey' as response_id, ? as email, 'purchase_intent' as question_id,"
        " null as answer, 10 as rating, ? as responded_at, ? as _loaded_at)"
        " from raw_surveys.responses order by response_id limit 1",
        [email, cutoff + timedelta(hours=2), loaded_at],
    )
    con.execute(
        "insert into raw_surveys.responses select * replace ("
        " 'planted-feedback' as response_id, ? as email, 'feedback' as question_id,"
        " 'Terrible, a waste of time!' as answer, null as rating, ? as responded_at, ? as _loaded_at)"
        " from raw_surveys.responses order by response_id limit 1",
        [email, cutoff + timedelta(hours=3), loaded_at],
    )


def plant_late_crm_lead(con, cutoff: datetime, loaded_at: datetime) -> None:
    """A CRM lead created (and modified) the day after the cut-off."""
    con.execute(
        "insert into raw_crm.leads select * replace ("
        " '00Qplantedlater001' as id, 'planted.later@example-corp.com' as email,"
        " ? as created_date, ? as last_modified_date, false as is_deleted, ? as _loaded_at)"
        " from raw_crm.leads where not coalesce(is_deleted, false) order by id limit 1",
        [cutoff + timedelta(days=1), cutoff + timedelta(days=1), loaded_at],
    )


@pytest.mark.slow
def test_features_as_of_a_past_date_ignore_later_events(generated_warehouse, tmp_path):
    path = copy_warehouse(generated_warehouse, tmp_path, "as_of.duckdb")
    cutoff = (date.fromisoformat(PAST_AS_OF) + timedelta(days=1)).isoformat()
    # The warehouse as it was on the as-of date: only rows loaded by its end.
    assert hold_back_loads_after(path, cutoff) > 0
    build(path, FEATURES_SELECTION, "--full-refresh", vars_={"as_of_date": PAST_AS_OF})
    before = long_features(path, PAST_AS_OF)
    assert before, "no features as of the past date"

    # Later data arrives: every held-back activity that happened after the as-of date (late-arriving
    # rows about earlier activity would legitimately change the past date, so they stay out), new
    # CRM leads, and adversarial rows around the cut-off.
    after_cutoff = {table: f"{activity_at} >= cast('{cutoff}' as timestamp)"
                    for table, activity_at in ACTIVITY_TABLES.items()}
    after_cutoff["raw_crm.leads"] = f"created_date >= cast('{cutoff}' as timestamp)"
    for table in ("raw_crm.accounts", "raw_crm.opportunities", "raw_crm.users", "raw_email.campaigns"):
        after_cutoff[table] = "true"  # not read by the features layer, or not time-dependent
    assert release_held_back(path, after_cutoff) > 0
    planted = plant_adversarial_rows(path, PAST_AS_OF)

    # Rebuilt incrementally as a backtest date beside the current date: identical for the past date.
    build(path, FEATURES_SELECTION, vars_={"as_of_date": TEST_AS_OF, "backtest_cutoff_dates": [PAST_AS_OF]})
    after = long_features(path, PAST_AS_OF)
    assert after == before, (
        f"{len(before ^ after)} feature rows as of {PAST_AS_OF} changed after later data arrived; e.g. "
        f"{sorted(before ^ after, key=repr)[:6]}"
    )

    # ... while the later data is really there: it counts as of today.
    current = {name: (num, text) for lead, name, num, text, _ in long_features(path, TEST_AS_OF)
               if lead == planted["lead_id"]}
    past = {name: (num, text) for lead, name, num, text, _ in after if lead == planted["lead_id"]}
    # the visitor's burst after the past date makes it a rate bot from then on only
    assert past["web_pricing_page_views_total"][0] > 0
    assert current["web_pricing_page_views_total"][0] == 0
    assert current["negative_is_unsubscribed"][0] == 1
    assert current["survey_latest_purchase_intent_rating"][0] == 10
    assert current["survey_latest_sentiment"][0] == pytest.approx(-6 / math.sqrt(36 + 15))  # terrible, waste of time
    assert past.get("survey_latest_sentiment", (None,))[0] != current["survey_latest_sentiment"][0]
    new_leads = query(path, "select count(*) from intermediate.int_lead_scoring_spine as spine "
                      "inner join intermediate.int_leads_deduplicated as leads using (lead_id) "
                      "where leads.email = 'planted.later@example-corp.com' and spine.as_of_date = ?",
                      [date.fromisoformat(PAST_AS_OF)])
    assert new_leads == [(0,)], "a lead created after the as-of date has features as of that date"


@pytest.mark.slow
def test_identity_merges_planted_crm_duplicates(built_warehouse):
    # Live, staged CRM records grouped on the normalised email: the groups the merge must produce.
    groups = query(built_warehouse, """
        with live as (
            select crm_lead_id, lower(trim(email)) as email, created_at
            from staging.stg_crm__leads
            where not is_deleted and email is not null
        )
        select
            email,
            count(*) as records,
            arg_min(crm_lead_id, (created_at, crm_lead_id)) as earliest_id,
            list(crm_lead_id order by crm_lead_id) as ids
        from live
        group by email
    """)
    duplicates = [g for g in groups if g[1] > 1]
    assert duplicates, "the generated data has no CRM duplicates to merge"
    # The planted duplicates differ in case/whitespace in the raw export.
    raw_variants = query(built_warehouse, """
        select count(*) from (
            select lower(trim(email)) from raw_crm.leads
            group by lower(trim(email)) having count(distinct email) > 1
        )
    """)[0][0]
    assert raw_variants > 0, "no raw emails differing only in case or whitespace"

    leads = {row[0]: row[1:] for row in query(built_warehouse, """
        select email, lead_id, crm_record_count, primary_crm_lead_id
        from intermediate.int_leads_deduplicated
    """)}
    assert len(leads) == len(groups), "one lead per normalised email of live CRM records"
    crm_map = dict(query(built_warehouse, """
        select identifier_value, lead_id from intermediate.int_identity_map
        where identifier_type = 'crm_lead_id'
    """))
    for email, records, earliest_id, ids in duplicates:
        lead_id, record_count, primary_id = leads[email]
        assert record_count == records, email
        assert primary_id == earliest_id, email
        assert {crm_map.get(crm_id) for crm_id in ids} == {lead_id}, email

    # Soft-deleted or invalid-email records never make a lead of their own.
    orphans = query(built_warehouse, """
        select count(*) from intermediate.int_leads_deduplicated as leads
        where not exists (
            select 1 from staging.stg_crm__leads as crm
            where lower(trim(crm.email)) = leads.email and not crm.is_deleted
        )
    """)
    assert orphans == [(0,)]


def test_every_incremental_model_is_compared_with_a_full_refresh():
    """INCREMENTAL_MODELS lists every incremental model of the staging and intermediate layers."""
    found = {
        layer: {path.stem for path in (PROJECT_ROOT / "models" / layer).rglob("*.sql")
                if re.search(r"materialized\s*=\s*['\"]incremental['\"]", path.read_text())}
        for layer in INCREMENTAL_MODELS
    }
    assert found == {layer: set(models) for layer, models in INCREMENTAL_MODELS.items()}


@pytest.mark.slow
def test_incremental_models_equal_full_refresh(generated_warehouse, built_warehouse, tmp_path):
    path = copy_warehouse(generated_warehouse, tmp_path, "incremental.duckdb")
    last_load = query(path, "select max(_loaded_at) from raw_web.events")[0][0]
    held_from = (last_load - timedelta(days=10)).isoformat(sep=" ")
    assert hold_back_loads_after(path, held_from) > 0
    # events that happened before the held-back loads by more than the incremental lookback (3 days)
    late = query(path, f"""
        select count(*) from holdback.raw_web__events
        where {WEB_CALL_AT} < cast('{held_from}' as timestamp) - interval 3 day
    """)[0][0]
    build(path, INCREMENTAL_SELECTION, "--full-refresh")
    assert release_held_back(path) > 0
    build(path, INCREMENTAL_SELECTION)  # incremental: only visitors with new loads are reprocessed

    # Compared with the full build of all the data (built_warehouse): every table this selection
    # built (the incremental models and the tables they read).
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"attach '{built_warehouse}' as full_refresh (read_only)")
        tables = [r[0] for r in con.execute("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_catalog = current_database() and table_schema in ('staging', 'intermediate')
                and table_type = 'BASE TABLE'
            order by 1
        """).fetchall()]
        assert {f"{layer}.{model}" for layer, models in INCREMENTAL_MODELS.items() for model in models} <= set(tables)
        differences = {}
        for table in tables:
            mine = table
            full = f"full_refresh.{table}"
            only_incremental = con.execute(
                f"select count(*) from (select * from {mine} except all select * from {full})").fetchone()[0]
            only_full = con.execute(
                f"select count(*) from (select * from {full} except all select * from {mine})").fetchone()[0]
            if only_incremental or only_full:
                differences[table] = (only_incremental, only_full)
    assert not differences, f"incremental differs from full refresh (rows only in each): {differences}"
    # The held-back loads did include events late by more than the lookback, which the incremental run
    # had to pick up.
    assert late > 0


@pytest.mark.slow
def test_survey_sentiment_reads_the_generated_answers_and_follows_intent(built_warehouse):
    # Each generated feedback phrase scores with the sign of the tone the generator wrote it in.
    scores = dict(query(built_warehouse, """
        select responses.answer, max(sentiment.sentiment_score)
        from staging.stg_surveys__responses as responses
        inner join intermediate.int_survey_answer_sentiment as sentiment using (response_id)
        where responses.question_id = 'feedback'
        group by responses.answer"""))
    assert set(scores) == {phrase for phrases in FEEDBACK.values() for phrase in phrases}
    assert all(scores[phrase] >= 0.7 for phrase in FEEDBACK["positive"]), scores
    assert all(scores[phrase] <= -0.25 for phrase in FEEDBACK["negative"]), scores
    assert all(scores[phrase] is None or abs(scores[phrase]) <= 0.25 for phrase in FEEDBACK["neutral"]), scores

    # The feature as of today follows the hidden intent and separates the leads that convert.
    (respondents, correlation, converted, others), = query(built_warehouse, """
        select count(*), corr(features.feature_value_numeric, truth.intent),
            avg(case when truth.is_converted then features.feature_value_numeric end),
            avg(case when not truth.is_converted then features.feature_value_numeric end)
        from intermediate.int_lead_features_long as features
        inner join generator_truth.leads as truth on md5(truth.email) = features.lead_id
        where features.feature_name = 'survey_latest_sentiment' and features.as_of_date = ?
            and features.feature_value_numeric is not null""", [date.fromisoformat(TEST_AS_OF)])
    assert respondents >= 100
    assert correlation > 0.5, correlation
    assert converted - others > 0.15, (converted, others)

    # The shipped rules read it: every lead of rule set v1 at 0.5 or more gets the positive rule's points
    # (but a lead whose engagement a lifecycle reset dropped).
    (positive, rewarded), = query(built_warehouse, """
        select count(*), count(contributions.lead_id)
        from marts.fct_lead_scores as scores
        inner join intermediate.int_lead_features_survey as features
            on scores.lead_id = features.lead_id and features.as_of_date = ?
        left join marts.fct_lead_score_contributions as contributions
            on scores.lead_id = contributions.lead_id and contributions.rule_id = 'v1_E16'
        where scores.rule_set_version = 'v1' and features.survey_latest_sentiment >= 0.5
            and scores.engagement_reset_date is null""",
        [date.fromisoformat(TEST_AS_OF)])
    assert positive > 0 and rewarded == positive


@pytest.mark.slow
def test_survey_sentiment_lexicon_is_data(scratch_warehouse, tmp_path):
    """A term added to the lexicon seed scores answers on the next build, with no change to the SQL."""
    project = copy_project(tmp_path / "project")
    lexicon = project / "seeds" / "survey_sentiment_lexicon.csv"
    lexicon.write_text(lexicon.read_text() + "exploring,sentiment,1\ntoo early,sentiment,-1\n")
    dbt(scratch_warehouse, "build", "--select", "survey_sentiment_lexicon", "int_survey_answer_sentiment",
        project_dir=project)
    scores = dict(query(scratch_warehouse, """
        select responses.answer, max(sentiment.sentiment_score)
        from staging.stg_surveys__responses as responses
        inner join intermediate.int_survey_answer_sentiment as sentiment using (response_id)
        where responses.answer in ('Still exploring', 'Too early to say')
        group by responses.answer"""))
    assert scores == {"Still exploring": pytest.approx(1 / 4), "Too early to say": pytest.approx(-1 / 4)}
