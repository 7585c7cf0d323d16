"""Bad inputs and faults, tried as a hostile-but-fair tester would (issue 12): each has a clear outcome,
and after every refusal the raw tables (and, for a failed build, the marts) are exactly as before.

Loader cases run against one copy of the generated warehouse, whose raw tables are fingerprinted before and
after each refusal; cases that must load run against a fresh small warehouse. dbt cases run against one
copy of the built warehouse and one copy of the project (a case edits a seed and puts it back).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadscore import cli, schema, warehouse
from leadscore.readers import MAX_FIELD_CHARS

from conftest import copy_project, copy_warehouse, dbt, generate_into, query, use_warehouse

USERS_HEADER = "id,name,email,territory,is_active,created_date,last_modified_date"
RAW_SCHEMAS = list(schema.RAW_SCHEMAS)
LONG = 20_600  # past the 20,480-row sample a sniffer reads


def user_line(i: int, name: str | None = None, is_active: str = "true", created: str = "2026-01-01 10:00:00") -> str:
    return f"005{i:015d},{name or f'Rep {i}'},rep{i}@acme.io,NA,{is_active},{created},2026-01-02 10:00:00"


def users_csv(rows: int = 3, special: dict[int, str] | None = None, header: str = USERS_HEADER,
              newline: str = "\n") -> bytes:
    """A raw_crm.users CSV; `special` replaces the line at a given line number (header = line 1)."""
    lines = [header] + [user_line(i) for i in range(rows)]
    for line_number, text in (special or {}).items():
        lines[line_number - 1] = text
    return (newline.join(lines) + newline).encode()


def fingerprint(db: Path, schemas: list[str]) -> dict[str, tuple]:
    """Rows and a hash of every row's text (doubles printed exactly) of every table in `schemas`."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) and table_type = 'BASE TABLE' order by 1",
            schemas,
        ).fetchall()
        return {t: con.execute(f"select count(*), coalesce(sum(hash(cast(x as varchar))), 0) from {t} as x").fetchone()
                for (t,) in tables}


def run_cli(args: list[str], db: Path, **env: str) -> subprocess.CompletedProcess:
    """`leadscore ...` in its own process (its own time zone, lock and environment)."""
    return subprocess.run([sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True,
                          env={**os.environ, warehouse.PATH_ENV: str(db), **env}, cwd=warehouse.PROJECT_ROOT)


class hold_lock:
    """A separate process that holds the warehouse's write lock (as a running build does) for `seconds`."""

    def __init__(self, db: Path, seconds: float):
        code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
                "time.sleep(float(sys.argv[2]))")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout.readline().strip() == "locked"

    def __enter__(self):
        return self.proc

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


# ---------------------------------------------------------------------------------------------- refusals

@dataclass
class Refusal:
    """Files written into an exports folder; `leadscore load` must exit `rc` with stderr matching `message`
    (and not matching `not_message`), leaving every raw table unchanged."""
    files: Callable[[Path], None]
    message: str
    args: tuple[str, ...] = ()
    not_message: str | None = None
    rc: int = 2


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda d: (d / name).write_bytes(content)


def _parquet(name: str, table: pa.Table) -> Callable[[Path], None]:
    return lambda d: pq.write_table(table, d / name)


def _users_arrow(**overrides) -> pa.Table:
    data = {"id": ["005a", "005b"], "name": ["Rep A", "Rep B"], "email": ["a@acme.io", "b@acme.io"],
            "territory": ["NA", "EMEA"], "is_active": [True, False],
            "created_date": pa.array([dt.datetime(2026, 1, 1, 10)] * 2),
            "last_modified_date": pa.array([dt.datetime(2026, 1, 2, 10)] * 2)}
    data.update(overrides)
    return pa.table(data)


def _leads_with_custom_columns(d: Path) -> None:
    columns = [c.name for c in schema.table("raw_crm.leads").columns if c.required]
    frame = pd.DataFrame({c: ["x"] for c in columns}).assign(lead_origin__c="API", visits__c="3",
                                                               property_time_on_site="12.5")
    frame.to_csv(d / "raw_crm.leads.csv", index=False)


