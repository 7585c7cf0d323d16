"""The writer: the `generate` command (arguments, a run, `--empty`, `--append-day`), DuckDB settings for bulk
writes, and the Generator that orchestrates a run: truth tables, the `people` table, every source's rows."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

import numpy as np

from leadscore import schema, shapes, warehouse
from leadscore.generate.bulk import BulkWriter
from leadscore.generate.crm import LEAD_SOURCES, CrmSql
from leadscore.generate.emails import EmailSql
from leadscore.generate.feedback import FeedbackSql
from leadscore.generate.forms import FormsSql
from leadscore.generate.ledger import Ledger
from leadscore.generate.mess import MessSql
from leadscore.generate.people import BehaviourShift, draw_persons, n_companies_for
from leadscore.generate.social import SocialSql
from leadscore.generate.sql import TRUTH, SqlParts, _epoch_us, _pick
from leadscore.generate.surveys import SurveysSql
from leadscore.generate.web import BROWSERS, WebSql


DEFAULT_LEADS = 5000
DEFAULT_MEMORY_LIMIT = "4GB"  # DuckDB's, when LEADSCORE_MEMORY_LIMIT is not set
DEFAULT_SEED = 42


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--leads", type=int, default=DEFAULT_LEADS, help=f"People to generate (default {DEFAULT_LEADS}).")
    parser.add_argument("--seed", type=int, default=None, help=f"Random seed (default {DEFAULT_SEED}).")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=None,
                        help="First day of data, YYYY-MM-DD (default: 365 days before --end).")
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None,
                        help="Last day of data, YYYY-MM-DD (default: yesterday).")
    # what to write: the whole history (none of these), the empty tables, or the next load (one at a time)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--empty", action="store_true", help="Only create the empty raw tables.")
    mode.add_argument("--append-day", action="store_true",
                        help="Append the next day of data to an existing generated warehouse (the daily load; "
                             "after --append-hour, the rest of that day).")
    mode.add_argument("--append-hour", action="store_true",
                        help="Append the next hour of loads (UTC) to an existing generated warehouse (the hourly "
                             "load): 24 of them load exactly what one --append-day does.")
    parser.add_argument("--quiet", action="store_true", help="No progress output.")
    parser.add_argument("--shape", type=shapes.parse_shapes, default=("contract",), help=shapes.SHAPE_HELP)
    parser.add_argument("--shift", type=_behaviour_shift, default=None, metavar="KIND=FACTOR@DATE",
                        help="Drift: from DATE on, new people show behaviour KIND (e.g. pv_pricing) FACTOR times "
                             "as often without converting more (comma-separate several kinds: "
                             "pv_pricing=4,pv_demo=2@2026-08-01); --append-day keeps the shift.")


def _behaviour_shift(text: str) -> BehaviourShift:
    try:
        return BehaviourShift.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def default_end_date() -> dt.date:
    """Yesterday by the UTC calendar (not the machine's local one): the last day of data when --end is not given."""
    return dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)


def run(args: argparse.Namespace) -> int:
    log = (lambda *a: None) if args.quiet else (lambda msg: print(f"[generate] {msg}", flush=True))
    with warehouse.connect() as con:
        configure(con)
        if args.empty:
            schema.create_raw_tables(con)
            log(f"created empty raw tables in {warehouse.duckdb_path()}")
            return 0
        if args.append_day or args.append_hour:
            return append_loads(con, log, hours=1 if args.append_hour else None)
        end = args.end or default_end_date()
        start = args.start or (end - dt.timedelta(days=365))
        if start > end:
            print("generate: --start must not be after --end", file=sys.stderr)
            return 2
        if args.leads < 1:
            print("generate: --leads must be at least 1", file=sys.stderr)
            return 2
        seed = DEFAULT_SEED if args.seed is None else args.seed
        Generator(con, seed, start, end, log, args.shift).generate(args.leads)
        shapes.write_shape(con, args.shape)
    return 0


