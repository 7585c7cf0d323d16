"""The generator: deterministic for a seed, every planted kind of mess present at about its documented rate,
truth kept apart, --append-day adds exactly one more day of loads (--append-hour one hour of it), and --shift
changes only the shifted behaviour of the people who arrive after its date."""

from __future__ import annotations

import datetime as dt
import os
import time

import duckdb
import pytest

from conftest import TEST_END, TEST_LEADS, copy_warehouse, generate_into, query, use_warehouse
from leadscore import cli, schema
from leadscore.generate import RATES, draw_persons
from leadscore.generate.people import BehaviourShift


def table_fingerprints(path) -> dict[str, tuple]:
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for t in schema.RAW_TABLES:
            cols = ", ".join(f'"{c.name}"' for c in t.columns)
            out[t.qualified_name] = con.execute(
                f"select count(*), sum(hash({cols})) from {t.qualified_name}").fetchall()[0]
        out["truth"] = con.execute(
            "select count(*), sum(hash(person_id, email, true_probability, is_converted)) from generator_truth.leads"
        ).fetchall()[0]
    return out


def test_same_seed_same_data_other_seed_other_data(generated_warehouse, tmp_path):
    again = tmp_path / "again.duckdb"
    generate_into(again)
    assert table_fingerprints(again) == table_fingerprints(generated_warehouse)
    other = tmp_path / "other.duckdb"
    generate_into(other, seed=7)
    assert table_fingerprints(other)["raw_web.events"] != table_fingerprints(generated_warehouse)["raw_web.events"]


def test_every_raw_table_is_filled(generated_warehouse):
    for t in schema.RAW_TABLES:
        (n,), = query(generated_warehouse, f"select count(*) from {t.qualified_name}")
        assert n > 0, t.qualified_name
    (events,), = query(generated_warehouse, "select count(*) from raw_web.events")
    assert 50 * TEST_LEADS <= events <= 150 * TEST_LEADS  # ~100 analytics events per lead


def rate(path, sql: str) -> float:
    (value,), = query(path, sql)
    return float(value)


# Each kind of mess, measured from the raw data itself (not from the truth table), against its documented rate.
MESS_MEASURES = {
    "duplicate_delivery": ("select 1 - count(distinct event_id) / count(*) from raw_web.events", RATES["duplicate_delivery"]),
    "late_arrival": (
        "select avg(case when _loaded_at > cast(timestamp as timestamptz)::timestamp + interval 1 day then 1 else 0 end) "
        "from raw_web.events where event_id not like 'evt\\_b%' escape '\\' and try_cast(timestamp as timestamptz) is not null",
        RATES["late_arrival"]),
    "unknown_event_name": (
        "select avg(case when event not in ('page_viewed', 'signed_up', 'trial_started', 'onboarding_step_completed', "
        "'api_call', 'feature_used', 'file_downloaded', 'demo_requested', 'webinar_attended') then 1 else 0 end) "
        "from raw_web.events", RATES["unknown_event_name"]),
    "malformed_json": ("select avg(case when json_valid(properties) then 0 else 1 end) from raw_web.events",
                       RATES["malformed_json"]),
    "future_timestamp": (
        "select avg(case when cast(timestamp as timestamptz)::timestamp > _loaded_at + interval 1 day then 1 else 0 end) "
        "from raw_web.events where try_cast(timestamp as timestamptz) is not null", RATES["future_timestamp"]),
    "missing_email": ("select avg(case when email is null then 1 else 0 end) from raw_crm.leads where id like '%AAA'",
                      RATES["missing_email"]),
    "invalid_email": (
        "select avg(case when email is not null and not regexp_matches(trim(email), '^[^@\\s]+@[^@\\s]+\\.[a-z]+$', 'i') "
        "then 1 else 0 end) from raw_crm.leads where id like '%AAA'", RATES["invalid_email"]),
    "soft_deleted": ("select avg(case when is_deleted then 1 else 0 end) from "
                     "(select distinct on (id) * from raw_crm.leads order by id, last_modified_date desc)",
                     RATES["soft_deleted"]),
    "crm_duplicate_person": (
        "select 1 - count(distinct lower(trim(email))) / count(*) from "
        "(select distinct on (id) * from raw_crm.leads order by id, last_modified_date desc) where email like '%@%'",
        RATES["crm_duplicate_person"]),
    "crm_stale_version": ("select 1 - count(distinct id) / count(*) from raw_crm.leads", RATES["crm_stale_version"] / 1.15),
}