def _good_and_bad(d: Path) -> None:
    (d / "raw_crm.users.csv").write_bytes(users_csv())
    (d / "raw_email.campaigns.csv").write_bytes(b"campaign_id,name,campaign_type,created_at\nc1,A,newsletter,yesterday\n")


def _two_files_one_table(d: Path) -> None:
    (d / "raw_crm.users.csv").write_bytes(users_csv())
    pq.write_table(_users_arrow(), d / "raw_crm.users.parquet")


MULTILINE = users_csv(6, {3: user_line(1, name='"Rep, with a\nline break"'), 6: user_line(4, is_active="maybe")})

REFUSALS: dict[str, Refusal] = {
    "empty file": Refusal(_write("raw_crm.users.csv", b""), r"raw_crm\.users\.csv: the file is empty: there is no header row"),
    "byte-order mark only": Refusal(_write("raw_crm.users.csv", b"\xef\xbb\xbf"), r"the file is empty"),
    "header only, replace mode": Refusal(_write("raw_crm.users.csv", users_csv(0)),
                                         r"raw_crm\.users\.csv: the file has no rows; replacing would empty raw_crm\.users\. Pass --allow-empty"),
    "parquet with no rows, replace mode": Refusal(_parquet("raw_crm.users.parquet", _users_arrow().slice(0, 0)),
                                                  r"has no rows.*--allow-empty"),
    "duplicate header": Refusal(_write("raw_crm.users.csv", users_csv(2, header=USERS_HEADER.replace("territory", "email"))),
                                r"line 1 \(the header\): column 'email' appears twice \(fields 3 and 4\)"),
    "empty column name": Refusal(_write("raw_crm.users.csv", users_csv(2, header=USERS_HEADER.replace("territory", ""))),
                                 r"line 1 \(the header\): field 4 has no column name"),
    "every unknown column listed, custom-field hint": Refusal(
        _leads_with_custom_columns,
        r"3 columns, 'lead_origin__c', 'visits__c', 'property_time_on_site', are not part of raw_crm\.leads; "
        r"a custom CRM field is declared with one row in seeds/crm_custom_fields\.csv \(name, numeric \| categorical \| boolean"),
    "every missing required column listed": Refusal(
        _write("raw_crm.users.csv", b"id,name,email,created_date,last_modified_date\n1,a,b,2026-01-01,2026-01-01\n"),
        r"required columns are missing: 'territory', 'is_active'"),
    "latin-1 byte after the sniffer's sample": Refusal(
        _write("raw_crm.users.csv", users_csv(LONG).replace(b"Rep 20500,", b"Ren\xe9 20500,")),
        r"line 20502 is not UTF-8 \(byte 0xe9, byte 23 of the line\); save the file as UTF-8"),
    "ragged row after the sniffer's sample": Refusal(
        _write("raw_crm.users.csv", users_csv(LONG, {20_550: user_line(20_548) + ",extra"})),
        r"line 20550 has 8 fields, the header has 7 \(a value holding a comma must be in double quotes\)"),
    "unquoted comma (short row)": Refusal(_write("raw_crm.users.csv", users_csv(3, {3: "005x,Rep,a@b.io,NA,true"})),
                                          r"line 3 has 5 fields, the header has 7"),
    "quote never closed": Refusal(_write("raw_crm.users.csv", users_csv(3, {4: user_line(2, name='"Rep 2')})),
                                  r"line 4: a quoted field is never closed"),
    "text after a closing quote": Refusal(_write("raw_crm.users.csv", users_csv(3, {2: user_line(0, name='"Rep" 0')})),
                                          r"line 2: text follows a closing double quote"),
    "NUL byte": Refusal(_write("raw_crm.users.csv", users_csv(3).replace(b"Rep 1,", b"Rep\x00 1,")), r"line 3 holds a NUL byte"),
    "bare CR line endings": Refusal(_write("raw_crm.users.csv", users_csv(3, newline="\r")), r"line 1: a bare carriage return"),
    "10 MB field": Refusal(_write("raw_crm.users.csv", users_csv(3, {3: user_line(1, name="x" * (MAX_FIELD_CHARS + 1))})),
                           r"line 3: a value is longer than 10 MB, the loader's limit for one field; shorten or drop that value",
                           not_message=r"max_line_size|--[a-z]"),
    "bad boolean after a quoted line break (line as an editor shows it)": Refusal(
        _write("raw_crm.users.csv", MULTILINE), r"column 'is_active' expects BOOLEAN, line 7 has 'maybe'"),
    "time stamp that is not one": Refusal(_write("raw_crm.users.csv", users_csv(3, {4: user_line(2, created="yesterday")})),
                                          r"column 'created_date' expects TIMESTAMP, line 4 has 'yesterday'"),
    "parquet LIST column for a text field": Refusal(
        _parquet("raw_crm.users.parquet", _users_arrow(email=pa.array([["a@acme.io"], ["b@acme.io"]]))),
        r"column 'email' holds a nested Parquet type \(list<element: string>\)"),
    "parquet STRUCT column": Refusal(
        _parquet("raw_crm.users.parquet", _users_arrow(name=pa.array([{"first": "A"}, {"first": "B"}]))),
        r"column 'name' holds a nested Parquet type \(struct"),
    "parquet value that does not cast": Refusal(
        _parquet("raw_crm.users.parquet", _users_arrow(is_active=["yes", "maybe"])),
        r"column 'is_active' expects BOOLEAN, row 2 has 'maybe'"),
    "not a parquet file": Refusal(_write("raw_crm.users.parquet", b"id,name\n1,2\n"), r"not a readable Parquet file"),
    "unknown file name": Refusal(_write("raw_crm.people.csv", users_csv()), r"no raw table named 'raw_crm\.people'"),
    "not CSV or Parquet": Refusal(_write("raw_crm.users.xlsx", b"PK"), r"raw_crm\.users\.xlsx: not a \.csv or \.parquet file"),
    "two files for one table": Refusal(_two_files_one_table, r"already holds raw_crm\.users"),
    "one good file, one bad: nothing loaded": Refusal(_good_and_bad, r"column 'created_at' expects TIMESTAMP, line 2 has 'yesterday'"),
    "empty folder": Refusal(lambda d: None, r"no raw table files found"),
}


