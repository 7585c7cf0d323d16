"""Which warehouse file the dashboard reads, and the notice it shows when it cannot read one.

The pages never keep the warehouse's lock: a DuckDB file takes one writer or many read-only readers,
so a reader left open would stop the next `dbt build`. They read a snapshot copy instead, taken (under
a short read-only open, so the copy is consistent) whenever the warehouse file has changed. While a
build holds the write lock, the pages go on reading the last snapshot and say so, with the time of its
data; with no snapshot yet they say the warehouse is busy. Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from leadscore import warehouse

SNAPSHOT_DIR_ENV = "LEADSCORE_DASHBOARD_SNAPSHOT_DIR"
# The table whose presence says the warehouse has been built, and whose as_of_date dates the data.
SCORES_TABLE = "marts.fct_lead_scores"


class Unavailable(Exception):
    """The warehouse cannot be shown; the message is the notice for the reader."""


@dataclass(frozen=True)
class Source:
    """The file the pages read and what the reader is told about it."""

    path: Path  # the snapshot the queries read
    warehouse: Path  # the warehouse it is a copy of
    written_at: dt.datetime  # when the warehouse file was written (UTC): the time of the data shown
    is_stale: bool  # a build is writing the warehouse now: the data is the last snapshot's

    @property
    def key(self) -> str:
        """Changes whenever the data changes (a cache key)."""
        return str(self.path)


def snapshot_dir(path: Path) -> Path:
    default = path.parent / ".dashboard-snapshots" / path.stem
    return Path(os.environ.get(SNAPSHOT_DIR_ENV, default))


def _written_ns(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return max(p.stat().st_mtime_ns for p in (path, wal) if p.exists())


def _utc(ns: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ns / 1e9, tz=dt.timezone.utc)


def _latest_snapshot(directory: Path) -> Path | None:
    snaps = sorted(directory.glob("*.duckdb"), key=lambda p: int(p.stem)) if directory.exists() else []
    return snaps[-1] if snaps else None


def is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _check_built(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    schema, table = SCORES_TABLE.split(".")
    (tables,), = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                             "and table_name = ?", [schema, table]).fetchall()
    if not tables:
        raise Unavailable(f"The warehouse {path} has no marts yet: run `make demo`, or `dbt build` "
                          "after loading your data (`leadscore load`).")
    (rows,), = con.execute(f"select count(*) from {SCORES_TABLE}").fetchall()
    if not rows:
        raise Unavailable(f"The warehouse {path} is built but holds no scored leads: load data "
                          "(`leadscore generate` or `leadscore load`) and run `dbt build`.")


def _take_snapshot(path: Path, directory: Path, written_ns: int) -> Path:
    """Copy the warehouse (caller holds a read-only connection, so no writer is in it) atomically
    under a name that says when it was written; older snapshots are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{written_ns}.duckdb"
    if not target.exists():
        partial = directory / f".{written_ns}.{os.getpid()}.partial"
        shutil.copyfile(path, partial)
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + ".wal"))
        os.replace(partial, target)
    for old in directory.glob("*.duckdb"):
        if old != target:
            old.unlink(missing_ok=True)
            old.with_name(old.name + ".wal").unlink(missing_ok=True)
    return target


def resolve(path: Path | None = None) -> Source:
    """The snapshot to read, refreshed if the warehouse changed; raise Unavailable with the notice."""
    path = path or warehouse.duckdb_path()
    if not path.exists():
        raise Unavailable(f"No warehouse at {path}: run `make demo` first (or set LEADSCORE_DUCKDB_PATH "
                          "to your warehouse file).")
    directory = snapshot_dir(path)
    latest = _latest_snapshot(directory)
    written = _written_ns(path)
    if latest is not None and int(latest.stem) == written:  # unchanged: no need to touch its lock
        return Source(latest, path, _utc(written), is_stale=False)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise Unavailable(f"Cannot open the warehouse {path}: {exc}") from exc
        if latest is None:
            raise Unavailable("The warehouse is busy: a build is writing it, and the dashboard has no "
                              "earlier copy to show. Reload this page when the build has finished.") from exc
        return Source(latest, path, _utc(int(latest.stem)), is_stale=True)
    with con:
        _check_built(con, path)
        written = _written_ns(path)  # again, under the lock: the copy holds exactly this version
        snap = _take_snapshot(path, directory, written)
    return Source(snap, path, _utc(written), is_stale=False)


def query(snapshot: Path, sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run one read-only query on a snapshot."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def has_rows(source: Source, relation: str) -> bool:
    """True when the relation (schema.table) exists and holds at least one row."""
    schema, table = relation.split(".")
    with duckdb.connect(str(source.path), read_only=True) as con:
        (n,), = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                            "and table_name = ?", [schema, table]).fetchall()
        return bool(n) and bool(con.execute(f"select 1 from {relation} limit 1").fetchall())