@pytest.mark.parametrize("kind", sorted(MESS_MEASURES))
def test_mess_present_at_documented_rate(generated_warehouse, kind):
    sql, expected = MESS_MEASURES[kind]
    measured = rate(generated_warehouse, sql)
    assert expected * 0.5 <= measured <= expected * 1.6, f"{kind}: measured {measured:.5f}, documented {expected}"


def test_negative_durations_present(generated_warehouse):
    measured = rate(generated_warehouse, """
        select avg(case when try_cast(json_extract_string(properties, '$.duration_s') as double) < 0 then 1 else 0 end)
        from raw_web.events where event in ('page_viewed', 'api_call') and json_valid(properties)""")
    assert RATES["negative_duration"] * 0.5 <= measured <= RATES["negative_duration"] * 2.0


def test_spam_bots_internal_and_unknown_visitors_present(generated_warehouse):
    path = generated_warehouse
    (mash,), = query(path, "select count(*) from raw_crm.leads where lower(first_name) in ('asdf', 'qwerty', 'zxcvb', 'asdfgh')")
    (lowercase,), = query(path, "select count(*) from raw_crm.leads where first_name = lower(first_name) and first_name not in ('asdf', 'qwerty')")
    (disposable,), = query(path, "select count(*) from raw_crm.leads where email like '%@mailinator.com' or email like '%@yopmail.com'")
    (failed,), = query(path, "select avg(case when captcha_result = 'fail' then 1 else 0 end) from raw_forms.submissions")
    (internal,), = query(path, "select count(*) from raw_crm.leads where email like '%@acmeanalytics.io'")
    (bot_ua,), = query(path, "select count(distinct anonymous_id) from raw_web.events where user_agent ilike '%bot%' or user_agent ilike '%headless%' or user_agent like 'curl%' or user_agent like 'python-requests%'")
    (fast,), = query(path, """select count(*) from (select anonymous_id, date_trunc('minute', cast(timestamp as timestamptz)) as m
        from raw_web.events where try_cast(timestamp as timestamptz) is not null group by all having count(*) > 30)""")
    (unknown,), = query(path, """select count(distinct e.anonymous_id) from raw_web.events as e
        anti join raw_web.identifies as i on e.anonymous_id = i.anonymous_id""")
    assert mash > 0 and lowercase > 0 and disposable > 0 and internal > 0
    assert 0.05 < failed < 0.3
    assert bot_ua >= TEST_LEADS * RATES["bot_user_agent"] * 0.5
    assert fast >= TEST_LEADS * RATES["bot_event_rate"] * 0.5
    assert unknown >= TEST_LEADS * RATES["unknown_anonymous_id"] * 0.5


def test_planted_mess_listed_in_truth(generated_warehouse):
    kinds = dict(query(generated_warehouse, "select mess_kind, count(*) from generator_truth.planted_mess group by 1"))
    for kind in ["crm_duplicate_person", "crm_stale_version", "missing_email", "invalid_email", "soft_deleted",
                 "spammer_lead", "internal_lead", "failed_captcha", "bot_user_agent", "bot_event_rate",
                 "duplicate_delivery", "late_arrival", "unknown_anonymous_id", "unknown_event_name",
                 "malformed_json", "negative_duration", "future_timestamp"]:
        assert kinds.get(kind, 0) > 0, kind
    # every planted event row exists in the raw table
    (missing,), = query(generated_warehouse, """select count(*) from generator_truth.planted_mess as m
        where m.source_table = 'raw_web.events' and m.mess_kind in ('malformed_json', 'unknown_event_name')
        and not exists (select 1 from raw_web.events as e where e.event_id = m.row_key)""")
    assert missing == 0


