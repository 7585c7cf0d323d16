"""Connector shapes: the generated tables as connectors land them, so the project's shape vars are tested on
the same people as the contract's raw tables.

Fivetran's Salesforce connector (`crm_source_shape: fivetran_salesforce`) keeps one row per Salesforce
record (the latest version), names tables after the objects (lead, account, opportunity, user), adds
`_fivetran_synced` (sync time) and `_fivetran_deleted`, and an opportunity's lead is the lead whose
`converted_opportunity_id` points at it (Salesforce has no lead id on the opportunity, nor a contact email:
those opportunities attributed by email only are not attributed).

Segment's warehouse destination (`web_source_shape: segment`) writes one table per call type (identifies,
pages, tracks), flattens the context into `context_*` columns and identify traits into top-level columns
(here `email`), gives `timestamp` as a UTC timestamp and `received_at` (here the contract's _loaded_at).
Segment keeps track properties in per-event tables; this writer keeps the contract's properties (and the
other identify traits) as a `properties` (`traits`) JSON text column, which the project reads when present.
"""

from __future__ import annotations

import duckdb

SHAPES = ("contract", "fivetran_salesforce", "segment")
SALESFORCE_SCHEMA = "salesforce"
SEGMENT_SCHEMA = "segment"
# contract table -> Salesforce object
SALESFORCE_OBJECTS = {"leads": "lead", "accounts": "account", "opportunities": "opportunity", "users": "user",
                      # the MQL disposition custom object MQL_Feedback__c, as Fivetran names it
                      "mql_feedback": "mql_feedback_c"}
# contract columns Salesforce does not have on the object
NOT_IN_SALESFORCE = {"opportunities": ("lead_id", "contact_email")}
# The contract's timestamp text as Segment's UTC timestamp, parsed as staging parses it (null when unparseable).
SEGMENT_TIMESTAMP = """case
    when contains(substr("timestamp", 12), '+') or contains(substr("timestamp", 12), '-')
        or upper(right("timestamp", 1)) = 'Z'
        then make_timestamp(epoch_us(try_cast("timestamp" as timestamptz)))
    else try_cast("timestamp" as timestamp) end"""
SEGMENT_COMMON = f"""anonymous_id, user_id, {SEGMENT_TIMESTAMP} as "timestamp",
    {SEGMENT_TIMESTAMP} as original_timestamp, {SEGMENT_TIMESTAMP} as sent_at, _loaded_at as received_at,
    _loaded_at as uuid_ts, cast(null as varchar) as context_ip"""
SEGMENT_EVENT_COLUMNS = f"""event_id as id, {SEGMENT_COMMON}, properties, user_agent as context_user_agent,
    email as context_traits_email, url as context_page_url, path as context_page_path,
    referrer as context_page_referrer"""
# Segment table -> (contract table, its rows, select list)
SEGMENT_TABLES = {
    "identifies": ("identifies", "true",
                   f"message_id as id, {SEGMENT_COMMON}, email, traits, cast(null as varchar) as context_user_agent"),
    "pages": ("events", "coalesce(lower(trim(type)), '') = 'page'", f"""{SEGMENT_EVENT_COLUMNS}, event as name, url, path, referrer,
        case when json_valid(properties) then properties ->> 'title' end as title,
        nullif(substr(url, strpos(url, '?')), url) as search"""),
    "tracks": ("events", "coalesce(lower(trim(type)), '') <> 'page'", f"{SEGMENT_EVENT_COLUMNS}, event, event as event_text"),
}


def _rewrite(con: duckdb.DuckDBPyConnection, raw_schema: str, schema: str, tables: dict[str, str]) -> None:
    """Create `schema`.<table> as each select of `tables` (in its order by), then drop `raw_schema`."""
    con.execute(f"create schema if not exists {schema}")
    con.execute("set preserve_insertion_order = true")
    for table, select in tables.items():
        con.execute(f'create or replace table {schema}."{table}" as {select}')
    con.execute(f"drop schema {raw_schema} cascade")


def _salesforce_select(table: str) -> str:
    excluded = ", ".join(("_loaded_at", *NOT_IN_SALESFORCE.get(table, ())))
    converted = ", converted.converted_opportunity_id" if table == "leads" else ""
    return f"""
        with latest as (
            select * from raw_crm.{table}
            qualify row_number() over (
                partition by id order by last_modified_date desc nulls last, _loaded_at desc) = 1
        ),
        converted as (
            select lead_id, min(id) as converted_opportunity_id
            from raw_crm.opportunities where lead_id is not null group by lead_id
        )
        select latest.* exclude ({excluded}){converted},
            latest._loaded_at as _fivetran_synced,
            false as _fivetran_deleted
        from latest
        {"left join converted on converted.lead_id = latest.id" if table == "leads" else ""}
        order by latest.id"""


def write_fivetran_salesforce(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite raw_crm.* as salesforce.lead/account/opportunity/user/mql_feedback_c and drop the raw_crm schema."""
    _rewrite(con, "raw_crm", SALESFORCE_SCHEMA,
             {obj: _salesforce_select(table) for table, obj in SALESFORCE_OBJECTS.items()})


def write_segment(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite raw_web.* as segment.identifies/pages/tracks (in the raw rows' order) and drop raw_web."""
    _rewrite(con, "raw_web", SEGMENT_SCHEMA, {
        table: f"select {columns} from raw_web.{contract} where {rows} order by rowid"
        for table, (contract, rows, columns) in SEGMENT_TABLES.items()})


WRITERS = {"fivetran_salesforce": write_fivetran_salesforce, "segment": write_segment}


def parse_shapes(text: str) -> tuple[str, ...]:
    """--shape: one shape or several, comma-separated (e.g. fivetran_salesforce,segment)."""
    shapes = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or not shapes:
        raise ValueError(f"unknown shape {text!r}; one or more (comma-separated) of {', '.join(SHAPES)}")
    return shapes


def write_shape(con: duckdb.DuckDBPyConnection, shape: str | tuple[str, ...]) -> None:
    for name in parse_shapes(shape) if isinstance(shape, str) else shape:
        if name not in SHAPES:
            raise ValueError(f"unknown shape {name!r}; one of {', '.join(SHAPES)}")
        if name in WRITERS:
            WRITERS[name](con)


SHAPE_HELP = ("Tables to write, comma-separated: contract (raw_* tables, default); fivetran_salesforce (the CRM as "
              "salesforce.lead/account/opportunity/user, as Fivetran lands them; build with --vars "
              "'{crm_source_shape: fivetran_salesforce}'); segment (the web tables as segment.identifies/pages/"
              "tracks, as Segment lands them; build with --vars '{web_source_shape: segment}').")