@pytest.fixture(scope="module")
def raw_copy(tmp_path_factory) -> Path:
    """One small generated warehouse (every raw table holds rows) for every refusal: a refusal changes
    nothing, which each case asserts."""
    path = tmp_path_factory.mktemp("faults-raw") / "raw.duckdb"
    generate_into(path, leads=60)
    return path


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_bad_file_is_refused_and_changes_nothing(case, raw_copy, tmp_path, capsys):
    refusal = REFUSALS[case]
    exports = tmp_path / "exports"
    exports.mkdir()
    refusal.files(exports)
    before = fingerprint(raw_copy, RAW_SCHEMAS)
    assert all(rows > 0 for rows, _ in before.values())
    with use_warehouse(raw_copy):
        rc = cli.main(["load", str(exports), *refusal.args])  # a traceback would fail the test here
    err = capsys.readouterr().err
    assert rc == refusal.rc, err
    assert err.startswith("load refused, nothing was loaded: "), err
    assert re.search(refusal.message, err), err[:2000]
    if refusal.not_message:
        assert not re.search(refusal.not_message, err), err[:2000]
    assert fingerprint(raw_copy, RAW_SCHEMAS) == before


def test_busy_warehouse_is_refused_naming_the_process(raw_copy, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "raw_crm.users.csv").write_bytes(users_csv())
    before = fingerprint(raw_copy, RAW_SCHEMAS)
    with hold_lock(raw_copy, 60) as holder:
        result = run_cli(["load", str(exports)], raw_copy, LEADSCORE_LOCK_TIMEOUT="1")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"is busy: process {holder.pid} \(.*python.*\) holds its lock \(waited 1 s", result.stderr)
    assert fingerprint(raw_copy, RAW_SCHEMAS) == before


