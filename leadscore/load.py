"""`leadscore load DIR`: bring your own CSV/Parquet exports into the raw schemas.

One file per raw table, named `<schema>.<table>.csv` or `<schema>.<table>.parquet`
(e.g. `raw_crm.leads.csv`). Every file is checked against the contract in
`leadscore.schema` first; only when all files pass is anything written, and then all
tables are written in one transaction. A refused file is named with the column (and,
for a bad value, the row and the value) that made it fail.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from leadscore import schema, warehouse

SUFFIXES = (".csv", ".parquet")
DOCS_PATH = warehouse.PROJECT_ROOT / "docs" / "raw_tables.md"


class LoadRefused(Exception):
    """A file does not fit the raw-table contract; nothing was loaded."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    table: schema.RawTable

    @property
    def reader_sql(self) -> str:
        quoted = str(self.path).replace("'", "''")
        if self.path.suffix == ".parquet":
            return f"read_parquet('{quoted}')"
        return f"read_csv('{quoted}', all_varchar = true, header = true, nullstr = '')"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="Folder with one <schema>.<table>.csv|parquet per raw table.")
    parser.add_argument(
        "--mode",
        choices=("replace", "append"),
        default="replace",
        help="replace (default): the table holds exactly the file; append: rows are added.",
    )


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_directory(args.directory, mode=args.mode)
    except LoadRefused as refusal:
        print(f"load refused, nothing was loaded: {refusal}", file=sys.stderr)
        return 2
    for name, rows in loaded.items():
        print(f"loaded {name}: {rows} rows ({args.mode})")
    untouched = [t.qualified_name for t in schema.RAW_TABLES if t.qualified_name not in loaded]
    if untouched:
        print(f"left as they were: {', '.join(untouched)}")
    return 0


def find_files(directory: Path) -> list[SourceFile]:
    """Match every file in `directory` to its raw table; refuse unknown names and doubles."""
    if not directory.is_dir():
        raise LoadRefused(f"{directory} is not a directory")
    known = {t.file_stem: t for t in schema.RAW_TABLES}
    files: list[SourceFile] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix not in SUFFIXES:
            raise LoadRefused(f"{path.name}: not a .csv or .parquet file")
        table = known.get(path.stem)
        if table is None:
            raise LoadRefused(
                f"{path.name}: no raw table named {path.stem!r} (expected one of: {', '.join(sorted(known))})"
            )
        if path.stem in seen:
            raise LoadRefused(f"{path.name}: {seen[path.stem].name} already holds {path.stem}")
        seen[path.stem] = path
        files.append(SourceFile(path, table))
    if not files:
        raise LoadRefused(f"{directory}: no raw table files found")
    return files


def _file_columns(con: duckdb.DuckDBPyConnection, source: SourceFile) -> list[str]:
    try:
        return [row[0] for row in con.execute(f"describe select * from {source.reader_sql}").fetchall()]
    except duckdb.Error as exc:
        raise LoadRefused(f"{source.path.name}: cannot be read ({exc})") from exc


def check_file(con: duckdb.DuckDBPyConnection, source: SourceFile) -> None:
    """Refuse the file if a required column is missing, a column is unknown, or a value does not cast."""
    columns = _file_columns(con, source)
    expected = {c.name: c for c in source.table.columns}
    for name in columns:
        if name not in expected:
            raise LoadRefused(f"{source.path.name}: column {name!r} is not part of {source.table.qualified_name}")
    for column in source.table.columns:
        if column.name == "_loaded_at":
            continue  # the loader's own column: filled with the load time when absent
        if column.required and column.name not in columns:
            raise LoadRefused(f"{source.path.name}: required column {column.name!r} is missing")
    for name in columns:
        column = expected[name]
        bad = con.execute(
            f"""
            select row_number, value from (
                select row_number() over () as row_number,
                       cast("{name}" as varchar) as value,
                       try_cast("{name}" as {column.type}) as typed
                from {source.reader_sql}
            )
            where value is not null and typed is null
            order by row_number
            limit 1
            """
        ).fetchone()
        if bad is not None:
            raise LoadRefused(
                f"{source.path.name}: column {name!r} expects {column.type}, "
                f"row {bad[0]} has {bad[1]!r}"
            )


