"""Reading a user's CSV or Parquet file into a staging table, with every problem named precisely.

CSV is read in one fixed dialect, never guessed from a sample (RFC 4180): fields separated by commas,
a field that holds a comma, a double quote or a line break is enclosed in double quotes, and a double
quote inside it is written twice (`""`); lines end in CRLF or LF; the text is UTF-8, with or without a
byte-order mark; the first line is the header. Empty fields (quoted or not) are NULL; blank lines are
skipped. Problems are reported with the line number an editor shows (the header is line 1; a record
with quoted line breaks is named by the line it starts on).

Parquet files are read with their own types; nested types (LIST, STRUCT, MAP, ...) are refused, since
every raw column holds one value per row. Rows are counted from 1 (Parquet has no lines).

A file is staged into a temporary table of text (CSV) or its own types (Parquet) plus `_line`, the
line or row each record came from, so that a value that does not fit its column can be named by line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

MAX_FIELD_CHARS = 10 * 1024 * 1024  # the loader's limit for one value (10 MB of text)
BATCH_ROWS = 50_000
BOM = b"\xef\xbb\xbf"
LINE_COLUMN = "_line"


class FileRefused(Exception):
    """The file cannot be read as the loader's documented format; the message says where and why."""


@dataclass
class Staged:
    """A file staged in a temporary table: its columns (as in the file), rows, and how rows are named."""
    table: str
    columns: list[str]
    rows: int
    unit: str  # "line" (CSV) or "row" (Parquet)


def _decoded_lines(path: Path) -> Iterator[str]:
    """The file's physical lines as text (line endings kept, as csv.reader wants); refuses bad UTF-8."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if b"\x00" in raw:
                raise FileRefused(f"line {number} holds a NUL byte (0x00): the file is not CSV text")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"line {number} is not UTF-8 (byte 0x{raw[exc.start]:02x}, byte {exc.start + 1} of the line); "
                    "save the file as UTF-8"
                ) from None


def csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, fields) for every record, the header first, in the fixed dialect."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(_decoded_lines(path), delimiter=",", quotechar='"', doublequote=True,
                        escapechar=None, strict=True, skipinitialspace=False)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRefused(_csv_problem(start, str(exc))) from None
        if fields:  # a blank line holds no record
            yield start, fields
        start = reader.line_num + 1


def _csv_problem(line: int, message: str) -> str:
    if "field larger than field limit" in message:
        return (f"line {line}: a value is longer than {MAX_FIELD_CHARS // (1024 * 1024)} MB, the loader's limit "
                "for one field; shorten or drop that value")
    if "unexpected end of data" in message or "EOF" in message:
        return f"line {line}: a quoted field is never closed (a double quote is missing before the end of the file)"
    if "expected after" in message:
        return (f"line {line}: text follows a closing double quote ({message}); a double quote inside a quoted "
                'field is written twice ("")')
    if "new-line character seen in unquoted field" in message:
        return f"line {line}: a bare carriage return (CR) ends a line; lines must end in LF or CRLF"
    return f"line {line}: {message}"


def _csv_header(fields: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for position, name in enumerate(fields, start=1):
        if not name.strip():
            raise FileRefused(f"line 1 (the header): field {position} has no column name")
        if name in seen:
            raise FileRefused(
                f"line 1 (the header): column {name!r} appears twice (fields {seen[name]} and {position})"
            )
        seen[name] = position
    return fields


def _batch_table(columns: list[str], lines: list[int], rows: list[list[str]]) -> pa.Table:
    arrays = [pa.array(lines, type=pa.int64())]
    for values in zip(*rows):
        arrays.append(pa.array([v if v != "" else None for v in values], type=pa.string()))
    return pa.Table.from_arrays(arrays, names=[LINE_COLUMN, *columns])


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, header_check) -> Staged:
    """Stage a CSV file (all text) into temporary `table`; `header_check(columns)` may refuse the header
    before any row is read."""
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        raise FileRefused("the file is empty: there is no header row")
    columns = _csv_header(first[1])
    header_check(columns)
    column_sql = ", ".join(f'"{c}" varchar' for c in columns)
    con.execute(f'create or replace temp table {table} ("{LINE_COLUMN}" bigint, {column_sql})')
    count, lines, rows = 0, [], []
    for line, fields in records:
        if len(fields) != len(columns):
            raise FileRefused(
                f"line {line} has {len(fields)} fields, the header has {len(columns)} "
                "(a value holding a comma must be in double quotes)"
            )
        lines.append(line)
        rows.append(fields)
        if len(rows) == BATCH_ROWS:
            count += _insert_batch(con, table, columns, lines, rows)
            lines, rows = [], []
    if rows:
        count += _insert_batch(con, table, columns, lines, rows)
    return Staged(table, columns, count, "line")


def _insert_batch(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], lines: list[int],
                  rows: list[list[str]]) -> int:
    batch = _batch_table(columns, lines, rows)  # noqa: F841 (read by DuckDB's replacement scan)
    con.execute(f"insert into {table} select * from batch")
    return len(rows)


def _is_nested(arrow_type: pa.DataType) -> bool:
    return pa.types.is_nested(arrow_type) or (
        pa.types.is_dictionary(arrow_type) and pa.types.is_nested(arrow_type.value_type)
    )


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str, header_check) -> Staged:
    """Stage a Parquet file (its own types) into temporary `table`; nested columns are refused."""
    try:
        arrow_schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise FileRefused(f"not a readable Parquet file ({exc})") from None
    columns = list(arrow_schema.names)
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise FileRefused(f"column {name!r} appears twice")
        seen.add(name)
    header_check(columns)
    for field in arrow_schema:
        if _is_nested(field.type):
            raise FileRefused(
                f"column {field.name!r} holds a nested Parquet type ({field.type}); raw columns hold one "
                "plain value per row (text, number, boolean or time stamp)"
            )
    quoted = str(path).replace("'", "''")
    selected = ", ".join(f'"{c}"' for c in columns)
    try:
        con.execute(
            f'create or replace temp table {table} as select file_row_number + 1 as "{LINE_COLUMN}", {selected} '
            f"from read_parquet('{quoted}', file_row_number = true)"
        )
    except duckdb.Error as exc:
        raise FileRefused(f"cannot be read ({exc})") from None
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]
    return Staged(table, columns, rows, "row")