def configure(con) -> None:
    """DuckDB settings for bulk writes: parallel inserts that need not keep row order; memory limit and threads
    from the same environment variables as the dbt profile (when set)."""
    con.execute("set preserve_insertion_order = false")
    # DuckDB's default limit (80% of RAM) lets its cache of written blocks grow for nothing here.
    con.execute("set memory_limit = ?", [os.environ.get("LEADSCORE_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT])
    if os.environ.get("LEADSCORE_DUCKDB_THREADS"):
        con.execute("set threads = ?", [int(os.environ["LEADSCORE_DUCKDB_THREADS"])])


class Generator(CrmSql, FeedbackSql, WebSql, EmailSql, SocialSql, FormsSql, SurveysSql, Ledger, MessSql, BulkWriter, SqlParts):
    """One run: draws the people, then writes every raw table for a window of load times (the whole
    period, or one appended day) and records the truth; the rows of each source come from its mixin."""

    def __init__(self, con, seed: int, start: dt.date, end: dt.date, log, shift: BehaviourShift | None = None):
        self.con, self.seed, self.start, self.end, self.log = con, seed, start, end, log
        self.shift = shift
        self.days = (end - start).days + 1
        self.t0 = time.perf_counter()

    # ------------------------------------------------------------------ entry points
    def generate(self, leads: int) -> None:
        con = self.con
        self.progress(f"{leads:,} leads, {self.start} .. {self.end}, seed {self.seed}")
        schema.create_raw_tables(con)
        con.execute(f"drop schema if exists {TRUTH} cascade")
        con.execute(f"create schema {TRUTH}")
        persons = draw_persons(np.random.default_rng(self.seed), 0, leads, self.start, self.days, n_companies_for(leads),
                               self.shift)
        self.progress(f"drew {len(persons):,} people (latent model)")
        con.register("persons_df", persons)
        con.execute(f"create table {TRUTH}.leads as select * from persons_df")
        con.unregister("persons_df")
        con.execute(f"create table {TRUTH}.planted_mess (source_table varchar, row_key varchar, mess_kind varchar)")
        params = {"seed": self.seed, "leads": leads, "start": self.start.isoformat(),
                  "end": self.end.isoformat(), "days": self.days, "version": 1}
        if self.shift is not None:
            params["shift"] = self.shift.text()
        con.execute(f"create table {TRUTH}.generation_params (key varchar, value varchar)")
        con.executemany(f"insert into {TRUTH}.generation_params values (?, ?)", [(k, str(v)) for k, v in params.items()])
        self.params_days, self.day_lo, self.day_hi = self.days, 0, self.days
        self.write_window(leads, lo=None, hi=self.end + dt.timedelta(days=1), person_filter="true", static=True)
        con.execute("checkpoint")
        self.progress("checkpoint written")
        self.finish()

    def append(self, leads: int, first_hour: int = 0, last_hour: int = 24) -> None:
        """Append hours [first_hour, last_hour) (UTC) of the day after `self.end`: every row loaded then.
        The day's new people join the truth with its first hour; every window of the day draws the same
        rows (seeded by the day) and keeps those loaded in it, so the hours of a day add up to the day."""
        con = self.con
        day = self.end + dt.timedelta(days=1)
        if first_hour == 0:
            d = self.days  # day index of the new day
            new = int(np.floor((d + 1) * leads / self.days) - np.floor(d * leads / self.days))
            first_pid = con.execute(f"select coalesce(max(person_id) + 1, 0) from {TRUTH}.leads").fetchall()[0][0]
            persons = draw_persons(np.random.default_rng([self.seed, d]), first_pid, new, day, 1,
                                   n_companies_for(leads), self.shift)
            con.register("persons_df", persons)
            con.execute(f"insert into {TRUTH}.leads by name select * from persons_df")
            con.unregister("persons_df")
            self.progress(f"appending {day}: {new} new people")
        midnight = dt.datetime.combine(day, dt.time())
        lo, hi = midnight + dt.timedelta(hours=first_hour), midnight + dt.timedelta(hours=last_hour)
        self.progress(f"appending the loads of {lo:%Y-%m-%d %H:%M} .. {hi:%Y-%m-%d %H:%M} UTC")
        self.write_window(leads, lo=lo, hi=hi,
                          person_filter=f"first_touch_at >= timestamp '{day}' - interval 200 day", static=False)
        set_param(con, "hours_loaded", None if last_hour == 24 else str(last_hour))
        if last_hour == 24:
            set_param(con, "end", day.isoformat())
        self.finish()

    def finish(self) -> None:
        counts = {t.qualified_name: self.con.execute(f"select count(*) from {t.qualified_name}").fetchall()[0][0]
                  for t in schema.RAW_TABLES}
        total = sum(counts.values())
        self.progress(f"done: {total:,} raw rows (" + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ")")

    def progress(self, msg: str) -> None:
        self.log(f"{time.perf_counter() - self.t0:7.1f}s  {msg}")

    def write_window(self, leads: int, lo, hi, person_filter: str, static: bool) -> None:
        con = self.con
        self.lo = "timestamp '1900-01-01'" if lo is None else f"timestamp '{lo}'"
        self.hi = f"timestamp '{hi}'"
        self.lo_us = -(2**62) if lo is None else _epoch_us(lo)
        self.hi_us = _epoch_us(hi)
        con.execute(f"create or replace temp table people as {self.people_sql(person_filter)}")
        con.execute("create or replace temp table other_web_events as select *, '' as source from raw_web.events limit 0")
        steps = [
            ("raw_crm.users", self.users_sql, static),
            ("raw_crm.accounts", self.accounts_sql, static),
            ("raw_crm.leads", self.leads_sql, True),
            ("raw_crm.opportunities", self.opportunities_sql, True),
            ("raw_crm.mql_feedback", self.mql_feedback_sql, True),
            ("raw_web.identifies", self.identifies_sql, True),
            ("raw_email.campaigns", self.campaigns_sql, True),
            ("raw_email.email_events", self.write_email_events, True),
            ("raw_social.engagements", self.social_sql, True),
            ("raw_forms.submissions", self.forms_sql, True),
            ("raw_surveys.responses", self.surveys_sql, True),
            ("raw_web.events", self.write_web_events, True),
            ("raw_web.events", self.bot_events_sql, True),
            ("raw_web.events", self.unknown_visitor_events_sql, True),
        ]
        for table, make_sql, enabled in steps:
            if not enabled:
                continue
            if make_sql in (self.write_web_events, self.write_email_events):
                added = make_sql()
            elif make_sql in (self.bot_events_sql, self.unknown_visitor_events_sql):
                # kept apart too: the planted mess lists these visitors' anonymous ids
                con.execute(f"insert into other_web_events by name select * from ({make_sql(leads)}) "
                            f"where _loaded_at >= {self.lo} and _loaded_at < {self.hi}")
                added = con.execute(f"insert into {table} by name select * exclude (source) from other_web_events "
                                    f"where source = '{make_sql.__name__}'").fetchall()[0][0]
            else:
                added = con.execute(f"insert into {table} by name select * from ({make_sql()}) "
                                    f"where _loaded_at >= {self.lo} and _loaded_at < {self.hi}").fetchall()[0][0]
            self.progress(f"{table}: +{added:,} rows")
        self.record_mess(leads)
        self.progress("planted mess recorded")

    def people_sql(self, person_filter: str) -> str:
        s = self.seed
        return f"""
        select
            *,
            '00Q' || lpad(cast(person_id as varchar), 12, '0') || 'AAA' as crm_id,
            '00Q' || lpad(cast(person_id as varchar), 12, '0') || 'DUP' as crm_dup_id,
            'a' || substr(md5('{s}-' || person_id || '-1'), 1, 19) as anon1,
            'a' || substr(md5('{s}-' || person_id || '-2'), 1, 19) as anon2,
            case when signed_up then 'usr_' || person_id end as user_id,
            case when tz_minutes = 0 then 'Z'
                 else (case when tz_minutes < 0 then '-' else '+' end)
                      || lpad(cast(abs(tz_minutes) // 60 as varchar), 2, '0') || ':'
                      || lpad(cast(abs(tz_minutes) % 60 as varchar), 2, '0') end as tz_text,
            '@' || lower(replace(replace(first_name, ' ', ''), '''', '')) || '_'
                || lower(replace(replace(last_name, ' ', ''), '''', '')) || cast(person_id % 997 as varchar) as handle,
            case when not has_web then {_pick(['Event', 'List Import', 'Partner', 'Referral'], self.h('person_id', "'src'"))}
                 else {_pick(LEAD_SOURCES, self.h('person_id', "'src'"))} end as lead_source,
            {_pick(BROWSERS, self.h('person_id', "'ua'"))} as user_agent,
            '001' || lpad(cast(company_idx as varchar), 12, '0') || 'AAA' as account_id,
            {self.owner_sql('territory', self.h('person_id', "'owner'"))} as owner_id
        from {TRUTH}.leads
        where {person_filter}
        """


def set_param(con, key: str, value: str | None) -> None:
    """Sets (None: removes) one key of the generation parameters."""
    con.execute(f"delete from {TRUTH}.generation_params where key = ?", [key])
    if value is not None:
        con.execute(f"insert into {TRUTH}.generation_params values (?, ?)", [key, value])


def append_loads(con, log, hours: int | None) -> int:
    """The next `hours` hours of loads (None: the rest of the day) after the last loaded hour: the day
    after generation_params.end, from its hour hours_loaded (absent: 0)."""
    option = "--append-day" if hours is None else "--append-hour"
    try:
        params = dict(con.execute(f"select key, value from {TRUTH}.generation_params").fetchall())
    except Exception:  # noqa: BLE001 - any failure here means there is nothing to append to
        print(f"generate {option}: this warehouse holds no generated data; run `leadscore generate` first",
              file=sys.stderr)
        return 2
    start = dt.date.fromisoformat(params["start"])
    end = dt.date.fromisoformat(params["end"])
    shift = BehaviourShift.parse(params["shift"]) if "shift" in params else None
    g = Generator(con, int(params["seed"]), start, end, log, shift)
    g.days = (end - start).days + 1
    g.params_days = int(params["days"])
    g.day_lo, g.day_hi = g.days - 1, g.days + 1
    g.accounts_sql()  # registers the companies table the CRM SQL joins
    first_hour = int(params.get("hours_loaded", 0))
    last_hour = 24 if hours is None else min(first_hour + hours, 24)
    con.execute("begin transaction")
    try:
        g.append(int(params["leads"]), first_hour, last_hour)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return 0