# ---------------------------------------------------------------------------------------------- what loads

def _load(exports: Path, db: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    result = run_cli(["load", str(exports), *args], db, **env)
    assert result.returncode == 0, result.stderr
    return result


def test_quoting_after_the_sniffers_sample_is_parsed_not_stored(tmp_path):
    exports = tmp_path / "e"
    exports.mkdir()
    content = users_csv(LONG, {20_500: user_line(20_498, name='"Smith, Jr."'),
                               20_501: user_line(20_499, name='"She said ""hi"""')})
    (exports / "raw_crm.users.csv").write_bytes(content)
    db = tmp_path / "w.duckdb"
    _load(exports, db)
    names = dict(query(db, "select id, name from raw_crm.users where id in (?, ?)",
                       [f"005{20_498:015d}", f"005{20_499:015d}"]))
    assert names == {f"005{20_498:015d}": "Smith, Jr.", f"005{20_499:015d}": 'She said "hi"'}
    assert query(db, "select count(*) from raw_crm.users")[0][0] == LONG


def test_bom_crlf_blank_lines_and_quoted_line_breaks_load(tmp_path):
    exports = tmp_path / "e"
    exports.mkdir()
    content = b"\xef\xbb\xbf" + users_csv(3, {3: user_line(1, name='"Two\r\nlines"')}, newline="\r\n") + b"\r\n\r\n"
    (exports / "raw_crm.users.csv").write_bytes(content)
    db = tmp_path / "w.duckdb"
    _load(exports, db)
    rows = query(db, "select id, name, territory from raw_crm.users order by id")
    assert [r[0] for r in rows] == [f"005{i:015d}" for i in range(3)]
    assert rows[1][1] == "Two\r\nlines" and all(r[2] == "NA" for r in rows)  # no stray CR at line ends


def test_time_stamps_are_utc_whatever_the_machines_zone(tmp_path):
    """Offsets in text honoured, naive text taken as UTC, Parquet TIMESTAMPTZ converted as UTC, and
    `_loaded_at` in UTC, with the loader's process in New York (where the issue saw 5 hours' error)."""
    exports = tmp_path / "e"
    exports.mkdir()
    (exports / "raw_crm.users.csv").write_bytes(users_csv(3, {
        2: user_line(0, created="2024-10-26T00:00:00+05:00"),
        3: user_line(1, created="2024-10-26 00:00:00"),
        4: user_line(2, created="2024-10-26T00:00:00Z")}))
    tz_times = pa.array([dt.datetime(2024, 10, 26, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))] * 2,
                        type=pa.timestamp("us", tz="Asia/Karachi"))
    campaigns = pa.table({"campaign_id": ["c1", "c2"], "name": ["A", "B"], "campaign_type": ["newsletter"] * 2,
                          "created_at": tz_times})
    pq.write_table(campaigns, exports / "raw_email.campaigns.parquet")
    db = tmp_path / "w.duckdb"
    _load(exports, db, "--mode", "append", TZ="America/New_York")
    created = [r[0] for r in query(db, "select created_date from raw_crm.users order by id")]
    assert created == [dt.datetime(2024, 10, 25, 19), dt.datetime(2024, 10, 26), dt.datetime(2024, 10, 26)]
    assert {r[0] for r in query(db, "select created_at from raw_email.campaigns")} == {dt.datetime(2024, 10, 25, 19)}
    loaded_at = query(db, "select min(_loaded_at), max(_loaded_at) from raw_crm.users")[0]
    now_utc = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert loaded_at[0] == loaded_at[1] and abs((now_utc - loaded_at[0]).total_seconds()) < 300


def test_allow_empty_empties_the_table_on_purpose(tmp_path):
    exports = tmp_path / "e"
    exports.mkdir()
    (exports / "raw_crm.users.csv").write_bytes(users_csv(3))
    db = tmp_path / "w.duckdb"
    _load(exports, db)
    (exports / "raw_crm.users.csv").write_bytes(users_csv(0))
    assert run_cli(["load", str(exports), "--mode", "append"], db).returncode == 0  # nothing to add: fine
    assert query(db, "select count(*) from raw_crm.users")[0][0] == 3
    _load(exports, db, "--allow-empty")
    assert query(db, "select count(*) from raw_crm.users")[0][0] == 0


