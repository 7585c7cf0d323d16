"""Generate realistic raw sources for every raw table, deterministic for a seed (docs/generator.md).

How it works, in bulk and never row by row:
1. NumPy draws one row per *person* (the latent model): persona, hidden intent, firmographics, and how
   many times the person does each behaviour (Poisson / Bernoulli, driven by persona and intent).
   The true conversion probability is a logistic function of persona, fit and that behaviour; the
   outcome (opportunity, won deal) is drawn from it and dated weeks after the behaviour.
2. The per-person counts are expanded into raw rows with hash-based randomness keyed on (seed, person,
   kind, index), so every row is reproducible on its own and any time window of the same data can be
   re-created (that is how `--append-day` and `--append-hour` work). The small tables are DuckDB SQL; the two big ones (web
   and email events, ~120 rows per person) are expanded and derived in NumPy chunk by chunk of people
   (the same hash as DuckDB's `hash()`), handed to DuckDB as Arrow tables whose low-cardinality text is
   dictionary-encoded, and written by DuckDB in parallel while the next chunk is prepared.
3. Deliberate mess is planted at documented rates and every planted row is listed in
   `generator_truth.planted_mess`; the truth per person goes to `generator_truth.leads`.

The modules, one job each:
- people: the latent model (persona, fit, intent, true conversion probability, drawing persons)
- crm, web, emails, social, forms, surveys: one source system's rows each
- mess: the rates of the planted mess and the SQL that plants it
- ledger: the list of planted rows (generator_truth.planted_mess)
- sql: SQL pieces the sources share
- bulk: chunked NumPy + Arrow writing of the big event tables
- writer: the command, a run of it (`--empty`, `--append-day`, `--append-hour`) and the Generator orchestrating it

Every public name stays importable from `leadscore.generate`.
"""

from __future__ import annotations

from leadscore.generate.bulk import (
    ARROW_BATCH_ROWS, CHUNKS_PER_INSERT, WEB_CHUNK_ROWS, BulkWriter, RowHasher, cast_double_texts, chunk_ends,
    string_buffers)
from leadscore.generate.crm import INDUSTRIES, LEAD_SOURCES, LEAD_STATUSES, REPS_PER_TERRITORY, TERRITORIES, CrmSql
from leadscore.generate.emails import EMAIL_KINDS, EMAIL_LINKS, EmailSql
from leadscore.generate.forms import FormsSql
from leadscore.generate.ledger import Ledger
from leadscore.generate.mess import RATES, MessSql, mess_rows
from leadscore.generate.people import (
    ACTIVE_DAYS, BASE_COUNTS, COMPANY_KINDS, COMPANY_SUFFIX, COMPANY_WORDS, COMPETITORS, COUNTRIES,
    DEMO_REQUEST_LOGIT, DISPOSABLE, EMAIL_DAYS, FIRST_NAMES, FREE_MAIL, INTENT_KINDS, INTERCEPT, INTERNAL_DOMAIN,
    LAST_NAMES, MASH_NAMES, PERSONAS, PERSONA_EFFECT, PERSONA_SHARE, SIGNUP_LOGIT, TITLES, TLDS, VOLUME, WEIGHTS,
    draw_persons, n_companies_for)
from leadscore.generate.social import SocialSql
from leadscore.generate.sql import TRUTH, SqlParts
from leadscore.generate.surveys import SurveysSql
from leadscore.generate.web import (
    API_ENDPOINTS, APP, BOT_AGENTS, BROWSERS, DOCS, FEATURES, FILES, PRODUCT_EVENTS, REFERRERS, TRIAL_PLANS,
    UNKNOWN_EVENTS, WEB_KINDS, WWW, WebLookups, WebSql, web_lookups)
from leadscore.generate.writer import (
    DEFAULT_LEADS, DEFAULT_MEMORY_LIMIT, DEFAULT_SEED, Generator, add_arguments, append_loads, configure,
    default_end_date, run)
