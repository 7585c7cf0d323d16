"""The raw tables a benchmark reads: what is there, how many rows, the newest load, and the floor query
that reads every column once; warehouse files copied and removed."""

from __future__ import annotations

import shutil
from pathlib import Path

from leadscore import schema
from leadscore.bench.measure import StepFailed

# Raw tables whose rows are activity ("events"); the rest (CRM objects, campaigns) are entities.
EVENT_TABLES = (
    "raw_web.events",
    "raw_web.identifies",
    "raw_email.email_events",
    "raw_social.engagements",
    "raw_forms.submissions",
    "raw_surveys.responses",
)


def copy_db(src: Path, dst: Path) -> None:
    """Copy a warehouse file with its write-ahead log, if any."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


def remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _connect_ro(path: Path):
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def raw_tables_in(con) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(schema, table, [(column, type)]) of every raw table present, in contract order first."""
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema like 'raw\\_%' escape '\\' order by table_schema, table_name, ordinal_position"
    ).fetchall()
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for s, t, c, ty in rows:
        found.setdefault((s, t), []).append((c, ty))
    order = [(t.schema, t.name) for t in schema.RAW_TABLES]
    keys = [k for k in order if k in found] + sorted(k for k in found if k not in order)
    return [(s, t, found[(s, t)]) for s, t in keys]


def raw_counts(db: Path) -> dict[str, int]:
    with _connect_ro(db) as con:
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
                for s, t, _ in raw_tables_in(con)}


def data_date(db: Path) -> str:
    """The day of the newest load (max _loaded_at over the raw tables): the natural as-of date."""
    with _connect_ro(db) as con:
        parts = [f'select max(_loaded_at) as m from "{s}"."{t}"' for s, t, cols in raw_tables_in(con)
                 if any(c == "_loaded_at" for c, _ in cols)]
        value = con.execute(f"select cast(max(m) as date) from ({' union all '.join(parts)})").fetchone()[0]
    if value is None:
        raise StepFailed("raw tables hold no _loaded_at: nothing was generated")
    return value.isoformat()


def _floor_expr(col: str, type_: str) -> str:
    q = '"' + col.replace('"', '""') + '"'
    t = type_.upper()
    if t in ("VARCHAR", "TEXT", "STRING") or t.startswith("VARCHAR"):
        return f"sum(length({q}))"
    if t == "BOOLEAN":
        return f"count_if({q})"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL") \
            or t.startswith("DECIMAL") or t.startswith("U"):
        return f"sum({q})"
    # Timestamps, dates, anything else: hash every value (unlike min/max, no shortcut from statistics).
    return f"sum(hash({q}))"


def floor_sql(db: Path) -> str:
    """One query reading every column of every raw table exactly once (one aggregate per column)."""
    with _connect_ro(db) as con:
        tables = raw_tables_in(con)
    parts = []
    for i, (s, t, cols) in enumerate(tables):
        aggs = ", ".join([f"count(*) as n{i}"]
                         + [f"{_floor_expr(c, ty)} as c{i}_{j}" for j, (c, ty) in enumerate(cols)])
        parts.append(f'(select {aggs} from "{s}"."{t}") as t{i}')
    return "select * from " + " cross join ".join(parts)
