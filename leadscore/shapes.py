"""Connector shapes: the generated CRM as Fivetran's Salesforce connector lands it, so the project's
`crm_source_shape: fivetran_salesforce` var is tested on the same people as the contract's raw_crm tables.

Fivetran keeps one row per Salesforce record (the latest version), names tables after the objects
(lead, account, opportunity, user), adds `_fivetran_synced` (sync time) and `_fivetran_deleted`, and an
opportunity's lead is the lead whose `converted_opportunity_id` points at it (Salesforce has no lead id on
the opportunity, nor a contact email: those opportunities attributed by email only are not attributed).
"""

from __future__ import annotations

import duckdb

SHAPES = ("contract", "fivetran_salesforce")
SALESFORCE_SCHEMA = "salesforce"
# contract table -> Salesforce object
SALESFORCE_OBJECTS = {"leads": "lead", "accounts": "account", "opportunities": "opportunity", "users": "user"}
# contract columns Salesforce does not have on the object
NOT_IN_SALESFORCE = {"opportunities": ("lead_id", "contact_email")}


def write_fivetran_salesforce(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite raw_crm.* as salesforce.lead/account/opportunity/user and drop the raw_crm schema."""
    con.execute(f"create schema if not exists {SALESFORCE_SCHEMA}")
    for table, obj in SALESFORCE_OBJECTS.items():
        excluded = ", ".join(("_loaded_at", *NOT_IN_SALESFORCE.get(table, ())))
        converted = ""
        if table == "leads":
            converted = ", converted.converted_opportunity_id"
        con.execute(f"""
            create or replace table {SALESFORCE_SCHEMA}."{obj}" as
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
            order by latest.id""")
    con.execute("drop schema raw_crm cascade")


def write_shape(con: duckdb.DuckDBPyConnection, shape: str) -> None:
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; one of {', '.join(SHAPES)}")
    if shape == "fivetran_salesforce":
        write_fivetran_salesforce(con)
