"""The loader: user exports in, refused whole when any file does not fit the contract."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from leadscore import cli, schema
from leadscore.load import (DOCS_PATH, README_MARKERS, LoadRefused, load_directory, render_raw_tables_doc,
                            render_readme_raw_tables)

from conftest import dbt, query, use_warehouse


def _users(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"005{i:015d}" for i in range(n)],
            "name": [f"Rep {i}" for i in range(n)],
            "email": [f"rep{i}@acmeanalytics.io" for i in range(n)],
            "territory": ["NA", "EMEA", "APAC"][:n],
            "is_active": [True] * n,
            "created_date": ["2026-01-01 10:00:00"] * n,
            "last_modified_date": ["2026-01-02 10:00:00"] * n,
        }
    )


def _campaigns() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "campaign_id": ["c1", "c2"],
            "name": ["Spring newsletter", "Webinar invite"],
            "campaign_type": ["newsletter", "webinar_invite"],
            "created_at": ["2026-03-01 08:00:00", "2026-04-01 08:00:00"],
            "_loaded_at": ["2026-03-01 09:00:00", "2026-04-01 09:00:00"],
        }
    )


def _count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_csv_and_parquet_round_trip(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    _users().to_csv(exports / "raw_crm.users.csv", index=False)
    _campaigns().assign(created_at=lambda d: pd.to_datetime(d.created_at)).to_parquet(
        exports / "raw_email.campaigns.parquet"
    )
    db = tmp_path / "w.duckdb"
    with use_warehouse(db):
        assert cli.main(["load", str(exports)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_schema = 'raw_crm' and table_name = 'users'").fetchall())
        assert types["is_active"] == "BOOLEAN" and types["created_date"] == "TIMESTAMP"
        row = con.execute("select count(*), count(_loaded_at), bool_and(is_active) from raw_crm.users").fetchone()
        assert row == (3, 3, True)  # _loaded_at was filled with the load time
        assert con.execute("select count(*) from raw_email.campaigns").fetchone()[0] == 2
        # tables without a file exist (empty) so that dbt sources resolve
        assert con.execute("select count(*) from raw_web.events").fetchone()[0] == 0


def test_append_mode_adds_rows(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    _users().to_csv(exports / "raw_crm.users.csv", index=False)
    db = tmp_path / "w.duckdb"
    load_directory(exports, path=db)
    load_directory(exports, mode="append", path=db)
    assert _count(db, "raw_crm.users") == 6
    load_directory(exports, mode="replace", path=db)
    assert _count(db, "raw_crm.users") == 3


def test_missing_required_column_is_refused_naming_file_and_column(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    _users().drop(columns=["territory"]).to_csv(exports / "raw_crm.users.csv", index=False)
    with use_warehouse(tmp_path / "w.duckdb"):
        assert cli.main(["load", str(exports)]) == 2
    err = capsys.readouterr().err
    assert "raw_crm.users.csv" in err and "'territory'" in err and "missing" in err


def test_wrong_type_is_refused_with_row_and_value(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    leads = pd.DataFrame({c.name: [None, None] for c in schema.table("raw_crm.leads").columns if c.required})
    leads["id"] = ["00Q1", "00Q2"]
    leads["number_of_employees"] = ["120", "abc"]
    leads.to_csv(exports / "raw_crm.leads.csv", index=False)
    with pytest.raises(LoadRefused, match=r"raw_crm\.leads\.csv: column 'number_of_employees' expects INTEGER, line 3 has 'abc'"):
        load_directory(exports, path=tmp_path / "w.duckdb")


def test_unknown_file_and_unknown_column_are_refused(tmp_path):
    unknown_file = tmp_path / "a"
    unknown_file.mkdir()
    _users().to_csv(unknown_file / "raw_crm.people.csv", index=False)
    with pytest.raises(LoadRefused, match="raw_crm.people.csv: no raw table named 'raw_crm.people'"):
        load_directory(unknown_file, path=tmp_path / "w.duckdb")
    unknown_column = tmp_path / "b"
    unknown_column.mkdir()
    _users().assign(shoe_size=42).to_csv(unknown_column / "raw_crm.users.csv", index=False)
    with pytest.raises(LoadRefused, match="raw_crm.users.csv: column 'shoe_size' is not part of raw_crm.users"):
        load_directory(unknown_column, path=tmp_path / "w.duckdb")


def test_one_bad_file_loads_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    first = tmp_path / "first"
    first.mkdir()
    _campaigns().to_csv(first / "raw_email.campaigns.csv", index=False)
    load_directory(first, path=db)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    _users().to_csv(mixed / "raw_crm.users.csv", index=False)  # good
    _campaigns().assign(created_at=["yesterday", "2026-01-01"]).to_csv(mixed / "raw_email.campaigns.csv", index=False)
    with pytest.raises(LoadRefused, match="created_at"):
        load_directory(mixed, path=db)
    assert _count(db, "raw_crm.users") == 0  # the good file was not loaded either
    assert _count(db, "raw_email.campaigns") == 2  # and the earlier load is untouched


def _mql_feedback() -> pd.DataFrame:
    """Reps' dispositions as a CRM exports them (no owner_id: optional), two of them malformed."""
    return pd.DataFrame(
        {
            "id": ["f1", "f2", "f3", "f4", "f5"],
            "lead_id": ["00Q1", "00Q2", "00Q3", None, "00Q5"],
            "disposition": ["Accepted", "Rejected", "rejected", "accepted", "maybe"],
            "rejection_reason": [None, "Bad Fit", None, None, None],
            "disposed_at": ["2026-03-01T10:00:00Z"] * 5,
            "last_modified_date": ["2026-03-01 10:00:00"] * 5,
        }
    )


