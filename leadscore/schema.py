"""The raw side of the warehouse: one schema per source system, one table per export.

The raw contract is written once, in the dbt source declarations
(models/staging/<source>/_<source>__sources.yml: table and column names, types,
descriptions, `meta: {required: false}` for optional columns), plus the CRM lead's
custom fields, declared as rows of seeds/crm_custom_fields.csv. This module reads
both, so the generator writes, the loader checks and dbt reads the same columns.
Schema and table names are the defaults of the sources' vars (`crm_schema`,
`crm_leads_identifier`, ...), where this project lands its tables. Every table carries
`_loaded_at`, the time the loader landed the row (as a Fivetran/Airbyte-style sync
column); dbt source freshness is checked on it.

Types are DuckDB type names. `required` columns must be present in a loaded file
(they may still hold NULLs: a NULL key is caught and set aside by staging, not by
the loader, so that nothing is lost).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = True
    # DuckDB storage: ZSTD for the text that is unique on every row of the big event tables (ids,
    # time stamps as text). Dictionary/FSST, DuckDB's default choice, gains little on such text and
    # costs the most to write: ZSTD writes these columns twice as fast and three times smaller.
    compression: str | None = None


@dataclass(frozen=True)
class RawTable:
    schema: str
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def file_stem(self) -> str:
        """File name (without extension) the loader expects, e.g. `raw_crm.leads`."""
        return self.qualified_name

    def create_sql(self) -> str:
        cols = ",\n    ".join(
            f'"{c.name}" {c.type}' + (f" using compression {c.compression}" if c.compression else "")
            for c in self.columns
        )
        return f"create table {self.qualified_name} (\n    {cols}\n)"


def _c(name: str, type_: str, description: str, required: bool = True, compression: str | None = None) -> Column:
    return Column(name, type_, description, required, compression)


LOADED_AT = _c("_loaded_at", "TIMESTAMP", "When the loader landed this row (UTC).")

# The CRM lead's custom fields are declared once, as rows of this seed (field_name, value_type,
# description); dbt reads the same file (macro crm_custom_fields), so a row there is the only edit.
PROJECT_DIR = Path(__file__).resolve().parent.parent
CUSTOM_FIELDS_SEED = PROJECT_DIR / "seeds" / "crm_custom_fields.csv"
CUSTOM_FIELD_TYPES = {"numeric": "DOUBLE", "categorical": "VARCHAR", "boolean": "BOOLEAN"}
_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class BadCustomField(ValueError):
    """A row of seeds/crm_custom_fields.csv that cannot be a raw column."""


def custom_fields(seed_path: Path = CUSTOM_FIELDS_SEED) -> tuple[Column, ...]:
    """The custom columns of raw_crm.leads, one per seed row: optional, typed by value_type."""
    columns = []
    with open(seed_path, newline="", encoding="utf-8") as seed:
        for line, row in enumerate(csv.DictReader(seed), start=2):
            name = (row.get("field_name") or "").strip().lower()
            value_type = (row.get("value_type") or "").strip().lower()
            if not _PLAIN_NAME.match(name):
                raise BadCustomField(f"{seed_path.name} line {line}: field_name {name!r} is not a plain column name")
            if value_type not in CUSTOM_FIELD_TYPES:
                raise BadCustomField(f"{seed_path.name} line {line}: value_type of {name!r} must be one of "
                                     f"{', '.join(CUSTOM_FIELD_TYPES)}, got {value_type!r}")
            description = (row.get("description") or "").strip() or f"CRM custom field {name}."
            columns.append(_c(name, CUSTOM_FIELD_TYPES[value_type], f"Custom field ({value_type}): {description}",
                              False))
    return tuple(columns)


CUSTOM_FIELDS = custom_fields()

# The source systems, in the order the generator writes them; each declares its tables in this YAML file.
SOURCES = ("crm", "web", "email", "social", "forms", "surveys")
SOURCES_YAML = "models/staging/{name}/_{name}__sources.yml"
# The default of a `{{ var('crm_schema', 'raw_crm') }}` property: the name this project lands tables under.
_VAR_DEFAULT = re.compile(r"""^\{\{\s*var\(\s*'(\w+)'\s*,\s*'(\w+)'\s*\)\s*\}\}$""")


def _default_name(value: str) -> str:
    """A source's schema or a table's identifier as this project lands it: the var's default."""
    match = _VAR_DEFAULT.match(str(value).strip())
    return match.group(2) if match else str(value)


def _raw_table(raw_schema: str, entry: dict, custom: tuple[Column, ...]) -> RawTable:
    columns = []
    for column in entry["columns"]:
        meta = column.get("meta") or {}
        columns.append(_c(column["name"], column["data_type"].upper(), column["description"],
                          bool(meta.get("required", True)), meta.get("compression")))
    if (raw_schema, entry["name"]) == ("raw_crm", "leads"):  # the custom fields go just before _loaded_at
        columns[-1:-1] = custom
    return RawTable(raw_schema, _default_name(entry.get("identifier", entry["name"])),
                    " ".join(entry["description"].split()), tuple(columns))


def load_raw_tables(project_dir: Path = PROJECT_DIR) -> tuple[RawTable, ...]:
    """The raw tables declared in the dbt sources YAML of `project_dir` (the one place they are written:
    names, column names, types, descriptions; `meta: {required: false}` for optional columns), plus
    the custom fields of its seeds/crm_custom_fields.csv in raw_crm.leads."""
    custom = custom_fields(project_dir / "seeds" / "crm_custom_fields.csv")
    tables = []
    for name in SOURCES:
        for source in yaml.safe_load((project_dir / SOURCES_YAML.format(name=name)).read_text())["sources"]:
            raw_schema = _default_name(source["schema"])
            tables.extend(_raw_table(raw_schema, entry, custom) for entry in source["tables"])
    return tuple(tables)


RAW_TABLES: tuple[RawTable, ...] = load_raw_tables()
RAW_SCHEMAS: tuple[str, ...] = tuple(dict.fromkeys(t.schema for t in RAW_TABLES))
TRUTH_SCHEMA = "generator_truth"


def table(qualified_name: str) -> RawTable:
    for t in RAW_TABLES:
        if t.qualified_name == qualified_name:
            return t
    raise KeyError(qualified_name)


def create_raw_tables(con: duckdb.DuckDBPyConnection, replace: bool = True) -> None:
    """Create every raw schema and (empty) raw table."""
    for schema in RAW_SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    for t in RAW_TABLES:
        if replace:
            con.execute(f"drop table if exists {t.qualified_name}")
        con.execute(t.create_sql())
