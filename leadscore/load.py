"""`leadscore load DIR`: bring your own CSV/Parquet exports into the raw schemas.

One file per raw table, named `<schema>.<table>.csv` or `<schema>.<table>.parquet`
(e.g. `raw_crm.leads.csv`). CSV is read in one fixed, documented dialect (RFC 4180, UTF-8;
`leadscore.readers`), never guessed. Every file is checked against the contract in
`leadscore.schema` first; only when all files pass is anything written, and then all
tables are written in one transaction. A refused file is named with the line (CSV) or row
(Parquet), the column and the problem; nothing is loaded.

Time stamps are UTC: text with an offset (`2024-10-26T00:00:00+05:00`) is converted to UTC,
text without one is taken as UTC, Parquet TIMESTAMPTZ values are converted to UTC, and
`_loaded_at` is the load time in UTC, whatever the machine's time zone.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from leadscore import readers, schema, warehouse

SUFFIXES = (".csv", ".parquet")
DOCS_PATH = warehouse.PROJECT_ROOT / "docs" / "raw_tables.md"
CUSTOM_FIELDS_HINT = (
    "a custom CRM field is declared with one row in seeds/crm_custom_fields.csv "
    "(name, numeric | categorical | boolean, description); any other column must be renamed to one of "
    "docs/raw_tables.md or left out of the file"
)


class LoadRefused(Exception):
    """A file does not fit the raw-table contract; nothing was loaded."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    table: schema.RawTable

    @property
    def is_parquet(self) -> bool:
        return self.path.suffix == ".parquet"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="Folder with one <schema>.<table>.csv|parquet per raw table.")
    parser.add_argument(
        "--mode",
        choices=("replace", "append"),
        default="replace",
        help="replace (default): the table holds exactly the file; append: rows are added.",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="In replace mode, let a file with a header but no rows empty its table (refused otherwise).",
    )


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_directory(args.directory, mode=args.mode, allow_empty=args.allow_empty)
    except LoadRefused as refusal:
        print(f"load refused, nothing was loaded: {refusal}", file=sys.stderr)
        return 2
    except warehouse.WarehouseBusy as busy:
        print(f"load refused, nothing was loaded: {busy}", file=sys.stderr)
        return 3
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


def check_columns(source: SourceFile, columns: list[str]) -> None:
    """Refuse the file naming every unknown column and every missing required column at once."""
    expected = {c.name for c in source.table.columns}
    unknown = [name for name in columns if name not in expected]
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        noun = f"column {listed} is" if len(unknown) == 1 else f"{len(unknown)} columns, {listed}, are"
        hint = CUSTOM_FIELDS_HINT if source.table.qualified_name == "raw_crm.leads" else (
            "the columns of each table are listed in docs/raw_tables.md")
        raise LoadRefused(
            f"{source.path.name}: {noun} not part of {source.table.qualified_name}; {hint}"
        )
    missing = [c.name for c in source.table.columns
               if c.required and c.name != schema.LOADED_AT.name and c.name not in columns]
    if missing:
        noun = "column is" if len(missing) == 1 else "columns are"
        raise LoadRefused(f"{source.path.name}: required {noun} missing: {', '.join(repr(m) for m in missing)}")


def _cast_sql(expr: str, type_: str, try_: bool = False) -> str:
    """Cast to the contract's type; time stamps through TIMESTAMPTZ so that offsets are honoured and naive
    values are UTC (the session's time zone is UTC)."""
    cast = "try_cast" if try_ else "cast"
    if type_ == "TIMESTAMP":
        return f"{cast}({cast}({expr} as timestamptz) as timestamp)"
    return f"{cast}({expr} as {type_})"