def test_load_waits_for_a_lock_released_in_time_and_creates_an_owner_only_file(tmp_path):
    exports = tmp_path / "e"
    exports.mkdir()
    (exports / "raw_crm.users.csv").write_bytes(users_csv(3))
    db = tmp_path / "w.duckdb"
    _load(exports, db)
    assert db.stat().st_mode & 0o777 == 0o600  # holds emails, phones and messages: owner only
    with hold_lock(db, 2):
        started = time.monotonic()
        _load(exports, db, "--mode", "append", LEADSCORE_LOCK_TIMEOUT="30")
    assert time.monotonic() - started >= 1  # it waited for the holder, then loaded
    assert query(db, "select count(*) from raw_crm.users")[0][0] == 6


def test_a_warehouse_file_dbt_creates_first_is_owner_only(tmp_path):
    db = tmp_path / "created_by_dbt.duckdb"
    old_umask = os.umask(0o022)  # a umask that would make the file world-readable (0644)
    try:
        dbt(db, "seed", "--select", "country_codes")
    finally:
        os.umask(old_umask)
    assert db.exists()
    assert db.stat().st_mode & 0o777 == 0o600  # the plugin of the profile (leadscore.duckdb_plugin)


# ---------------------------------------------------------------------------------------------- builds

@pytest.fixture(autouse=True)
def fixed_dbt_env(monkeypatch):
    """The same profile for every dbt run of the module (a changed profile makes dbt parse it all again)."""
    monkeypatch.setenv("LEADSCORE_DBT_CONNECT_ATTEMPTS", "3")
    monkeypatch.delenv("LEADSCORE_ID_KEY", raising=False)


@pytest.fixture(scope="module")
def gated(built_warehouse, tmp_path_factory) -> tuple[Path, Path]:
    """(a copy of the built warehouse, a copy of the project) for builds that must fail before the marts."""
    directory = tmp_path_factory.mktemp("faults-build")
    return copy_warehouse(built_warehouse, directory, "built.duckdb"), copy_project(directory / "project")


@dataclass
class BadBuild:
    """A seed file edit (path under seeds/ -> function of its text) or vars; the build must fail with
    `message` in its output, skip every mart, and leave the marts and raw tables exactly as they were."""
    message: str
    seed: str | None = None
    edit: Callable[[str], str] = field(default=lambda text: text)
    vars_: dict | None = None


def _replace_line(number: int, text: str) -> Callable[[str], str]:
    def edit(content: str) -> str:
        lines = content.splitlines()
        lines[number - 1] = text
        return "\n".join(lines) + "\n"
    return edit


