"""The raw side of the warehouse: one schema per source system, one table per export.

This module is the single contract for raw tables. The generator writes exactly these
columns, the loader checks user files against them, and a test checks that the dbt
source declarations (models/staging/<source>/_<source>__sources.yml) list the same
columns. Every table carries `_loaded_at`, the time the loader landed the row (as a
Fivetran/Airbyte-style sync column); dbt source freshness is checked on it.

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
CUSTOM_FIELDS_SEED = Path(__file__).resolve().parent.parent / "seeds" / "crm_custom_fields.csv"
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

RAW_TABLES: tuple[RawTable, ...] = (
    # ------------------------------------------------------------------ CRM (Salesforce-like)
    RawTable(
        "raw_crm",
        "leads",
        "CRM leads, Salesforce-like. A lead edited later is exported again with the same id and a "
        "newer last_modified_date (keep the latest). Custom fields (e.g. `budget__c`, `property_budget`) "
        "are the rows of seeds/crm_custom_fields.csv.",
        (
            _c("id", "VARCHAR", "CRM lead id (18 characters, starts with 00Q)."),
            _c("first_name", "VARCHAR", "First name as entered."),
            _c("last_name", "VARCHAR", "Last name as entered."),
            _c("email", "VARCHAR", "Email as entered: may have stray case, spaces, or be invalid."),
            _c("phone", "VARCHAR", "Phone as entered, any format."),
            _c("company", "VARCHAR", "Company name."),
            _c("title", "VARCHAR", "Job title as entered."),
            _c("industry", "VARCHAR", "Industry picklist value."),
            _c("number_of_employees", "INTEGER", "Company head count."),
            _c("annual_revenue", "DOUBLE", "Company annual revenue in USD."),
            _c("country", "VARCHAR", "Country as entered (name or ISO code, any case)."),
            _c("lead_source", "VARCHAR", "Lead source picklist (Web, Paid Search, Event, ...)."),
            _c("status", "VARCHAR", "Lead status (Open, Working, Nurturing, Qualified, Unqualified)."),
            _c("owner_id", "VARCHAR", "CRM user that owns the lead."),
            _c("social_handle", "VARCHAR", "Social handle the lead linked (e.g. @jane_doe).", False),
            _c("created_date", "TIMESTAMP", "When the lead was created (UTC)."),
            _c("last_modified_date", "TIMESTAMP", "When this version was written (UTC)."),
            _c("is_deleted", "BOOLEAN", "Soft-delete flag (Salesforce recycle bin)."),
            *CUSTOM_FIELDS,
            LOADED_AT,
        ),
    ),
    RawTable(
        "raw_crm",
        "accounts",
        "CRM accounts (companies), Salesforce-like.",
        (
            _c("id", "VARCHAR", "CRM account id (starts with 001)."),
            _c("name", "VARCHAR", "Account name."),
            _c("website", "VARCHAR", "Company website (its domain ties leads to the account)."),
            _c("industry", "VARCHAR", "Industry picklist value."),
            _c("number_of_employees", "INTEGER", "Head count."),
            _c("annual_revenue", "DOUBLE", "Annual revenue in USD."),
            _c("billing_country", "VARCHAR", "Billing country as entered."),
            _c("owner_id", "VARCHAR", "CRM user that owns the account."),
            _c("created_date", "TIMESTAMP", "When the account was created (UTC)."),
            _c("last_modified_date", "TIMESTAMP", "When this version was written (UTC)."),
            _c("is_deleted", "BOOLEAN", "Soft-delete flag."),
            LOADED_AT,
        ),
    ),
    RawTable(
        "raw_crm",
        "opportunities",
        "CRM opportunities: the outcome that lead scoring predicts.",
        (
            _c("id", "VARCHAR", "CRM opportunity id (starts with 006)."),
            _c("name", "VARCHAR", "Opportunity name."),
            _c("account_id", "VARCHAR", "Account of the opportunity."),
            _c("lead_id", "VARCHAR", "CRM lead converted into this opportunity.", False),
            _c("contact_email", "VARCHAR", "Email of the primary contact.", False),
            _c("stage_name", "VARCHAR", "Stage (Prospecting, Qualification, Proposal, Negotiation, Closed Won, Closed Lost)."),
            _c("amount", "DOUBLE", "Amount in USD."),
            _c("created_date", "TIMESTAMP", "When the opportunity was created (UTC)."),
            _c("close_date", "DATE", "Expected or actual close date."),
            _c("is_closed", "BOOLEAN", "Whether the opportunity is closed."),
            _c("is_won", "BOOLEAN", "Whether it closed won."),
            _c("owner_id", "VARCHAR", "CRM user that owns the opportunity."),
            _c("last_modified_date", "TIMESTAMP", "When this version was written (UTC)."),
            _c("is_deleted", "BOOLEAN", "Soft-delete flag."),
            LOADED_AT,
        ),
    ),
    RawTable(
        "raw_crm",
        "users",
        "CRM users: the sales reps who own leads, with their territory.",
        (
            _c("id", "VARCHAR", "CRM user id (starts with 005)."),
            _c("name", "VARCHAR", "Full name."),
            _c("email", "VARCHAR", "Work email."),
            _c("territory", "VARCHAR", "Sales territory (NA, EMEA, APAC, LATAM)."),
            _c("is_active", "BOOLEAN", "Whether the user is active."),
            _c("created_date", "TIMESTAMP", "When the user was created (UTC)."),
            _c("last_modified_date", "TIMESTAMP", "When this version was written (UTC)."),
            LOADED_AT,
        ),
    ),
    # ------------------------------------------------------------------ Web & product (Segment-like)
    RawTable(
        "raw_web",
        "events",
        "Segment-like page and track calls from the website and the product, delivered at least "
        "once (the same event_id may arrive twice) and sometimes late.",
        (
            _c("event_id", "VARCHAR", "Message id; unique per event, repeated on redelivery.", compression="zstd"),
            _c("anonymous_id", "VARCHAR", "Browser/device id set by the tracking library."),
            _c("user_id", "VARCHAR", "Product user id once the visitor signed in.", False),
            _c("email", "VARCHAR", "Email when the call carried one.", False),
            _c("type", "VARCHAR", "Call type: page or track."),
            _c("event", "VARCHAR", "Event name (page_viewed for pages; signed_up, api_call, ... for tracks)."),
            _c("url", "VARCHAR", "Full URL of the page the call came from.", False),
            _c("path", "VARCHAR", "Path of that URL.", False),
            _c("referrer", "VARCHAR", "Referrer URL.", False),
            _c("properties", "VARCHAR", "Event properties as JSON text (may be malformed)."),
            _c("user_agent", "VARCHAR", "User agent string."),
            _c("timestamp", "VARCHAR", "Event time as ISO-8601 text with a time-zone offset.", compression="zstd"),
            LOADED_AT,
        ),
    ),
    RawTable(
        "raw_web",
        "identifies",
        "Segment-like identify calls: tie an anonymous id (and product user id) to an email.",
        (
            _c("message_id", "VARCHAR", "Message id of the identify call."),
            _c("anonymous_id", "VARCHAR", "Browser/device id."),
            _c("user_id", "VARCHAR", "Product user id.", False),
            _c("email", "VARCHAR", "Email given (trait)."),
            _c("traits", "VARCHAR", "Other traits as JSON text.", False),
            _c("timestamp", "VARCHAR", "Call time as ISO-8601 text with a time-zone offset."),
            LOADED_AT,
        ),
    ),
    # ------------------------------------------------------------------ Email (Marketo/HubSpot-like)
    RawTable(
        "raw_email",
        "campaigns",
        "Email campaigns.",
        (
            _c("campaign_id", "VARCHAR", "Campaign id."),
            _c("name", "VARCHAR", "Campaign name."),
            _c("campaign_type", "VARCHAR", "newsletter, nurture, webinar_invite, product_update or promotion."),
            _c("created_at", "TIMESTAMP", "When the campaign was created (UTC)."),
            LOADED_AT,
        ),
    ),
    RawTable(
        "raw_email",
        "email_events",
        "One row per email activity: send, delivered, open, click, reply, bounce, unsubscribe.",
        (
            _c("event_id", "VARCHAR", "Activity id.", compression="zstd"),
            _c("campaign_id", "VARCHAR", "Campaign of the email."),
            _c("recipient_email", "VARCHAR", "Recipient address as stored by the email tool."),
            _c("event_type", "VARCHAR", "send, delivered, open, click, reply, bounce or unsubscribe."),
            _c("bounce_type", "VARCHAR", "hard or soft, for bounces.", False),
            _c("link_url", "VARCHAR", "Clicked link, for clicks.", False),
            _c("occurred_at", "TIMESTAMP", "When it happened (UTC)."),
            LOADED_AT,
        ),
    ),
    # ------------------------------------------------------------------ Social
    RawTable(
        "raw_social",
        "engagements",
        "Social engagement with the company's posts and profile, by handle.",
        (
            _c("engagement_id", "VARCHAR", "Engagement id."),
            _c("platform", "VARCHAR", "linkedin or x."),
            _c("handle", "VARCHAR", "Handle of the person who engaged (e.g. @jane_doe)."),
            _c("action", "VARCHAR", "like, share, comment or follow."),
            _c("post_id", "VARCHAR", "Post engaged with (empty for follows).", False),
            _c("occurred_at", "TIMESTAMP", "When it happened (UTC)."),
            LOADED_AT,
        ),
    ),
    # ------------------------------------------------------------------ Forms
    RawTable(
        "raw_forms",
        "submissions",
        "Website form submissions: field values exactly as typed, with the captcha result.",
        (
            _c("submission_id", "VARCHAR", "Submission id."),
            _c("form_name", "VARCHAR", "contact_sales, demo_request, newsletter, whitepaper_download or webinar_registration."),
            _c("page_url", "VARCHAR", "Page the form was on."),
            _c("anonymous_id", "VARCHAR", "Tracking id of the browser that submitted.", False),
            _c("email", "VARCHAR", "Email as typed."),
            _c("first_name", "VARCHAR", "First name as typed.", False),
            _c("last_name", "VARCHAR", "Last name as typed.", False),
            _c("company", "VARCHAR", "Company as typed.", False),
            _c("job_title", "VARCHAR", "Job title as typed.", False),
            _c("phone", "VARCHAR", "Phone as typed.", False),
            _c("country", "VARCHAR", "Country as typed.", False),
            _c("message", "VARCHAR", "Free-text message.", False),
            _c("captcha_result", "VARCHAR", "pass or fail."),
            _c("captcha_score", "DOUBLE", "Captcha confidence 0-1 (higher is more human).", False),
            _c("submitted_at", "TIMESTAMP", "When it was submitted (UTC)."),
            LOADED_AT,
        ),
    ),
    # ------------------------------------------------------------------ In-app surveys
    RawTable(
        "raw_surveys",
        "responses",
        "In-app survey answers, one row per question answered.",
        (
            _c("response_id", "VARCHAR", "Answer id."),
            _c("survey_id", "VARCHAR", "Survey id."),
            _c("user_id", "VARCHAR", "Product user id of the respondent.", False),
            _c("email", "VARCHAR", "Respondent email when known.", False),
            _c("question_id", "VARCHAR", "Question id (e.g. purchase_intent, nps, use_case, team_size)."),
            _c("question", "VARCHAR", "Question text."),
            _c("answer", "VARCHAR", "Answer text.", False),
            _c("rating", "INTEGER", "0-10 rating for rating questions.", False),
            _c("responded_at", "TIMESTAMP", "When it was answered (UTC)."),
            LOADED_AT,
        ),
    ),
)

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
