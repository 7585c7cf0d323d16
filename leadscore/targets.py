"""The CLI against the active dbt target ($DBT_TARGET: duckdb, postgres or spark).

`generate` and `load` always write the raw tables into the DuckDB landing file (`warehouse.duckdb_path()`,
where the generator keeps the state `--append-day` continues from and the loader checks files); on another
target `publish_raw` then copies every raw table (and the generator's truth) there, replacing it:
PostgreSQL through COPY, Spark through its in-process session (`saveAsTable` of parquet tables in the
profile's warehouse directory). `summary` and `suggest-weights` read the marts through `connect_marts`.
Connection settings come from the dbt profile (profiles/profiles.yml, which reads environment variables),
so the CLI and dbt always talk to the same database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import duckdb

from leadscore import warehouse

TARGET_ENV = "DBT_TARGET"
DEFAULT_TARGET = "duckdb"
PROFILE_NAME = "leadscore"
# DuckDB type (as `describe` reports it) -> column type on each other engine.
TYPE_MAP: dict[str, dict[str, str]] = {
    "postgres": {"VARCHAR": "text", "DOUBLE": "double precision", "INTEGER": "integer", "BIGINT": "bigint",
                 "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"},
    "spark": {"VARCHAR": "string", "DOUBLE": "double", "INTEGER": "int", "BIGINT": "bigint",
              "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"},
}


class MissingRelation(duckdb.CatalogException):
    """A mart the command reads does not exist on the target (dbt has not built it yet). A CatalogException,
    so the commands' handling of a missing DuckDB table covers every target."""


def active() -> str:
    """The dbt target the CLI works against: $DBT_TARGET, the profile's default (duckdb) when unset."""
    return os.environ.get(TARGET_ENV, DEFAULT_TARGET)


def profile_output(target: str | None = None) -> dict:
    """The rendered profile output of `target` (environment variables resolved as dbt resolves them)."""
    import yaml
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    set_invocation_context(os.environ)  # what dbt's env_var() reads
    raw = yaml.safe_load((warehouse.PROFILES_DIR / "profiles.yml").read_text())[PROFILE_NAME]
    rendered = ProfileRenderer({}).render_data(raw)
    name = target or active()
    if name not in rendered["outputs"]:
        raise ValueError(f"no output {name!r} in profiles/profiles.yml (DBT_TARGET)")
    return rendered["outputs"][name]


def is_duckdb() -> bool:
    return engine() == DEFAULT_TARGET


def engine(target: str | None = None) -> str:
    """The adapter type of a target: duckdb, postgres or spark."""
    name = target or active()
    return DEFAULT_TARGET if name == DEFAULT_TARGET else profile_output(name)["type"]


# ------------------------------------------------------------------------------------------------ raw tables


def landing_tables(con) -> list[tuple[str, str]]:
    """(schema, table) of every raw and generator-truth table in the DuckDB landing file."""
    from leadscore import schema

    wanted = set(schema.RAW_SCHEMAS) | {schema.TRUTH_SCHEMA}
    rows = con.execute("select table_schema, table_name from information_schema.tables "
                       "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
    return [(s, t) for s, t in rows if s in wanted]


def publish_raw(log: Callable[[str], None] = print, target: str | None = None) -> int:
    """Copy the landing file's raw tables to the active target, replacing them there. No-op on DuckDB."""
    kind = engine(target)
    if kind == "duckdb":
        return 0
    writer = {"postgres": _publish_postgres, "spark": _publish_spark}.get(kind)
    if writer is None:
        raise ValueError(f"leadscore cannot write raw tables to a {kind} target")
    with warehouse.connect(read_only=True) as con:
        tables = landing_tables(con)
        writer(con, tables, profile_output(target))
    log(f"copied {len(tables)} raw tables to the {kind} target {target or active()}")
    return len(tables)


def publish_tables(con, tables: Sequence[tuple[str, str]], target: str | None = None) -> None:
    """Copy (schema, table)s of the DuckDB connection `con` to the active target, replacing them there."""
    kind = engine(target)
    writer = {"postgres": _publish_postgres, "spark": _publish_spark}.get(kind)
    if writer is None:
        raise ValueError(f"leadscore cannot write tables to a {kind} target")
    writer(con, tables, profile_output(target))


def _columns(con, qualified: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"describe {qualified}").fetchall()]


def _mapped(kind: str, duck_type: str) -> str:
    base = re.sub(r"\(.*\)$", "", duck_type.upper())
    if base not in TYPE_MAP[kind]:
        raise ValueError(f"no {kind} type for the DuckDB type {duck_type}")
    return TYPE_MAP[kind][base]


def postgres_connect(output: dict):
    import psycopg2

    return psycopg2.connect(host=output["host"], port=output["port"], user=output["user"],
                            password=output.get("password") or None, dbname=output.get("dbname")
                            or output.get("database"))