BAD_BUILDS: dict[str, BadBuild] = {
    "seed row with an extra field": BadBuild(
        r"Bad seed seeds/scoring/scoring_mql_thresholds\.csv, line 4: 4 fields, the header has 3",
        "scoring/scoring_mql_thresholds.csv", lambda t: _replace_line(4, t.splitlines()[3] + ",extra")(t)),
    "seed row with a missing field": BadBuild(
        r"Bad seed seeds/scoring/scoring_category_caps\.csv, line 3: 3 fields, the header has 4",
        "scoring/scoring_category_caps.csv", _replace_line(3, "v1,engagement,0")),
    "seed threshold that is not a number": BadBuild(
        r"scoring_mql_thresholds", "scoring/scoring_mql_thresholds.csv", _replace_line(2, "v1,all,fifty")),
    "seed rule with a duplicate rule_id": BadBuild(
        r"Bad seed scoring_rules: .*duplicate rule_id", "scoring/scoring_rules.csv",
        lambda t: t + t.splitlines()[1] + "\n"),
    "seed rule on an unknown feature": BadBuild(
        r"Bad seed scoring_rules: ", "scoring/scoring_rules.csv",
        lambda t: t.replace(",fit_persona,", ",fit_no_such_feature,", 1)),
    "seed that fails its unique test": BadBuild(
        r"unique_country_codes_country_alias", "country_codes.csv", lambda t: t + "ad,AD,Andorra\n"),
    "account rule giving fit points for engagement": BadBuild(
        r"Bad seed account_scoring_rules: AE01: feature max_lead_score gives engagement points, not fit",
        "scoring/account_scoring_rules.csv", lambda t: t.replace("AE01,engagement,", "AE01,fit,", 1)),
    "account MQA thresholds without the default row": BadBuild(
        r"Bad seed account_mqa_thresholds: all: no row for segment all", "scoring/account_mqa_thresholds.csv",
        lambda t: t.replace("all,", "smb,", 1)),
    "sentiment lexicon term weighing 0": BadBuild(
        r"accepted_values_survey_sentiment_lexicon_sentiment_weight", "survey_sentiment_lexicon.csv",
        lambda t: t + "meh,sentiment,0\n"),
    "var as_of_date that is not a date": BadBuild(
        r"Bad var as_of_date: got '2026-02-30', expected a date that exists", vars_={"as_of_date": "2026-02-30"}),
    "var as_of_date in another format": BadBuild(
        r"Bad var as_of_date: got '30/06/2026'", vars_={"as_of_date": "30/06/2026"}),
    "var incremental_lookback_days negative": BadBuild(
        r"Bad var incremental_lookback_days: got '-1', expected a number >= 0", vars_={"incremental_lookback_days": -1}),
    # refused while dbt reads the project (macro backtest_cutoff_dates), before any node runs
    "var backtest_cutoff_dates with a bad date": BadBuild(
        r"2026-13-01", vars_={"backtest_cutoff_dates": ["2026-13-01"]}),
}


@pytest.mark.parametrize("case", list(BAD_BUILDS), ids=list(BAD_BUILDS))
def test_bad_seed_or_var_stops_the_build_before_any_mart(case, gated):
    bad = BAD_BUILDS[case]
    db, project = gated
    before = fingerprint(db, ["marts", *RAW_SCHEMAS])
    seed_path = project / "seeds" / bad.seed if bad.seed else None
    original = seed_path.read_text() if seed_path else None
    selection = ["int_build_inputs_checked+"]
    if seed_path:
        seed_path.write_text(bad.edit(original))
        selection.insert(0, f"{seed_path.stem}+")
    try:
        # dim_leads and the audit marts do not read these seeds: before the gate, they were rebuilt
        run = dbt(db, "build", "--select", *selection, vars_=bad.vars_, project_dir=project, check=False)
    finally:
        if seed_path:
            seed_path.write_text(original)
    assert not run.success
    assert re.search(bad.message, run.output), run.output[-3000:]
    built_marts = {r["unique_id"] for r in run.results if ".marts." in r.get("unique_id", "") or False}
    assert not run.names("success") & {"dim_leads", "fct_lead_scores", "fct_lead_routing", "audit_rejected_rows"}
    assert "int_build_inputs_checked" not in run.names("success"), built_marts
    assert fingerprint(db, ["marts", *RAW_SCHEMAS]) == before


def test_build_waits_for_a_load_or_names_the_process_holding_the_lock(gated):
    db, project = gated  # the module's dbt runs retry a lock 3 times: 1 + 2 + 4 s (fixture fixed_dbt_env)
    with hold_lock(db, 60) as holder:
        busy = dbt(db, "show", "--inline", "select 1 as one", project_dir=project, check=False)
    assert not busy.success
    assert re.search(rf"Conflicting lock is held in .*\(PID {holder.pid}\)", busy.output), busy.output[-2000:]
    with hold_lock(db, 2):
        waited = dbt(db, "show", "--inline", "select 1 as one", project_dir=project, check=False)
    assert waited.success, waited.output[-2000:]