def test_mql_feedback_bad_rows_load_and_are_set_aside_by_staging(tmp_path):
    """Like the other raw tables: the loader takes every row that fits the columns' types, and staging sets
    the malformed ones aside with their reason (a rejection without a reason, a missing lead, an unknown
    disposition)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    _mql_feedback().to_csv(exports / "raw_crm.mql_feedback.csv", index=False)
    db = tmp_path / "w.duckdb"
    with use_warehouse(db):
        assert cli.main(["load", str(exports)]) == 0
    assert _count(db, "raw_crm.mql_feedback") == 5
    dbt(db, "run", "--select", "base_crm__mql_feedback", "stg_crm__mql_feedback")
    rows = dict((r[0], r[1:]) for r in query(db, """select mql_feedback_id, row_status, rejection_reason,
                                                       disposition, disposition_reason
                                                   from staging.base_crm__mql_feedback"""))
    assert rows == {
        "f1": ("staged", None, "accepted", None),
        "f2": ("staged", None, "rejected", "bad_fit"),
        "f3": ("rejected", "invalid_value", "rejected", None),
        "f4": ("rejected", "missing_key", "accepted", None),
        "f5": ("rejected", "invalid_value", "maybe", None),
    }
    assert sorted(query(db, "select mql_feedback_id from staging.stg_crm__mql_feedback")) == [("f1",), ("f2",)]


def test_mql_feedback_bad_time_stamp_is_refused_with_line_and_value(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    _mql_feedback().assign(disposed_at=["2026-03-01 10:00:00", "last tuesday", None, None, None]).to_csv(
        exports / "raw_crm.mql_feedback.csv", index=False)
    with pytest.raises(LoadRefused, match=r"raw_crm\.mql_feedback\.csv: column 'disposed_at' expects TIMESTAMP, "
                                          r"line 3 has 'last tuesday'"):
        load_directory(exports, path=tmp_path / "w.duckdb")


def test_raw_tables_doc_is_rendered_from_the_contract():
    assert DOCS_PATH.read_text() == render_raw_tables_doc(), "run: python -c 'from leadscore.load import *; DOCS_PATH.write_text(render_raw_tables_doc())'"


def test_readme_lists_every_raw_file_and_its_columns():
    readme = (DOCS_PATH.parents[1] / "README.md").read_text()
    start, end = README_MARKERS
    listed = readme[readme.index(start):readme.index(end) + len(end)]
    assert listed == render_readme_raw_tables(), "README's raw-table list is out of step with leadscore/schema.py"