def stage_file(con: duckdb.DuckDBPyConnection, source: SourceFile, index: int) -> readers.Staged:
    """Read the file into a temporary table and check its columns and every value against the contract."""
    table = f"_leadscore_load_{index}"
    reader = readers.stage_parquet if source.is_parquet else readers.stage_csv
    try:
        staged = reader(con, source.path, table, lambda columns: check_columns(source, columns))
    except readers.FileRefused as refusal:
        raise LoadRefused(f"{source.path.name}: {refusal}") from None
    except duckdb.Error as exc:
        raise LoadRefused(f"{source.path.name}: cannot be read ({exc})") from None
    expected = {c.name: c for c in source.table.columns}
    for name in staged.columns:
        column = expected[name]
        try:
            bad = con.execute(
                f"""
                select "{readers.LINE_COLUMN}", cast("{name}" as varchar) from {table}
                where "{name}" is not null and {_cast_sql(f'"{name}"', column.type, try_=True)} is null
                order by "{readers.LINE_COLUMN}"
                limit 1
                """
            ).fetchone()
        except duckdb.Error as exc:  # a Parquet type with no cast to the contract's type
            raise LoadRefused(f"{source.path.name}: column {name!r} cannot become {column.type} ({exc})") from None
        if bad is not None:
            raise LoadRefused(
                f"{source.path.name}: column {name!r} expects {column.type}, "
                f"{staged.unit} {bad[0]} has {bad[1]!r}"
            )
    return staged


def _select_sql(source: SourceFile, staged: readers.Staged) -> str:
    parts = []
    for column in source.table.columns:
        if column.name in staged.columns:
            parts.append(f'{_cast_sql(chr(34) + column.name + chr(34), column.type)} as "{column.name}"')
        elif column.name == schema.LOADED_AT.name:
            parts.append('cast(now() as timestamp) as "_loaded_at"')  # UTC: the session's time zone
        else:
            parts.append(f'cast(null as {column.type}) as "{column.name}"')
    return f"select {', '.join(parts)} from {staged.table}"


def load_directory(directory: Path, mode: str = "replace", path: Path | None = None,
                   allow_empty: bool = False) -> dict[str, int]:
    """Check every file, then load all of them in one transaction. Returns rows loaded per table."""
    files = find_files(directory)
    with warehouse.connect(path) as con:
        staged = [stage_file(con, source, i) for i, source in enumerate(files)]
        for source, stage in zip(files, staged):
            if stage.rows == 0 and mode == "replace" and not allow_empty:
                raise LoadRefused(
                    f"{source.path.name}: the file has no rows; replacing would empty "
                    f"{source.table.qualified_name}. Pass --allow-empty to empty it on purpose"
                )
        loaded: dict[str, int] = {}
        con.execute("begin transaction")
        try:
            _create_missing_tables(con)
            for source, stage in zip(files, staged):
                target = source.table.qualified_name
                if mode == "replace":
                    con.execute(f"delete from {target}")
                con.execute(f"insert into {target} {_select_sql(source, stage)}")
                loaded[target] = stage.rows
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
        "CSV is read in one fixed dialect, never guessed: RFC 4180 (comma-separated; a value holding a comma,",
        "a double quote or a line break in double quotes, a double quote inside it written twice), UTF-8 with",
        "or without a byte-order mark, lines ending in CRLF or LF, blank lines skipped. Time stamps are UTC: text",
        "with an offset (`2024-10-26T00:00:00+05:00`) is converted to UTC, text without one is taken as UTC, and",
        "Parquet TIMESTAMPTZ values are converted to UTC. Nested Parquet types (lists, structs, maps) are refused.",
        "",
        "- `--mode replace` (default) makes each table hold exactly its file; `--mode append` adds the rows.",
        "  A file with a header but no rows is refused in replace mode unless `--allow-empty` is given.",
        "- Required columns must be present (they may hold empty values: staging sets such rows aside with",
        "  a reason). Optional columns may be left out and are NULL. `_loaded_at` is filled with the load time",
        "  when the file does not have it.",
        "- A file with an unknown name, unknown columns (all are listed), a missing required column, a value that",
        "  does not fit the column's type or a line the dialect cannot read is refused with a message naming the",
        "  file, the column and, for a bad value, its line (as an editor shows it; Parquet: its row) and value.",
        "  Every file is checked before anything is written, and all tables are written in one transaction: a",
        "  refused load changes nothing.",
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
