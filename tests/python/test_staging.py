"""Staging and audit on generated data: every raw row is accounted for, and every kind of mess the
generator plants (generator_truth.planted_mess, see docs/generator.md) is caught by the rule meant for
it (docs/architecture.md, Staging / Audit / Identity contracts).

Read-only queries on the session's built warehouse: nothing here runs dbt itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEST_AS_OF, query
from leadscore.schema import RAW_TABLES

# The staging model of each raw table the mess checks look at, with its key column.
STAGING_MODELS = {
    "raw_crm.leads": ("staging.stg_crm__leads", "crm_lead_id"),
    "raw_crm.accounts": ("staging.stg_crm__accounts", "crm_account_id"),
    "raw_crm.opportunities": ("staging.stg_crm__opportunities", "crm_opportunity_id"),
    "raw_web.events": ("staging.stg_web__events", "event_id"),
    "raw_web.identifies": ("staging.stg_web__identifies", "message_id"),
    "raw_forms.submissions": ("staging.stg_forms__submissions", "submission_id"),
    "raw_email.email_events": ("staging.stg_email__events", "email_event_id"),
}


def planted(path: Path, source_table: str, mess_kind: str) -> set[str]:
    """Row keys the generator planted with `mess_kind` in `source_table`; never empty (so that no
    check passes vacuously on data that lacks the mess)."""
    keys = {r[0] for r in query(
        path,
        "select row_key from generator_truth.planted_mess where source_table = ? and mess_kind = ?",
        [source_table, mess_kind],
    )}
    assert keys, f"the generated data has no {mess_kind} rows in {source_table}"
    return keys


def rejected(path: Path, source_table: str, reason: str | None = None) -> set[str]:
    """Row keys of `source_table` in marts.audit_rejected_rows (with `reason`, if given)."""
    return {r[0] for r in query(
        path,
        "select row_key from marts.audit_rejected_rows "
        "where source_table = ? and (? is null or rejection_reason = ?)",
        [source_table, reason, reason],
    )}


def staged_counts(path: Path, source_table: str) -> dict[str, int]:
    """Rows per key in the staging model of `source_table`."""
    model, key = STAGING_MODELS[source_table]
    return dict(query(path, f"select {key}, count(*) from {model} group by {key}"))


def sample(keys, n: int = 5) -> list:
    return sorted(keys, key=repr)[:n]


# --------------------------------------------------------------------------- reconciliation
def test_reconciliation_accounts_for_every_raw_row(built_warehouse):
    rows = query(built_warehouse, """
        select source_table, raw_rows, staged_rows, rejected_rows, duplicate_rows
        from marts.audit_source_reconciliation
    """)
    by_table = {r[0]: r[1:] for r in rows}
    assert len(by_table) == len(rows), "more than one reconciliation row for a raw table"
    assert set(by_table) == {t.qualified_name for t in RAW_TABLES}

    rejected_per_table = dict(query(
        built_warehouse, "select source_table, count(*) from marts.audit_rejected_rows group by source_table"
    ))
    for table in RAW_TABLES:
        name = table.qualified_name
        raw_rows, staged_rows, rejected_rows, duplicate_rows = by_table[name]
        direct = query(built_warehouse, f"select count(*) from {name}")[0][0]
        assert direct > 0, f"{name} is empty in the generated data"
        assert raw_rows == direct, f"{name}: reconciliation says {raw_rows} raw rows, the table holds {direct}"
        assert raw_rows == staged_rows + rejected_rows + duplicate_rows, (
            f"{name}: {raw_rows} raw != {staged_rows} staged + {rejected_rows} rejected "
            f"+ {duplicate_rows} duplicate"
        )
        assert rejected_rows == rejected_per_table.get(name, 0), f"{name}: rejected rows differ from the audit"


# --------------------------------------------------------------------------- rejected by a rule
@pytest.mark.parametrize("source_table, mess_kind", [
    ("raw_web.events", "malformed_json"),
    ("raw_web.events", "unknown_event_name"),
    ("raw_web.events", "negative_duration"),
    ("raw_web.events", "future_timestamp"),
    ("raw_email.email_events", "future_timestamp"),
    ("raw_crm.leads", "missing_email"),
    ("raw_crm.leads", "invalid_email"),
    ("raw_web.identifies", "missing_email"),
    ("raw_web.identifies", "invalid_email"),
    ("raw_forms.submissions", "missing_email"),
    ("raw_forms.submissions", "invalid_email"),
])
def test_planted_bad_rows_are_rejected_with_their_reason(built_warehouse, source_table, mess_kind):
    keys = planted(built_warehouse, source_table, mess_kind)
    caught = rejected(built_warehouse, source_table, mess_kind)
    missed = keys - caught
    assert not missed, (
        f"{len(missed)} of {len(keys)} planted {mess_kind} rows of {source_table} are not in "
        f"audit_rejected_rows with that reason, e.g. {sample(missed)}"
    )
    # the rule fires on the planted rows only
    extra = caught - keys
    assert not extra, f"{len(extra)} rows of {source_table} rejected as {mess_kind} were not planted: {sample(extra)}"
    leaked = keys & set(staged_counts(built_warehouse, source_table))
    assert not leaked, f"rejected {mess_kind} rows still in staging: {sample(leaked)}"


# --------------------------------------------------------------------------- deduplicated
@pytest.mark.parametrize("source_table", ["raw_web.events", "raw_email.email_events"])
def test_redelivered_events_are_staged_once_first_delivery(built_warehouse, source_table):
    keys = planted(built_warehouse, source_table, "duplicate_delivery")
    # a redelivered event whose kept copy breaks a rule is rejected instead (another planted mess)
    keys -= rejected(built_warehouse, source_table)
    assert keys
    counts = staged_counts(built_warehouse, source_table)
    wrong = {k: counts.get(k, 0) for k in keys if counts.get(k, 0) != 1}
    assert not wrong, f"redelivered events not staged exactly once (id: rows): {sample(wrong.items())}"

    model, key = STAGING_MODELS[source_table]
    first_load = dict(query(built_warehouse, f"select event_id, min(_loaded_at) from {source_table} group by event_id"))
    staged_load = dict(query(built_warehouse, f"select {key}, _loaded_at from {model}"))
    not_first = {k for k in keys if staged_load[k] != first_load[k]}
    assert not not_first, f"redelivered events staged from a later delivery: {sample(not_first)}"


def test_stale_crm_versions_keep_the_latest(built_warehouse):
    keys = planted(built_warehouse, "raw_crm.leads", "crm_stale_version")
    # a record whose latest version has no valid email is set aside (planted email mess) instead
    set_aside = keys & rejected(built_warehouse, "raw_crm.leads")
    email_mess = (planted(built_warehouse, "raw_crm.leads", "missing_email")
                  | planted(built_warehouse, "raw_crm.leads", "invalid_email"))
    assert set_aside <= email_mess, (
        f"stale-version records rejected for no planted reason: {sample(set_aside - email_mess)}"
    )
    keys -= set_aside

    counts = staged_counts(built_warehouse, "raw_crm.leads")
    wrong = {k: counts.get(k, 0) for k in keys if counts.get(k, 0) != 1}
    assert not wrong, f"CRM records exported twice not staged exactly once (id: rows): {sample(wrong.items())}"
    latest = dict(query(built_warehouse, "select id, max(last_modified_date) from raw_crm.leads group by id"))
    staged = dict(query(built_warehouse, "select crm_lead_id, modified_at from staging.stg_crm__leads"))
    stale = {k for k in keys if staged[k] != latest[k]}
    assert not stale, f"CRM records staged from an older version: {sample(stale)}"


# --------------------------------------------------------------------------- soft deletes
@pytest.mark.parametrize("source_table", ["raw_crm.leads", "raw_crm.accounts", "raw_crm.opportunities"])
def test_soft_deleted_rows_stay_in_staging_flagged(built_warehouse, source_table):
    keys = planted(built_warehouse, source_table, "soft_deleted")
    keys -= rejected(built_warehouse, source_table)  # e.g. a deleted lead without a valid email
    assert keys
    model, key = STAGING_MODELS[source_table]
    flags = dict(query(built_warehouse, f"select {key}, is_deleted from {model}"))
    missing = keys - set(flags)
    assert not missing, f"soft-deleted rows missing from {model}: {sample(missing)}"
    unflagged = {k for k in keys if flags[k] is not True}
    assert not unflagged, f"soft-deleted rows not flagged is_deleted in {model}: {sample(unflagged)}"


def test_soft_deleted_crm_leads_never_make_a_lead(built_warehouse):
    keys = planted(built_warehouse, "raw_crm.leads", "soft_deleted")
    primaries = {r[0] for r in query(
        built_warehouse, "select primary_crm_lead_id from intermediate.int_leads_deduplicated"
    )}
    assert not keys & primaries, f"soft-deleted CRM leads used as primary record: {sample(keys & primaries)}"
    records = {r[0] for r in query(built_warehouse, "select crm_lead_id from intermediate.int_crm_lead_records")}
    assert not keys & records, f"soft-deleted CRM leads among the records that make leads: {sample(keys & records)}"


# --------------------------------------------------------------------------- identity
def test_duplicate_crm_persons_map_to_the_primary_records_lead(built_warehouse):
    dup_ids = planted(built_warehouse, "raw_crm.leads", "crm_duplicate_person")
    assert all(len(k) == 18 and k.startswith("00Q") and k.endswith("DUP") for k in dup_ids), sample(dup_ids)
    crm_map = dict(query(built_warehouse, """
        select identifier_value, lead_id from intermediate.int_identity_map
        where identifier_type = 'crm_lead_id'
    """))
    unmapped = dup_ids - set(crm_map)
    assert not unmapped, f"duplicate CRM records not in the identity map: {sample(unmapped)}"

    # the primary record ('...AAA') of the same person; it is left out of the map only when staging set
    # it aside (its own planted missing/invalid email, while the duplicate's email is valid)
    primary = {dup: dup[:15] + "AAA" for dup in dup_ids}
    set_aside = rejected(built_warehouse, "raw_crm.leads")
    unmapped_primaries = {p for p in primary.values() if p not in crm_map}
    assert unmapped_primaries <= set_aside, (
        f"primary records of duplicated persons missing from the identity map: {sample(unmapped_primaries - set_aside)}"
    )
    split = {dup: (crm_map[dup], crm_map[p]) for dup, p in primary.items()
             if p in crm_map and crm_map[dup] != crm_map[p]}
    assert not split, f"duplicate CRM records mapped to another lead than the primary record: {sample(split.items())}"
    assert len(primary) - len(unmapped_primaries) > 0


def test_bots_are_flagged(built_warehouse):
    events = query(built_warehouse, """
        select
            truth.mess_kind,
            truth.row_key,
            count(events.event_id) as events,
            count(*) filter (where not events.is_bot) as human_events,
            count(*) filter (where not events.is_bot_user_agent) as browser_ua_events,
            count(events.bot_detected_at) as rate_detected_events
        from generator_truth.planted_mess as truth
        left join intermediate.int_web_events_classified as events
            on truth.row_key = events.anonymous_id
        where truth.source_table = 'raw_web.events' and truth.mess_kind in ('bot_user_agent', 'bot_event_rate')
        group by all
    """)
    kinds = {kind for kind, *_ in events}
    assert kinds == {"bot_user_agent", "bot_event_rate"}, f"generated data lacks bots of a kind: {kinds}"
    no_events = [(kind, key) for kind, key, n, *_ in events if n == 0]
    assert not no_events, f"bot visitors without classified events: {no_events[:5]}"
    not_bot = [(kind, key, human) for kind, key, _, human, *_ in events if human]
    assert not not_bot, f"bot visitors with events not flagged is_bot (kind, id, events): {not_bot[:5]}"
    ua_missed = [key for kind, key, _, _, browser_ua, _ in events if kind == "bot_user_agent" and browser_ua]
    assert not ua_missed, f"user-agent bots whose events are not is_bot_user_agent: {ua_missed[:5]}"
    rate_missed = [key for kind, key, n, _, _, detected in events if kind == "bot_event_rate" and detected != n]
    assert not rate_missed, f"event-rate bots without bot_detected_at: {rate_missed[:5]}"


def test_unknown_visitors_are_staged_but_never_attributed(built_warehouse):
    anonymous_ids = planted(built_warehouse, "raw_web.events", "unknown_anonymous_id")
    staged = {r[0] for r in query(built_warehouse, "select distinct anonymous_id from staging.stg_web__events")}
    missing = anonymous_ids - staged
    assert not missing, f"unknown visitors without staged events: {sample(missing)}"
    mapped = {r[0] for r in query(built_warehouse, """
        select identifier_value from intermediate.int_identity_map where identifier_type = 'anonymous_id'
    """)}
    assert not anonymous_ids & mapped, f"unknown visitors mapped to a lead: {sample(anonymous_ids & mapped)}"
    attributed = {r[0] for r in query(
        built_warehouse, "select distinct anonymous_id from intermediate.int_web_events_attributed"
    )}
    assert not anonymous_ids & attributed, f"unknown visitors' events attributed: {sample(anonymous_ids & attributed)}"


def test_late_arriving_events_are_staged(built_warehouse):
    keys = planted(built_warehouse, "raw_web.events", "late_arrival")
    keys -= rejected(built_warehouse, "raw_web.events")  # late and also broken: rejected for the break
    assert keys
    counts = staged_counts(built_warehouse, "raw_web.events")
    missing = {k for k in keys if counts.get(k) != 1}
    assert not missing, f"{len(missing)} of {len(keys)} late-arriving events not staged once: {sample(missing)}"


# --------------------------------------------------------------------------- spam signals
def test_failed_captchas_are_flagged_and_counted_for_their_lead(built_warehouse):
    keys = planted(built_warehouse, "raw_forms.submissions", "failed_captcha")
    keys -= rejected(built_warehouse, "raw_forms.submissions")  # e.g. a spammer's invalid email
    assert keys
    flags = dict(query(built_warehouse, "select submission_id, is_captcha_passed from staging.stg_forms__submissions"))
    missing = keys - set(flags)
    assert not missing, f"failed-captcha submissions missing from staging: {sample(missing)}"
    not_failed = {k for k in keys if flags[k] is not False}
    assert not not_failed, f"planted failed captchas not is_captcha_passed = false: {sample(not_failed)}"
    extra = {k for k, passed in flags.items() if passed is False} - keys
    assert not extra, f"submissions flagged as failed captcha that were not planted: {sample(extra)}"

    # each one counts in its lead's negative_failed_captchas (as of the last date, linked by email)
    per_lead = query(built_warehouse, """
        with planted_failures as (
            select
                identity_map.lead_id,
                count(distinct submissions.submission_id) as failures
            from generator_truth.planted_mess as truth
            inner join staging.stg_forms__submissions as submissions
                on truth.row_key = submissions.submission_id
            inner join intermediate.int_identity_map as identity_map
                on identity_map.identifier_type = 'email'
                and identity_map.identifier_value = lower(trim(submissions.email))
            where truth.source_table = 'raw_forms.submissions' and truth.mess_kind = 'failed_captcha'
            group by identity_map.lead_id
        )
        select planted_failures.lead_id, planted_failures.failures, features.negative_failed_captchas
        from planted_failures
        left join intermediate.int_lead_features_negative as features
            on planted_failures.lead_id = features.lead_id
            and features.as_of_date = cast(? as date)
    """, [TEST_AS_OF])
    assert per_lead, "no failed-captcha submission belongs to a lead"
    undercounted = [(lead, n, counted) for lead, n, counted in per_lead if counted is None or counted < n]
    assert not undercounted, f"leads whose failed captchas are not counted (lead, planted, counted): {undercounted[:5]}"


def lead_negative_flags(path: Path, mess_kind: str, flags: list[str]) -> tuple[set[str], dict[str, bool]]:
    """Planted CRM leads of `mess_kind` that became (part of) a lead, and per CRM id whether any of
    the negative feature `flags` is set for that lead as of the last date."""
    keys = planted(path, "raw_crm.leads", mess_kind)
    rows = query(path, f"""
        select identity_map.identifier_value, {' or '.join(f'features.{flag}' for flag in flags)}
        from intermediate.int_identity_map as identity_map
        inner join intermediate.int_lead_features_negative as features
            on identity_map.lead_id = features.lead_id
            and features.as_of_date = cast(? as date)
        where identity_map.identifier_type = 'crm_lead_id'
    """, [TEST_AS_OF])
    flagged = {crm_id: flag for crm_id, flag in rows if crm_id in keys}
    # the others were set aside (no valid email) or soft-deleted: never a lead of their own
    not_leads = keys - set(flagged)
    dropped = rejected(path, "raw_crm.leads") | {r[0] for r in query(
        path, "select crm_lead_id from staging.stg_crm__leads where is_deleted"
    )}
    assert not_leads <= dropped, f"planted {mess_kind} records without a lead: {sample(not_leads - dropped)}"
    assert flagged, f"no planted {mess_kind} record became a lead"
    return keys, flagged


def test_spammer_leads_carry_a_spam_signal(built_warehouse):
    _, flagged = lead_negative_flags(built_warehouse, "spammer_lead", [
        "negative_is_keyboard_mash_name", "negative_is_all_lowercase_name", "negative_is_disposable_domain",
    ])
    missed = {k for k, flag in flagged.items() if not flag}
    assert not missed, f"spammer leads without a spam signal: {sample(missed)}"


def test_internal_leads_carry_an_internal_signal(built_warehouse):
    _, flagged = lead_negative_flags(built_warehouse, "internal_lead", [
        "negative_is_internal_domain", "negative_is_test_name",
    ])
    missed = {k for k, flag in flagged.items() if not flag}
    assert not missed, f"internal or test leads without an internal signal: {sample(missed)}"


# --------------------------------------------------------------------------- coverage
# Every (source_table, mess_kind) the tests above check. A kind the generator starts planting that is
# not here fails, until a rule and a check exist for it.
CHECKED_MESS = {
    ("raw_web.events", kind) for kind in (
        "malformed_json", "unknown_event_name", "negative_duration", "future_timestamp", "duplicate_delivery",
        "bot_user_agent", "bot_event_rate", "unknown_anonymous_id", "late_arrival",
    )
} | {
    ("raw_email.email_events", "future_timestamp"),
    ("raw_email.email_events", "duplicate_delivery"),
    ("raw_web.identifies", "missing_email"),
    ("raw_web.identifies", "invalid_email"),
    ("raw_forms.submissions", "missing_email"),
    ("raw_forms.submissions", "invalid_email"),
    ("raw_forms.submissions", "failed_captcha"),
    ("raw_crm.accounts", "soft_deleted"),
    ("raw_crm.opportunities", "soft_deleted"),
} | {
    ("raw_crm.leads", kind) for kind in (
        "missing_email", "invalid_email", "crm_stale_version", "soft_deleted", "crm_duplicate_person",
        "spammer_lead", "internal_lead",
    )
}


def test_every_planted_mess_kind_is_checked(built_warehouse):
    generated = set(query(built_warehouse, "select distinct source_table, mess_kind from generator_truth.planted_mess"))
    unchecked = generated - CHECKED_MESS
    assert not unchecked, f"planted mess no test checks: {sorted(unchecked)}"
    absent = CHECKED_MESS - generated
    assert not absent, f"mess the tests expect but the generated data lacks: {sorted(absent)}"