def _publish_postgres(con, tables: Sequence[tuple[str, str]], output: dict) -> None:
    """Each table dropped, re-created with mapped types and filled by COPY from DuckDB's CSV, in one transaction.
    The CSV quotes every value, so '' stays '' and NULL (an unquoted empty field) stays NULL."""
    import tempfile
    from pathlib import Path

    with postgres_connect(output) as pg, pg.cursor() as cur, tempfile.TemporaryDirectory() as tmp:
        for schema_name, table in tables:
            columns = _columns(con, f'"{schema_name}"."{table}"')
            names = ", ".join(f'"{c}"' for c, _ in columns)
            cur.execute(f'create schema if not exists "{schema_name}"')
            cur.execute(f'drop table if exists "{schema_name}"."{table}" cascade')
            cur.execute(f'create table "{schema_name}"."{table}" ('
                        + ", ".join(f'"{c}" {_mapped("postgres", t)}' for c, t in columns) + ")")
            csv_path = Path(tmp) / f"{schema_name}.{table}.csv"
            con.execute(f"""copy (select {names} from "{schema_name}"."{table}") to '{csv_path}'
                            (format csv, header true, force_quote *)""")
            with csv_path.open("rb") as data:
                cur.copy_expert(f'copy "{schema_name}"."{table}" ({names}) from stdin '
                                "with (format csv, header true)", data)
            csv_path.unlink()
        pg.commit()


def start_spark(output: dict | None = None):
    """The in-process Spark session of the profile's `spark` output (same warehouse and metastore as dbt).
    The process's time zone becomes UTC: PySpark converts timestamps to and from Python in the local zone."""
    import time

    from pyspark.sql import SparkSession

    os.environ["TZ"] = "UTC"
    time.tzset()
    output = output or profile_output()
    if output.get("method") != "session":
        raise ValueError("leadscore reads and writes Spark only through the in-process session method; "
                         "on a cluster, load raw tables with the cluster's own tools")
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in (output.get("server_side_parameters") or {}).items():
        builder = builder.config(key, str(value))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def spark_session(output: dict | None = None):
    """start_spark's session for a with-block, stopped after it."""
    spark = start_spark(output)
    try:
        yield spark
    finally:
        spark.stop()


def _publish_spark(con, tables: Sequence[tuple[str, str]], output: dict) -> None:
    """Each table replaced by a parquet table written from DuckDB's Arrow batches, types mapped."""
    with spark_session(output) as spark:
        for schema_name, table in tables:
            columns = _columns(con, f'"{schema_name}"."{table}"')
            ddl = ", ".join(f"`{c}` {_mapped('spark', t)}" for c, t in columns)
            rows = con.sql(f'select * from "{schema_name}"."{table}"').to_arrow_table()
            spark.sql(f"create database if not exists `{schema_name}`")
            spark.createDataFrame(rows, schema=ddl).write.mode("overwrite").format("parquet") \
                .saveAsTable(f"`{schema_name}`.`{table}`")


# ------------------------------------------------------------------------------------------------ marts


class _Result:
    def __init__(self, rows: list[tuple], columns: Sequence[str]):
        self.rows = rows
        self.description = [(name,) for name in columns]  # as a DB-API cursor's, names only

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None


def _pyformat(sql: str) -> str:
    """DuckDB's `?` parameters as psycopg2's `%s` (a '?' inside a string literal stays), `%` escaped."""
    parts = re.split(r"('(?:[^']|'')*')", sql.replace("%", "%%"))
    return "".join(part if part.startswith("'") else part.replace("?", "%s") for part in parts)


class MartReader:
    """`execute(sql, params).fetchall()` with DuckDB's `?` parameters, on PostgreSQL or Spark; closes its
    connection (stops its session) at the end of a with-block, like a DuckDB connection."""

    def __init__(self, kind: str, handle, close):
        self.kind, self.handle, self.close = kind, handle, close

    def __enter__(self) -> MartReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def execute(self, sql: str, params: Sequence | None = None) -> _Result:
        params = list(params or [])
        if self.kind == "postgres":
            import psycopg2

            try:
                with self.handle.cursor() as cur:
                    cur.execute(_pyformat(sql), params)
                    return _Result([tuple(r) for r in cur.fetchall()], [d[0] for d in cur.description])
            except psycopg2.errors.UndefinedTable as exc:
                self.handle.rollback()
                raise MissingRelation(str(exc)) from exc
        from pyspark.errors import AnalysisException

        try:
            frame = self.handle.sql(sql, args=params or None)
            return _Result([tuple(r) for r in frame.collect()], frame.columns)
        except AnalysisException as exc:
            if "TABLE_OR_VIEW_NOT_FOUND" in str(exc):
                raise MissingRelation(str(exc)) from exc
            raise


def connect_marts(path=None, target: str | None = None):
    """The active target's marts, for reading in a with-block: a read-only DuckDB connection to `path`
    (default the warehouse file) on DuckDB, else a MartReader on PostgreSQL or Spark."""
    kind = engine(target)
    if kind == DEFAULT_TARGET:
        return warehouse.connect(path, read_only=True)
    output = profile_output(target)
    if kind == "postgres":
        pg = postgres_connect(output)
        return MartReader(kind, pg, pg.close)
    if kind == "spark":
        spark = start_spark(output)
        return MartReader(kind, spark, spark.stop)
    raise ValueError(f"no mart reader for a {kind} target")