def test_truth_is_a_sound_latent_model(generated_warehouse):
    rows = query(generated_warehouse, """select persona, avg(true_probability), avg(case when is_converted then 1 else 0 end)
        from generator_truth.leads group by 1""")
    by_persona = {p: (tp, conv) for p, tp, conv in rows}
    assert by_persona["spammer"][0] < 0.01 and by_persona["executive"][0] > by_persona["student"][0] * 3
    (overall,), = query(generated_warehouse, "select avg(case when is_converted then 1 else 0 end) from generator_truth.leads")
    assert 0.04 < overall < 0.2
    # outcomes follow the behaviour by weeks, and CRM opportunities exist only up to the last day
    (early,), = query(generated_warehouse, """select count(*) from generator_truth.leads
        where is_converted and opportunity_created_at < first_touch_at + interval 28 day""")
    assert early == 0
    (late_opps,), = query(generated_warehouse, f"select count(*) from raw_crm.opportunities where created_date >= date '{TEST_END}' + 1")
    assert late_opps == 0


def test_append_day_adds_one_day_of_loads(generated_warehouse, tmp_path):
    path = copy_warehouse(generated_warehouse, tmp_path, "append.duckdb")
    before = dict(query(path, "select 'events', count(*) from raw_web.events"))
    with use_warehouse(path):
        assert cli.main(["generate", "--append-day", "--quiet"]) == 0
    (lo, hi, n), = query(path, f"select min(_loaded_at), max(_loaded_at), count(*) from raw_web.events "
                               f"where _loaded_at >= date '{TEST_END}' + 1")
    assert n > 0 and n == query(path, "select count(*) from raw_web.events")[0][0] - before["events"]
    day_after = dt.datetime.fromisoformat(TEST_END) + dt.timedelta(days=1)
    assert day_after <= lo and hi < day_after + dt.timedelta(days=1)
    (end,), = query(path, "select value from generator_truth.generation_params where key = 'end'")
    assert end > TEST_END
    (dups,), = query(path, "select count(*) - count(distinct (event_id, _loaded_at)) from raw_web.events")
    assert dups == 0  # the append never re-inserts a row already loaded


def test_hours_of_a_day_add_up_to_the_day(generated_warehouse, tmp_path):
    """--append-hour loads the next hour (UTC) only; three hours and then --append-day (the rest of that day)
    give exactly the raw rows and truth of one --append-day."""
    by_day = copy_warehouse(generated_warehouse, tmp_path, "by_day.duckdb")
    by_hour = copy_warehouse(generated_warehouse, tmp_path, "by_hour.duckdb")
    with use_warehouse(by_day):
        assert cli.main(["generate", "--append-day", "--quiet"]) == 0
    day_after = dt.datetime.fromisoformat(TEST_END) + dt.timedelta(days=1)
    loaded = 0
    for hour in range(3):
        with use_warehouse(by_hour):
            assert cli.main(["generate", "--append-hour", "--quiet"]) == 0
        (lo, hi, n), = query(by_hour, f"select min(_loaded_at), max(_loaded_at), count(*) from raw_web.events "
                                      f"where _loaded_at >= timestamp '{day_after}'")
        assert n > loaded and hi < day_after + dt.timedelta(hours=hour + 1)  # nothing of a later hour
        loaded = n
        params = dict(query(by_hour, "select key, value from generator_truth.generation_params"))
        assert params["end"] == TEST_END and params["hours_loaded"] == str(hour + 1)
    with use_warehouse(by_hour):
        assert cli.main(["generate", "--append-day", "--quiet"]) == 0
    params = dict(query(by_hour, "select key, value from generator_truth.generation_params"))
    assert params["end"] == day_after.date().isoformat() and "hours_loaded" not in params
    assert table_fingerprints(by_hour) == table_fingerprints(by_day)
    # the next hour is the first of the following day
    with use_warehouse(by_hour):
        assert cli.main(["generate", "--append-hour", "--quiet"]) == 0
    (lo,), = query(by_hour, f"select min(_loaded_at) from raw_web.events "
                            f"where _loaded_at >= timestamp '{day_after}' + interval 1 day")
    assert lo < day_after + dt.timedelta(days=1, hours=1)