def test_rows_appended_twice_with_their_old_loaded_at_say_which_full_refresh_fixes_it(scratch_warehouse, gated):
    db, project = scratch_warehouse, gated[1]
    with duckdb.connect(str(db)) as con:  # a re-sent batch: the same rows, the same (old) _loaded_at
        con.execute("insert into raw_web.events select * from raw_web.events order by event_id limit 50")
    select = ["--select", "base_web__events", "stg_web__events", "audit_source_reconciliation"]
    run = dbt(db, "build", *select, project_dir=project, check=False)
    assert not run.success
    assert re.search(
        r"raw_web\.events: \d+ raw rows, but \d+ staged, rejected or duplicate\. Rows were loaded with a _loaded_at "
        r"older than the incremental lookback .*Fix: dbt build --full-refresh --select base_web__events\+",
        run.output), run.output[-3000:]
    fixed = dbt(db, "build", "--full-refresh", *select, project_dir=project, check=False)
    assert fixed.success, fixed.output[-3000:]
    duplicates = query(db, "select duplicate_rows from marts.audit_source_reconciliation "
                           "where source_table = 'raw_web.events'")[0][0]
    assert duplicates >= 50  # the re-sent copies are now counted as duplicates


SCORING_MARTS = ["marts.fct_lead_score_contributions", "marts.fct_lead_scores", "marts.fct_lead_score_history",
                 "marts.dim_leads", "marts.fct_lead_funnel", "marts.rpt_lead_kpis_monthly"]


def test_a_second_identical_build_is_bit_for_bit_the_same(built_warehouse, scratch_warehouse, gated):
    dbt(scratch_warehouse, "run", "--select", "int_lead_rule_hits+", "--exclude", "tag:evaluation",
        project_dir=gated[1])
    first = fingerprint(built_warehouse, ["marts"])
    second = fingerprint(scratch_warehouse, ["marts"])
    assert {t: second[t] for t in SCORING_MARTS} == {t: first[t] for t in SCORING_MARTS}


def test_lead_id_is_a_keyed_hash_and_an_unset_key_is_warned_about(scratch_warehouse, gated, monkeypatch):
    db, project = scratch_warehouse, gated[1]
    unkeyed = dbt(db, "run", "--select", "int_crm_lead_records", project_dir=project)
    assert "WARNING: LEADSCORE_ID_KEY is not set" in unkeyed.output
    monkeypatch.setenv("LEADSCORE_ID_KEY", "k3y-for-the-test")
    keyed = dbt(db, "run", "--select", "int_crm_lead_records", project_dir=project)
    assert "LEADSCORE_ID_KEY is not set" not in keyed.output
    rows = query(db, "select count(*), count(*) filter (where lead_id = md5('k3y-for-the-test' || email)), "
                     "count(*) filter (where lead_id = md5(email)) from intermediate.int_crm_lead_records")[0]
    assert rows[0] > 0 and rows[1] == rows[0] and rows[2] == 0  # an email list alone gives no lead_id


def test_dbt_works_in_utc_whatever_the_machines_zone(gated, monkeypatch):
    db, project = gated
    monkeypatch.setenv("TZ", "America/New_York")  # DuckDB would take its session zone from here
    run = dbt(db, "show", "--inline", "select current_setting('TimeZone') as tz", "--output", "json",
              project_dir=project)
    assert re.search(r'"tz":\s*"UTC"', run.output), run.output[-2000:]


def test_every_mart_waits_for_the_gate_and_the_gate_for_every_seed(gated):
    """The gate (int_build_inputs_checked) lists the seeds it reads: a seed added later must be listed."""
    import json

    from conftest import _TARGETS

    db, project = gated
    dbt(db, "parse", project_dir=project)
    nodes = json.loads((_TARGETS[project] / "manifest.json").read_text())["nodes"]
    gate = "model.leadscore.int_build_inputs_checked"
    seeds = {uid for uid, node in nodes.items() if node["resource_type"] == "seed"}
    assert seeds and seeds <= set(nodes[gate]["depends_on"]["nodes"]), "seeds the gate does not read"
    marts = [uid for uid, node in nodes.items() if node["resource_type"] == "model" and node["fqn"][1] == "marts"]
    assert marts and all(gate in nodes[uid]["depends_on"]["nodes"] for uid in marts)