def _select_sql(source: SourceFile, columns: list[str]) -> str:
    parts = []
    for column in source.table.columns:
        if column.name in columns:
            parts.append(f'cast("{column.name}" as {column.type}) as "{column.name}"')
        elif column.name == "_loaded_at":
            parts.append('cast(now() as timestamp) as "_loaded_at"')
        else:
            parts.append(f'cast(null as {column.type}) as "{column.name}"')
    return f"select {', '.join(parts)} from {source.reader_sql}"


def load_directory(directory: Path, mode: str = "replace", path: Path | None = None) -> dict[str, int]:
    """Check every file, then load all of them in one transaction. Returns rows loaded per table."""
    files = find_files(directory)
    with warehouse.connect(path) as con:
        for source in files:
            check_file(con, source)
        loaded: dict[str, int] = {}
        con.execute("begin transaction")
        try:
            _create_missing_tables(con)
            for source in files:
                target = source.table.qualified_name
                if mode == "replace":
                    con.execute(f"delete from {target}")
                select = _select_sql(source, _file_columns(con, source))
                con.execute(f"insert into {target} {select}")
                loaded[target] = con.execute(f"select count(*) from ({select})").fetchone()[0]
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return loaded


def _create_missing_tables(con: duckdb.DuckDBPyConnection) -> None:
    existing = {
        f"{s}.{t}"
        for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    }
    for raw_schema in schema.RAW_SCHEMAS:
        con.execute(f"create schema if not exists {raw_schema}")
    for table in schema.RAW_TABLES:
        if table.qualified_name not in existing:
            con.execute(table.create_sql())


README_MARKERS = ("<!-- raw-tables:start -->", "<!-- raw-tables:end -->")


def render_readme_raw_tables() -> str:
    """The README's list of raw tables and their columns, between README_MARKERS (a test keeps it in step)."""
    lines = [README_MARKERS[0], "", "| file (`.csv` or `.parquet`) | required columns | optional columns |", "|---|---|---|"]
    for table in schema.RAW_TABLES:
        columns = [c for c in table.columns if c.name != schema.LOADED_AT.name]  # filled in when absent
        required = ", ".join(c.name for c in columns if c.required)
        optional = ", ".join(c.name for c in columns if not c.required) or "—"
        lines.append(f"| `{table.file_stem}` | {required} | {optional} |")
    lines += ["", README_MARKERS[1]]
    return "\n".join(lines)


def render_raw_tables_doc() -> str:
    """The text of docs/raw_tables.md, rendered from the contract (a test keeps the file in step)."""
    lines = [
        "# Raw tables: names, files and columns",
        "",
        "<!-- Rendered from leadscore/schema.py by leadscore.load.render_raw_tables_doc(); do not edit by hand. -->",
        "",
        "## Bringing your own exports",
        "",
        "`leadscore load DIR` loads one file per raw table from DIR, named `<schema>.<table>.csv` or",
        "`<schema>.<table>.parquet` (for example `raw_crm.leads.csv`). Bring only the tables you have: the",
        "others are left as they are. CSV files have a header row; empty fields are NULL.",
        "",
        "- `--mode replace` (default) makes each table hold exactly its file; `--mode append` adds the rows.",
        "- Required columns must be present (they may hold empty values: staging sets such rows aside with",
        "  a reason). Optional columns may be left out and are NULL. `_loaded_at` is filled with the load time",
        "  when the file does not have it.",
        "- A file with an unknown name, an unknown column, a missing required column or a value that does not",
        "  fit the column's type is refused with a message naming the file, the column and, for a bad value, its",
        "  row and value. Every file is checked before anything is written, and all tables are written in one",
        "  transaction: a refused load changes nothing.",
        "",
    ]
    for table in schema.RAW_TABLES:
        lines += [
            f"## `{table.qualified_name}` — file `{table.file_stem}.csv` or `.parquet`",
            "",
            table.description,
            "",
            "| column | type | required | description |",
            "|---|---|---|---|",
        ]
        for column in table.columns:
            required = "yes" if column.required else "no"
            lines.append(f"| `{column.name}` | {column.type} | {required} | {column.description} |")
        lines.append("")
    return "\n".join(lines)