def test_one_load_at_a_time(tmp_path, capsys):
    """--empty, --append-day and --append-hour are three ways to write: two at once is refused, naming both."""
    path = tmp_path / "never.duckdb"
    with use_warehouse(path), pytest.raises(SystemExit) as refused:
        cli.main(["generate", "--append-day", "--append-hour", "--quiet"])
    assert refused.value.code == 2
    assert "--append-hour: not allowed with argument --append-day" in capsys.readouterr().err
    assert not path.exists()


def test_empty_creates_every_raw_table_without_rows(tmp_path):
    path = tmp_path / "empty.duckdb"
    with use_warehouse(path):
        assert cli.main(["generate", "--empty", "--quiet"]) == 0
    for t in schema.RAW_TABLES:
        assert query(path, f"select count(*) from {t.qualified_name}") == [(0,)]


@pytest.fixture(params=["Etc/GMT-14", "Etc/GMT+12"])
def far_time_zone(request):
    """The process's local time zone set to UTC+14 or UTC-12 (restored afterwards): at any moment the local date
    differs from the UTC date in at least one of the two."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_default_end_is_yesterday_by_the_utc_calendar(far_time_zone, tmp_path):
    path = tmp_path / "default_end.duckdb"
    with use_warehouse(path):
        assert cli.main(["generate", "--leads", "20", "--quiet"]) == 0
    (end,), = query(path, "select value from generator_truth.generation_params where key = 'end'")
    (start,), = query(path, "select value from generator_truth.generation_params where key = 'start'")
    utc_yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    assert end == utc_yesterday.isoformat(), f"local date in {far_time_zone}: {dt.date.today()}"
    assert start == (utc_yesterday - dt.timedelta(days=365)).isoformat()


def test_shift_changes_only_the_shifted_behaviour_of_later_people():
    import numpy as np

    start, shift_at = dt.date(2025, 11, 1), dt.date(2026, 8, 1)
    draw = lambda shift=None: draw_persons(np.random.default_rng(7), 0, 4000, start, 365, 600, shift)  # noqa: E731
    plain = draw()
    shifted = draw(BehaviourShift.parse(f"pv_pricing=4,api_call=0.5@{shift_at}"))
    changed = [c for c in plain.columns if not plain[c].equals(shifted[c])]
    assert changed == ["n_pv_pricing", "n_api_call"]
    later = (plain.first_touch_at >= str(shift_at)).to_numpy()
    for column in changed:
        assert plain.loc[~later, column].equals(shifted.loc[~later, column])
    # more people show the boosted kind at all (not only more of it), about 4x as often; the halved one halves
    assert (shifted.n_pv_pricing[later] > 0).mean() > (plain.n_pv_pricing[later] > 0).mean() + 0.2
    assert 3.2 < shifted.n_pv_pricing[later].mean() / plain.n_pv_pricing[later].mean() < 4.8
    assert 0.4 < shifted.n_api_call[later].mean() / plain.n_api_call[later].mean() < 0.6
    # conversion still follows the latent model drawn before the shift
    assert shifted.true_probability.equals(plain.true_probability)


@pytest.mark.parametrize("text", ["pv_pricing=4", "nonsense=2@2026-08-01", "pv_pricing=-1@2026-08-01",
                                  "pv_pricing=4@2026-13-01"])
def test_shift_refuses_what_it_cannot_read(text, tmp_path, capsys):
    with use_warehouse(tmp_path / "w.duckdb"), pytest.raises(SystemExit):
        cli.main(["generate", "--leads", "10", "--shift", text])
    assert "--shift" in capsys.readouterr().err
