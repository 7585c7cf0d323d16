"""Generate realistic raw sources for every raw table, deterministic for a seed (docs/generator.md).

How it works, in bulk and never row by row:
1. NumPy draws one row per *person* (the latent model): persona, hidden intent, firmographics, and how
   many times the person does each behaviour (Poisson / Bernoulli, driven by persona and intent).
   The true conversion probability is a logistic function of persona, fit and that behaviour; the
   outcome (opportunity, won deal) is drawn from it and dated weeks after the behaviour.
2. The per-person counts are expanded into raw rows with hash-based randomness keyed on (seed, person,
   kind, index), so every row is reproducible on its own and any time window of the same data can be
   re-created (that is how `--append-day` works). The small tables are DuckDB SQL; the two big ones (web
   and email events, ~120 rows per person) are expanded and derived in NumPy chunk by chunk of people
   (the same hash as DuckDB's `hash()`), handed to DuckDB as Arrow tables whose low-cardinality text is
   dictionary-encoded, and written by DuckDB in parallel while the next chunk is prepared.
3. Deliberate mess is planted at documented rates and every planted row is listed in
   `generator_truth.planted_mess`; the truth per person goes to `generator_truth.leads`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import queue
import sys
import threading
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from leadscore import kernels, schema, shapes, warehouse

DEFAULT_LEADS = 5000
DEFAULT_MEMORY_LIMIT = "4GB"  # DuckDB's, when LEADSCORE_MEMORY_LIMIT is not set
DEFAULT_SEED = 42
ACTIVE_DAYS = 28  # behaviour happens in the first ACTIVE_DAYS after a person's first touch
EMAIL_DAYS = 90  # nurture emails go out for this many days after the lead is created
TRUTH = schema.TRUTH_SCHEMA

PERSONAS = ["developer", "analyst", "marketer", "executive", "student", "spammer", "internal"]
PERSONA_SHARE = [0.26, 0.20, 0.18, 0.10, 0.14, 0.08, 0.04]

# Mean counts per person before the intent multiplier, by persona (columns follow PERSONAS).
# Page-view kinds and track kinds; "intent" kinds scale with exp(0.8 * intent), the others with exp(0.3 * intent).
BASE_COUNTS = {
    #                 dev   ana   mkt   exe   stu   spam  int
    "pv_pricing":   (1.2, 1.0, 1.0, 1.5, 0.3, 0.3, 0.5),
    "pv_demo":      (0.3, 0.4, 0.6, 0.8, 0.1, 0.2, 0.2),
    "pv_docs":      (10., 6.0, 1.0, 0.5, 6.0, 0.2, 3.0),
    "pv_blog":      (3.0, 4.0, 5.0, 1.0, 5.0, 0.5, 1.0),
    "pv_general":   (5.0, 5.0, 6.0, 4.0, 4.0, 2.0, 3.0),
    "pv_careers":   (0.2, 0.2, 0.2, 0.05, 2.5, 0.1, 0.5),
    "pv_whitepaper": (0.5, 1.2, 1.5, 0.8, 0.8, 0.1, 0.2),
    "pv_webinar":   (0.2, 0.5, 1.2, 0.3, 0.3, 0.1, 0.1),
    "pv_app":       (8.0, 6.0, 3.0, 2.0, 5.0, 0.5, 6.0),
    "api_call":     (30., 8.0, 1.0, 0.5, 6.0, 0.2, 10.),
    "feature_used": (5.0, 6.0, 3.0, 2.0, 2.5, 0.2, 4.0),
    "file_downloaded": (0.3, 0.8, 1.2, 0.5, 0.6, 0.1, 0.1),
    "webinar_attended": (0.1, 0.3, 0.8, 0.2, 0.2, 0.0, 0.0),
    "social": (0.4, 0.5, 1.2, 0.6, 0.6, 0.2, 0.3),
}
# Browsing and API volume that carries little signal: scaled so 1M people give ~100M web events.
VOLUME = {"pv_docs": 4.1, "pv_blog": 4.1, "pv_general": 4.1, "pv_app": 4.1, "api_call": 4.1}
INTENT_KINDS = {"pv_pricing", "pv_demo", "pv_whitepaper", "pv_webinar", "api_call", "feature_used",
                "file_downloaded", "webinar_attended", "social"}
# Base log-odds of the Bernoulli behaviours, by persona.
SIGNUP_LOGIT = (0.3, 0.0, -1.0, -1.2, 0.2, -3.0, 1.0)
DEMO_REQUEST_LOGIT = (-3.2, -2.8, -2.6, -2.0, -4.5, -4.0, -5.0)
# Effect of the persona on the log-odds of converting (fit), and the other terms of the true model.
PERSONA_EFFECT = (0.35, 0.35, 0.15, 0.65, -1.6, -3.5, -3.5)
INTERCEPT = -4.3
WEIGHTS = {
    "log_employees": 0.22,     # per log10(head count) above 100
    "free_mail": -0.6,
    "disposable": -2.0,
    "pv_pricing": 0.45,        # per log1p(count)
    "pv_demo": 0.35,
    "demo_requested": 1.1,
    "trial_started": 0.6,
    "onboarding_steps": 0.15,  # per step
    "api_call": 0.18,
    "features_adopted": 0.12,  # per distinct feature
    "file_downloaded": 0.25,
    "webinar_attended": 0.4,
    "email_clicks": 0.3,
    "email_replied": 0.6,
    "unsubscribed": -1.0,
    "purchase_intent": 0.15,   # per rating point above 5, when answered
    "pv_careers": -0.5,
    "intent": 0.15,            # a small direct effect of the hidden intent
}

FIRST_NAMES = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
               "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
               "Charles", "Karen", "Wei", "Mei", "Hiroshi", "Yuki", "Arjun", "Priya", "Mohammed", "Fatima",
               "Lukas", "Anna", "Jean", "Camille", "Carlos", "Sofia", "Olga", "Ivan", "Ngozi", "Kwame",
               "Lars", "Ingrid", "Aisha", "Omar", "Chloe", "Liam", "Emma", "Noah", "Olivia", "Mateo",
               "Zoe", "Ethan", "Ava", "Lucas", "Mia", "Leo", "Nora", "Hugo", "Elena", "Marco", "Sven",
               "Ana"]
LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
              "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
              "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
              "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
              "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
              "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Mueller", "Schmidt", "Tanaka",
              "Suzuki", "Patel", "Sharma", "Kim", "Park", "Chen", "Wang", "O'Brien", "van der Berg"]
MASH_NAMES = ["asdf", "qwerty", "zxcvb", "asdfgh", "qwert", "hjkl", "sdfsdf", "xcvbn", "fghj", "wxyz"]
TITLES = {
    "developer": ["Software Engineer", "Senior Software Engineer", "Backend Developer", "DevOps Engineer",
                  "Full Stack Developer", "Sr. Software Engineer", "Staff Engineer", "Platform Engineer",
                  "software developer", "Solutions Architect"],
    "analyst": ["Data Analyst", "Senior Data Analyst", "BI Analyst", "Analytics Engineer", "Data Scientist",
                "Data Engineer", "Business Intelligence Developer", "Head of Analytics", "Analytics Manager",
                "data analyst"],
    "marketer": ["Marketing Manager", "Growth Marketing Specialist", "Demand Generation Manager",
                 "Marketing Operations Specialist", "Product Marketing Manager", "Content Marketing Manager",
                 "Digital Marketing Coordinator", "marketing manager"],
    "executive": ["CEO", "CTO", "VP of Data", "Director of Analytics", "Chief Data Officer",
                  "VP Engineering", "Founder", "Head of Data", "CIO", "Director, Business Intelligence"],
    "student": ["Student", "PhD Candidate", "Graduate Student", "Data Science Intern", "student",
                "Research Assistant"],
    "spammer": ["asdf", "x", "", "Boss", "qwerty", "CEO", "seo expert"],
    "internal": ["QA Engineer", "Test", "Sales Engineer", "Account Executive", "test user"],
}
INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education",
              "Media", "Telecommunications", "Logistics", "Energy", "Government", "Consulting"]
COMPANY_WORDS = ["Blue", "North", "Bright", "Iron", "Silver", "Quantum", "Summit", "Harbor", "Nimbus",
                 "Pioneer", "Vertex", "Cedar", "Atlas", "Orbit", "Prime", "Red", "Lumen", "Polar", "Delta",
                 "Union", "Falcon", "Green", "Stellar", "Crystal", "Nova"]
COMPANY_KINDS = ["Labs", "Systems", "Group", "Health", "Bank", "Retail", "Logistics", "Media", "Energy",
                 "Software", "Analytics", "Partners", "Foods", "Motors", "Insurance"]
COMPANY_SUFFIX = ["Inc.", "LLC", "GmbH", "Ltd", "", "Corp", "S.A.", "AG", "BV", "Co."]
TLDS = [".com", ".io", ".de", ".co.uk", ".com", ".net", ".fr", ".com"]
FREE_MAIL = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "protonmail.com"]
DISPOSABLE = ["mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com", "tempmail.net"]
COMPETITORS = ["rivalmetrics.com", "datacompete.io", "insightcorp.com"]
INTERNAL_DOMAIN = "acmeanalytics.io"
# (ISO code, ways people type it, utc offset minutes, share, territory)
COUNTRIES = [
    ("US", ["US", "United States", "usa", "U.S.A.", "united states"], -300, 0.34, "NA"),
    ("CA", ["Canada", "CA"], -300, 0.05, "NA"),
    ("GB", ["United Kingdom", "UK", "gb", "England"], 0, 0.10, "EMEA"),
    ("DE", ["Germany", "DE", "deutschland"], 60, 0.09, "EMEA"),
    ("FR", ["France", "FR"], 60, 0.05, "EMEA"),
    ("NL", ["Netherlands", "NL"], 60, 0.03, "EMEA"),
    ("ES", ["Spain", "ES"], 60, 0.03, "EMEA"),
    ("SE", ["Sweden", "SE"], 60, 0.02, "EMEA"),
    ("IN", ["India", "IN"], 330, 0.09, "APAC"),
    ("JP", ["Japan", "JP"], 540, 0.04, "APAC"),
    ("AU", ["Australia", "AU"], 600, 0.04, "APAC"),
    ("SG", ["Singapore", "SG"], 480, 0.02, "APAC"),
    ("BR", ["Brazil", "BR", "brasil"], -180, 0.05, "LATAM"),
    ("MX", ["Mexico", "MX"], -360, 0.03, "LATAM"),
    (None, [None, "", "N/A"], 0, 0.02, "NA"),
]
LEAD_SOURCES = ["Web", "Web", "Web", "Organic Search", "Paid Search", "Event", "Referral", "Partner",
                "List Import", "Webinar"]
LEAD_STATUSES = ["Open", "Working", "Nurturing", "Qualified", "Unqualified"]
TERRITORIES = ["NA", "EMEA", "APAC", "LATAM"]
REPS_PER_TERRITORY = {"NA": 8, "EMEA": 6, "APAC": 4, "LATAM": 3}
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Edg/124.0",
]
BOT_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
]

# Mess rates (documented in docs/generator.md; tests check them).
RATES = {
    "crm_duplicate_person": 0.04,   # of persons: a second CRM lead with a case/whitespace email variant
    "crm_stale_version": 0.15,      # of CRM lead records: an older version exported too
    "missing_email": 0.01,          # of CRM lead records / identifies / form submissions
    "invalid_email": 0.01,
    "soft_deleted": 0.015,          # of CRM lead records (and 1% of accounts and opportunities)
    "duplicate_delivery": 0.01,     # of web events (0.5% of email events)
    "late_arrival": 0.02,           # of web events: loaded 1-4 days after they happened
    "unknown_event_name": 0.002,    # of web events
    "malformed_json": 0.002,        # of web events
    "negative_duration": 0.003,     # of web events (page views and API calls)
    "future_timestamp": 0.0005,     # of web and email events: timestamp months after _loaded_at
    "bot_user_agent": 0.01,         # bot browsers per person, ~150 events each
    "bot_event_rate": 0.003,        # rate bots (normal user agent, 40 events a minute) per person
    "unknown_anonymous_id": 0.4,    # never-identified visitors per person, 1-6 page views each
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--leads", type=int, default=DEFAULT_LEADS, help=f"People to generate (default {DEFAULT_LEADS}).")
    parser.add_argument("--seed", type=int, default=None, help=f"Random seed (default {DEFAULT_SEED}).")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=None,
                        help="First day of data, YYYY-MM-DD (default: 365 days before --end).")
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None,
                        help="Last day of data, YYYY-MM-DD (default: yesterday).")
    parser.add_argument("--empty", action="store_true", help="Only create the empty raw tables.")
    parser.add_argument("--append-day", action="store_true",
                        help="Append the next day of data to an existing generated warehouse (the daily load).")
    parser.add_argument("--quiet", action="store_true", help="No progress output.")
    parser.add_argument("--shape", type=shapes.parse_shapes, default=("contract",), help=shapes.SHAPE_HELP)


def default_end_date() -> dt.date:
    """Yesterday by the UTC calendar (not the machine's local one): the last day of data when --end is not given."""
    return dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)


def run(args: argparse.Namespace) -> int:
    log = (lambda *a: None) if args.quiet else (lambda msg: print(f"[generate] {msg}", flush=True))
    with warehouse.connect() as con:
        configure(con)
        if args.empty:
            schema.create_raw_tables(con)
            log(f"created empty raw tables in {warehouse.duckdb_path()}")
            return 0
        if args.append_day:
            return append_day(con, log)
        end = args.end or default_end_date()
        start = args.start or (end - dt.timedelta(days=365))
        if start > end:
            print("generate: --start must not be after --end", file=sys.stderr)
            return 2
        if args.leads < 1:
            print("generate: --leads must be at least 1", file=sys.stderr)
            return 2
        seed = DEFAULT_SEED if args.seed is None else args.seed
        Generator(con, seed, start, end, log).generate(args.leads)
        shapes.write_shape(con, args.shape)
    return 0


# ---------------------------------------------------------------------------------------------- persons


def configure(con) -> None:
    """DuckDB settings for bulk writes: parallel inserts that need not keep row order; memory limit and threads
    from the same environment variables as the dbt profile (when set)."""
    con.execute("set preserve_insertion_order = false")
    # DuckDB's default limit (80% of RAM) lets its cache of written blocks grow for nothing here.
    con.execute("set memory_limit = ?", [os.environ.get("LEADSCORE_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT])
    if os.environ.get("LEADSCORE_DUCKDB_THREADS"):
        con.execute("set threads = ?", [int(os.environ["LEADSCORE_DUCKDB_THREADS"])])


def _epoch_us(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * 86_400_000_000


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def n_companies_for(leads: int) -> int:
    return max(20, leads // 6)


def draw_persons(rng: np.random.Generator, first_pid: int, n: int, start: dt.date, days: int,
                 n_companies: int) -> pd.DataFrame:
    """The latent model: one row per person with everything the SQL expansion and the truth need. The helpers
    draw from `rng` in a fixed order, so a seed always gives the same people."""
    pid = np.arange(first_pid, first_pid + n, dtype=np.int64)
    persona_idx = rng.choice(len(PERSONAS), size=n, p=PERSONA_SHARE)
    intent = rng.standard_normal(n)
    persona = np.array(PERSONAS, dtype=object)[persona_idx]
    is_spam = persona == "spammer"
    first_touch = _draw_first_touch(rng, n, start, days)
    # Firmographics: people work at companies drawn from a pool (the CRM accounts).
    company_idx = rng.integers(0, n_companies, size=n)
    employees = _company_employees(company_idx)
    country_idx = _company_country(company_idx)
    contact = _draw_contact(rng, pid, persona, persona_idx, company_idx)
    counts, web, product = _draw_behaviour(rng, persona_idx, intent, is_spam)
    email = _draw_email_engagement(rng, intent, is_spam, contact["domain_kind"])
    answers = _draw_social_and_survey(rng, persona, intent, counts, product["signed_up"])
    p = _sigmoid(_true_logit(persona_idx, intent, employees, contact["domain_kind"], counts, product, email, answers))
    outcome = _draw_outcome(rng, p, first_touch, employees, intent)
    crm = _draw_crm_record(rng, first_touch, country_idx)
    return pd.DataFrame({
        "person_id": pid,
        "persona": persona,
        "intent": intent,
        "first_touch_at": first_touch,
        "created_at": crm["created_at"],
        "company_idx": company_idx,
        "employees": employees,
        "country_code": np.array([c[0] for c in COUNTRIES], dtype=object)[country_idx],
        "country_typed": crm["country_typed"],
        "territory": np.array([c[4] for c in COUNTRIES], dtype=object)[country_idx],
        "tz_minutes": crm["tz_minutes"],
        **contact,
        **web,
        **{f"n_{k}": v.astype(np.int32) for k, v in counts.items()},
        **product,
        **email,
        **answers,
        "true_probability": p,
        **outcome,
        "u_mess": rng.random(n),
        "u_mess2": rng.random(n),
    })


def _draw_first_touch(rng: np.random.Generator, n: int, start: dt.date, days: int):
    """First touch: uniform over the period, at a daytime-ish hour."""
    day = rng.integers(0, days, size=n)
    seconds = rng.integers(6 * 3600, 22 * 3600, size=n)
    return pd.Timestamp(start) + pd.to_timedelta(day, unit="D") + pd.to_timedelta(seconds, unit="s")


def _draw_contact(rng: np.random.Generator, pid: np.ndarray, persona: np.ndarray, persona_idx: np.ndarray,
                  company_idx: np.ndarray) -> dict[str, np.ndarray]:
    """Names, email address (and the kind of its domain) and job title."""
    n = len(pid)
    fn = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    ln = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    local = np.char.lower(np.char.replace(np.char.replace(
        (fn + "." + ln).astype(str), " ", ""), "'", "")).astype(object) + pid.astype(str).astype(object)
    domain_kind, domain = _draw_email_domains(rng, persona, company_idx)
    email = local + "@" + domain
    fn, ln = _junk_names(rng, fn, ln, persona)
    return {
        "first_name": fn,
        "last_name": ln,
        "email": email.astype(str),
        "domain_kind": domain_kind,
        "title": _draw_titles(rng, persona_idx),
    }


def _draw_email_domains(rng: np.random.Generator, persona: np.ndarray,
                        company_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kind of each email domain (business, free mail, disposable, competitor, internal) and the domain."""
    n = len(persona)
    is_spam = persona == "spammer"
    is_internal = persona == "internal"
    domain_kind = np.where(is_internal, "internal", "business").astype(object)
    u = rng.random(n)
    free = (~is_spam & ~is_internal) & (u < np.where(persona == "student", 0.8, 0.12))
    domain_kind[free] = "free_mail"
    disposable = is_spam & (u < 0.7)
    domain_kind[disposable] = "disposable"
    domain_kind[is_spam & ~disposable & (u < 0.85)] = "free_mail"
    competitor = (~is_spam & ~is_internal & ~free) & (rng.random(n) < 0.01)
    domain_kind[competitor] = "competitor"
    used, which = np.unique(company_idx, return_inverse=True)
    company_domain = np.array([_company_domain(int(c)) for c in used], dtype=object)[which]
    domain = company_domain.copy()
    pick = rng.integers(0, 6, n)
    domain[domain_kind == "free_mail"] = np.array(FREE_MAIL, dtype=object)[pick[domain_kind == "free_mail"]]
    domain[domain_kind == "disposable"] = np.array(DISPOSABLE, dtype=object)[pick[domain_kind == "disposable"] % 5]
    domain[domain_kind == "competitor"] = np.array(COMPETITORS, dtype=object)[pick[domain_kind == "competitor"] % 3]
    domain[domain_kind == "internal"] = INTERNAL_DOMAIN
    return domain_kind, domain


def _junk_names(rng: np.random.Generator, fn: np.ndarray, ln: np.ndarray,
                persona: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spammers type junk names (keyboard mash or all lower case); half the internal people are test users."""
    n = len(persona)
    is_spam = persona == "spammer"
    mash = is_spam & (rng.random(n) < 0.5)
    lower = is_spam & ~mash
    fn = fn.copy()
    ln = ln.copy()
    fn[mash] = np.array(MASH_NAMES, dtype=object)[rng.integers(0, len(MASH_NAMES), int(mash.sum()))]
    ln[mash] = np.array(MASH_NAMES, dtype=object)[rng.integers(0, len(MASH_NAMES), int(mash.sum()))]
    fn[lower] = np.char.lower(fn[lower].astype(str)).astype(object)
    ln[lower] = np.char.lower(ln[lower].astype(str)).astype(object)
    test_name = (persona == "internal") & (rng.random(n) < 0.5)
    fn[test_name] = "Test"
    ln[test_name] = "User"
    return fn, ln


def _draw_titles(rng: np.random.Generator, persona_idx: np.ndarray) -> np.ndarray:
    titles = np.empty(len(persona_idx), dtype=object)
    for i, p in enumerate(PERSONAS):
        m = persona_idx == i
        titles[m] = np.array(TITLES[p], dtype=object)[rng.integers(0, len(TITLES[p]), int(m.sum()))]
    return titles


def _draw_behaviour(rng: np.random.Generator, persona_idx: np.ndarray, intent: np.ndarray, is_spam: np.ndarray):
    """Behaviour counts per kind, web presence ({has_web, devices, sessions}) and product use ({signed_up,
    trial_started, onboarding_steps, demo_requested}): people without web activity have none of either."""
    n = len(persona_idx)
    counts: dict[str, np.ndarray] = {}
    for kind, base in BASE_COUNTS.items():
        slope = 0.8 if kind in INTENT_KINDS else 0.3
        counts[kind] = rng.poisson(np.asarray(base, dtype=float)[persona_idx] * VOLUME.get(kind, 1.0)
                                   * np.exp(slope * intent - slope * slope / 2))
    signed_up = rng.random(n) < _sigmoid(np.asarray(SIGNUP_LOGIT, dtype=float)[persona_idx] + 0.9 * intent)
    trial = signed_up & (rng.random(n) < _sigmoid(-0.8 + 1.0 * intent))
    steps = np.where(signed_up, rng.binomial(5, _sigmoid(-0.3 + 0.9 * intent)), 0)
    demo_req = rng.random(n) < _sigmoid(np.asarray(DEMO_REQUEST_LOGIT, dtype=float)[persona_idx] + 1.2 * intent)
    no_product = ~signed_up
    for kind in ("pv_app", "api_call", "feature_used"):
        counts[kind] = np.where(no_product, 0, counts[kind])
    sessions = 1 + rng.poisson(1.0 + 2.0 * np.exp(0.5 * intent - 0.125))
    has_web = rng.random(n) < np.where(is_spam, 0.5, 0.93)
    for kind in list(counts):
        if kind != "social":
            counts[kind] = np.where(has_web, counts[kind], 0)
    web = {"has_web": has_web, "devices": np.where(rng.random(n) < 0.25, 2, 1), "sessions": sessions}
    product = {
        "signed_up": signed_up & has_web,
        "trial_started": trial & has_web,
        "onboarding_steps": np.where(has_web, steps, 0).astype(np.int32),
        "demo_requested": demo_req & has_web,
    }
    return counts, web, product


def _draw_email_engagement(rng: np.random.Generator, intent: np.ndarray, is_spam: np.ndarray,
                           domain_kind: np.ndarray) -> dict[str, np.ndarray]:
    """Email: weekly nurture sends for EMAIL_DAYS; opens, clicks, replies driven by intent."""
    n = len(intent)
    sends = rng.poisson(np.where(is_spam, 3.0, 9.0))
    bounce = rng.random(n) < np.where(domain_kind == "disposable", 0.5, 0.02)
    hard_bounce = bounce & (rng.random(n) < 0.6)
    sends = np.where(hard_bounce, np.minimum(sends, 1), sends)
    opens = rng.binomial(sends, np.clip(_sigmoid(-0.9 + 0.7 * intent) * (~hard_bounce), 0, 1))
    clicks = rng.binomial(opens, _sigmoid(-1.6 + 0.9 * intent))
    replied = (clicks > 0) & (rng.random(n) < _sigmoid(-2.5 + 1.0 * intent))
    unsub = (sends > 0) & ~hard_bounce & (rng.random(n) < _sigmoid(-3.2 - 0.8 * intent))
    return {
        "email_sends": sends.astype(np.int32),
        "email_opens": opens.astype(np.int32),
        "email_clicks": clicks.astype(np.int32),
        "email_replied": replied,
        "email_unsubscribed": unsub,
        "email_bounced": bounce,
        "email_hard_bounced": hard_bounce,
    }


def _draw_social_and_survey(rng: np.random.Generator, persona: np.ndarray, intent: np.ndarray,
                            counts: dict[str, np.ndarray], signed_up: np.ndarray) -> dict[str, np.ndarray]:
    """A social handle for some people (only they keep their social counts, updated in `counts`); survey answers
    from some product users."""
    n = len(persona)
    has_handle = rng.random(n) < np.where(persona == "marketer", 0.6, 0.3)
    counts["social"] = np.where(has_handle, counts["social"], 0)
    answered = signed_up & (rng.random(n) < 0.45)
    rating = np.clip(np.round(5 + 2.2 * intent + rng.normal(0, 1.0, n)), 0, 10).astype(int)
    return {"has_social_handle": has_handle, "survey_answered": answered,
            "purchase_intent_rating": rating.astype(np.int32)}


def _true_logit(persona_idx: np.ndarray, intent: np.ndarray, employees: np.ndarray, domain_kind: np.ndarray,
                counts: dict[str, np.ndarray], product: dict, email: dict, answers: dict) -> np.ndarray:
    """The true log-odds of conversion: the ground truth the model should find."""
    features_adopted = np.minimum(counts["feature_used"], 8)
    rating = answers["purchase_intent_rating"].astype(int)
    return (INTERCEPT + np.asarray(PERSONA_EFFECT, dtype=float)[persona_idx]
            + WEIGHTS["log_employees"] * (np.log10(np.maximum(employees, 1)) - 2)
            + WEIGHTS["free_mail"] * (domain_kind == "free_mail")
            + WEIGHTS["disposable"] * (domain_kind == "disposable")
            + WEIGHTS["pv_pricing"] * np.log1p(counts["pv_pricing"])
            + WEIGHTS["pv_demo"] * np.log1p(counts["pv_demo"])
            + WEIGHTS["demo_requested"] * product["demo_requested"]
            + WEIGHTS["trial_started"] * product["trial_started"]
            + WEIGHTS["onboarding_steps"] * product["onboarding_steps"].astype(np.int64)
            + WEIGHTS["api_call"] * np.log1p(counts["api_call"])
            + WEIGHTS["features_adopted"] * features_adopted
            + WEIGHTS["file_downloaded"] * np.log1p(counts["file_downloaded"])
            + WEIGHTS["webinar_attended"] * np.log1p(counts["webinar_attended"])
            + WEIGHTS["email_clicks"] * np.log1p(email["email_clicks"].astype(np.int64))
            + WEIGHTS["email_replied"] * email["email_replied"]
            + WEIGHTS["unsubscribed"] * email["email_unsubscribed"]
            + WEIGHTS["purchase_intent"] * np.where(answers["survey_answered"], rating - 5, 0)
            + WEIGHTS["pv_careers"] * np.log1p(counts["pv_careers"])
            + WEIGHTS["intent"] * intent)


def _draw_outcome(rng: np.random.Generator, p: np.ndarray, first_touch, employees: np.ndarray,
                  intent: np.ndarray) -> dict[str, np.ndarray]:
    """Conversion with probability `p`: an opportunity after the active days, won or lost 30-90 days later."""
    n = len(p)
    converted = rng.random(n) < p
    opp_delay = rng.integers(ACTIVE_DAYS + 14, ACTIVE_DAYS + 63, size=n)
    opp_at = first_touch + pd.to_timedelta(opp_delay, unit="D") + pd.to_timedelta(rng.integers(0, 8 * 3600, n), unit="s")
    p_won = np.clip(0.30 + 0.08 * (np.log10(np.maximum(employees, 1)) - 2) + 0.05 * intent, 0.05, 0.8)
    won = converted & (rng.random(n) < p_won)
    close_at = opp_at + pd.to_timedelta(rng.integers(30, 91, n), unit="D")
    return {
        "is_converted": converted,
        "opportunity_created_at": np.where(converted, opp_at, pd.NaT),
        "is_won": won,
        "won_at": np.where(won, close_at, pd.NaT),
        "closed_at": np.where(converted, close_at, pd.NaT),
    }


def _draw_crm_record(rng: np.random.Generator, first_touch, country_idx: np.ndarray) -> dict[str, np.ndarray]:
    """CRM: the lead record appears when the person gives an email (form) shortly after first touch, with the
    country typed one of its ways."""
    n = len(country_idx)
    crm_delay = pd.to_timedelta(rng.integers(0, 2 * 86400, n), unit="s")
    typed_ways = np.array([[c[1][j % len(c[1])] for j in range(5)] for c in COUNTRIES], dtype=object)
    return {
        "created_at": first_touch + crm_delay,
        "country_typed": typed_ways[country_idx, rng.integers(0, 5, n)],
        "tz_minutes": np.array([c[2] for c in COUNTRIES])[country_idx],
    }


def _company_employees(idx: np.ndarray) -> np.ndarray:
    """Head count of a company, a deterministic function of its index (log-uniform 2 .. 50,000)."""
    h = (idx.astype(np.uint64) * np.uint64(2654435761)) % np.uint64(1_000_003)
    return np.round(10 ** (0.3 + 4.4 * (h.astype(float) / 1_000_003))).astype(np.int64)


def _company_country(idx: np.ndarray) -> np.ndarray:
    h = ((idx.astype(np.uint64) * np.uint64(40503)) % np.uint64(10_007)).astype(float) / 10_007
    cum = np.cumsum([c[3] for c in COUNTRIES])
    return np.minimum(np.searchsorted(cum / cum[-1], h, side="right"), len(COUNTRIES) - 1)


def _company_name(i: int) -> str:
    return (f"{COMPANY_WORDS[i % len(COMPANY_WORDS)]} {COMPANY_KINDS[(i // 25) % len(COMPANY_KINDS)]}"
            + (f" {i // 375}" if i >= 375 else "")
            + (f" {COMPANY_SUFFIX[(i // 7) % len(COMPANY_SUFFIX)]}" if COMPANY_SUFFIX[(i // 7) % len(COMPANY_SUFFIX)] else ""))


def _company_domain(i: int) -> str:
    slug = (COMPANY_WORDS[i % len(COMPANY_WORDS)] + COMPANY_KINDS[(i // 25) % len(COMPANY_KINDS)]).lower()
    return f"{slug}{i // 375 if i >= 375 else ''}{TLDS[(i // 3) % len(TLDS)]}"


# ---------------------------------------------------------------------------------------------- SQL expansion

# Web event kinds: (count column, event name, call type, host, paths, page title)
WWW = "https://www.acmeanalytics.io"
DOCS = "https://docs.acmeanalytics.io"
APP = "https://app.acmeanalytics.io"
WEB_KINDS = [
    ("n_pv_pricing", "page_viewed", "page", WWW, ["/pricing", "/pricing?plan=team", "/pricing#enterprise"], "Pricing"),
    ("n_pv_demo", "page_viewed", "page", WWW, ["/demo", "/demo?utm_source=google&utm_medium=cpc"], "Book a demo"),
    ("n_pv_docs", "page_viewed", "page", DOCS, ["/docs/getting-started", "/docs/sql-reference", "/docs/alerts",
                                                "/docs/api", "/docs/sso", "/docs/connectors"], "Docs"),
    ("n_pv_blog", "page_viewed", "page", WWW, ["/blog/modern-data-stack", "/blog/lead-scoring-101",
                                               "/blog/release-notes", "/blog/dbt-tips"], "Blog"),
    ("n_pv_general", "page_viewed", "page", WWW, ["/", "/product/dashboards", "/product/alerts",
                                                  "/integrations/snowflake", "/integrations/salesforce",
                                                  "/customers", "/about", "/contact", "/?ref=producthunt"], "Acme Analytics"),
    ("n_pv_careers", "page_viewed", "page", WWW, ["/careers", "/careers/data-engineer", "/careers/account-executive"], "Careers"),
    ("n_pv_whitepaper", "page_viewed", "page", WWW, ["/resources/whitepapers/state-of-analytics",
                                                     "/resources/whitepapers/roi-guide"], "Whitepaper"),
    ("n_pv_webinar", "page_viewed", "page", WWW, ["/webinars/analytics-in-practice", "/webinars/ai-for-bi"], "Webinar"),
    ("n_pv_app", "page_viewed", "page", APP, ["/app/home", "/app/dashboards", "/app/settings", "/app/alerts"], "App"),
    ("n_api_call", "api_call", "track", APP, ["/app/api-console"], None),
    ("n_feature_used", "feature_used", "track", APP, ["/app/dashboards", "/app/alerts", "/app/reports"], None),
    ("n_file_downloaded", "file_downloaded", "track", WWW, ["/resources/whitepapers/state-of-analytics"], None),
    ("n_webinar_attended", "webinar_attended", "track", WWW, ["/webinars/analytics-in-practice"], None),
    ("cast(signed_up as int)", "signed_up", "track", APP, ["/app/signup"], None),
    ("cast(trial_started as int)", "trial_started", "track", APP, ["/app/billing"], None),
    ("onboarding_steps", "onboarding_step_completed", "track", APP, ["/app/onboarding"], None),
    ("cast(demo_requested as int)", "demo_requested", "track", WWW, ["/demo"], None),
]
PRODUCT_EVENTS = ("api_call", "feature_used", "signed_up", "trial_started", "onboarding_step_completed")
FEATURES = ["dashboards", "alerts", "integrations", "reports", "sso", "export", "workflows", "api_keys"]
UNKNOWN_EVENTS = ["Page Viewed", "button_clicked", "signup", "pageview", "Order Completed"]


def _sql_list(values) -> str:
    return "[" + ", ".join("null" if v is None else "'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _pick(values, h: str) -> str:
    """SQL picking one of `values` by the hash expression `h`."""
    return f"{_sql_list(values)}[cast(1 + ({h}) % {len(values)} as bigint)]"


REFERRERS = ["https://www.google.com/", "https://www.linkedin.com/", "https://news.ycombinator.com/", "https://www.bing.com/"]
API_ENDPOINTS = ["/v1/query", "/v1/dashboards", "/v1/alerts", "/v1/export"]
FILES = ["whitepaper", "ebook", "datasheet", "case_study"]
TRIAL_PLANS = ["pro", "team", "enterprise"]
WEB_CHUNK_ROWS = 3_000_000  # expanded rows per chunk of people (bounds memory: at most three chunks are held)
ARROW_BATCH_ROWS = 1 << 18
# Chunks written by one INSERT (over an Arrow stream). At 1M leads (32 chunks): one INSERT per chunk took 335 s
# of CPU, one per 4 chunks 287 s, one per 8 chunks 317 s, and one for all 393 s (DuckDB's work per statement
# grows with the rows a transaction holds; each statement also commits a half-filled row group).
CHUNKS_PER_INSERT = 4
EMAIL_KINDS = [("send", "email_sends"), ("delivered", "email_sends - cast(email_bounced as int)"),
               ("open", "email_opens"), ("click", "email_clicks"), ("reply", "cast(email_replied as int)"),
               ("bounce", "cast(email_bounced as int)"), ("unsubscribe", "cast(email_unsubscribed as int)")]
EMAIL_LINKS = [WWW + "/pricing?utm_source=email", WWW + "/blog/lead-scoring-101?utm_source=email",
               WWW + "/webinars/ai-for-bi?utm_source=email", DOCS + "/docs/getting-started"]  # rows per Arrow record batch: the unit DuckDB's scan parallelises over


def chunk_ends(rows_per_person: np.ndarray, rows_per_chunk: int) -> list[int]:
    """End (exclusive) of each chunk of people, so that a chunk expands to about `rows_per_chunk` rows."""
    cum = np.cumsum(rows_per_person)
    ends, start = [], 0
    while start < len(cum):
        before = cum[start - 1] if start else 0
        end = min(max(int(np.searchsorted(cum, before + rows_per_chunk, side="right")), start + 1), len(cum))
        ends.append(end)
        start = end
    return ends


def mess_rows(keys: tuple[np.ndarray, ...], flagged: list) -> tuple[np.ndarray, ...]:
    """(person_id, kind, i, code) of the rows selected by each (mask, code or codes) of `flagged`."""
    out = [[], [], [], []]
    for mask, codes in flagged:
        idx = np.flatnonzero(mask)
        for j, key in enumerate(keys):
            out[j].append(key[idx])
        out[3].append(codes[idx] if isinstance(codes, np.ndarray) else np.full(len(idx), codes))
    types = (np.int64, np.int32, np.int64, np.int8)
    return tuple(np.concatenate(part + [np.zeros(0, dtype=t)]).astype(t) for part, t in zip(out, types))


class _Dictionary:
    """Distinct strings and the index of each (Arrow dictionaries must not repeat a value)."""

    def __init__(self):
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]

    def array(self) -> pa.Array:
        return pa.array(self.values, type=pa.string())


class RowHasher:
    """DuckDB's `hash(seed, x, y, ...)` in NumPy, for integer columns and columns of a few constant strings:
    the same bits as the SQL generators use, so every row stays a pure function of its key. Each argument
    signature is checked against DuckDB itself on a sample before it is trusted."""

    M = np.uint64(0xD6E8FEB86659FD93)

    def __init__(self, con, seed: int):
        self.con, self.seed = con, seed
        small = -(2**31) <= seed < 2**31  # a SQL literal of this size is an INTEGER, else a BIGINT
        self.seed_hash = self._mix(np.array([seed & (0xFFFFFFFF if small else 0xFFFFFFFFFFFFFFFF)], dtype=np.uint64))[0]
        self.checked: set[tuple[str, ...]] = set()

    @classmethod
    def _mix(cls, x: np.ndarray) -> np.ndarray:
        x = x.copy()
        x ^= x >> np.uint64(32)
        x *= cls.M
        x ^= x >> np.uint64(32)
        x *= cls.M
        x ^= x >> np.uint64(32)
        return x

    def string_hashes(self, values: list[str]) -> np.ndarray:
        rows = self.con.execute("select hash(v) from unnest(?::varchar[]) with ordinality as t(v, o) order by o",
                                [values]).fetchall()
        return np.array([r[0] for r in rows], dtype=np.uint64)

    def hash(self, *cols) -> np.ndarray:
        """hash(seed, *cols); each col is ("bigint", int array), ("integer", int array) or
        ("varchar", (codes, strings)) for a column of strings given as codes into a short list."""
        with np.errstate(over="ignore"):
            acc = np.full(len(cols[0][1] if cols[0][0] != "varchar" else cols[0][1][0]), self.seed_hash, dtype=np.uint64)
            for type_, values in cols:
                if type_ == "bigint":
                    vh = self._mix(values.astype(np.int64).view(np.uint64))
                elif type_ == "integer":
                    vh = self._mix(values.astype(np.int32).view(np.uint32).astype(np.uint64))
                else:
                    codes, strings = values
                    vh = self.string_hashes(list(strings))[codes]
                acc ^= acc >> np.uint64(32)
                acc *= self.M
                acc ^= vh
        signature = tuple(t for t, _ in cols)
        if signature not in self.checked and len(acc):
            self.check(cols, acc)
            self.checked.add(signature)
        return acc

    def check(self, cols, got: np.ndarray) -> None:
        n = min(len(got), 2000)
        data = {}
        for j, (type_, values) in enumerate(cols):
            if type_ == "varchar":
                codes, strings = values
                data[f"c{j}"] = pa.array(np.array(strings, dtype=object)[codes[:n]].tolist(), type=pa.string())
            else:
                data[f"c{j}"] = pa.array(values[:n].astype(np.int64 if type_ == "bigint" else np.int32))
        data["o"] = pa.array(np.arange(n))
        self.con.register("hash_sample", pa.table(data))
        args = ", ".join(f"c{j}" for j in range(len(cols)))
        want = self.con.execute(f"select hash({self.seed}, {args}) as h from hash_sample order by o").fetchnumpy()["h"]
        self.con.unregister("hash_sample")
        if not np.array_equal(np.asarray(want, dtype=np.uint64), got[:n]):
            raise RuntimeError("NumPy row hash differs from DuckDB's hash(): this DuckDB version hashes differently")


class WebLookups:
    """Every low-cardinality text of raw_web.events, as Arrow dictionaries, and NumPy tables that map a row's
    kind and hash bits to an index into them (the same choices the SQL `_pick` helpers make)."""

    def __init__(self):
        kinds = WEB_KINDS
        names = [k[1] for k in kinds]
        self.kind_of = {name: k for k, name in reversed(list(enumerate(names)))}
        ev = _Dictionary()
        self.event_of_kind = np.array([ev.add(n) for n in names], dtype=np.int32)
        self.unknown_event = np.array([ev.add(n) for n in UNKNOWN_EVENTS], dtype=np.int32)
        self.events = ev.array()
        ty = _Dictionary()
        self.type_of_kind = np.array([ty.add(k[2]) for k in kinds], dtype=np.int32)
        self.types = ty.array()
        urls, paths = _Dictionary(), _Dictionary()
        flat_url, flat_path, offset, count = [], [], [], []
        for k in kinds:
            offset.append(len(flat_url))
            count.append(len(k[4]))
            for path in k[4]:
                flat_url.append(urls.add(k[3] + path))
                flat_path.append(paths.add(path.split("?")[0].split("#")[0]))
        self.url_offset, self.url_count = np.array(offset, dtype=np.int64), np.array(count, dtype=np.int64)
        self.flat_url, self.flat_path = np.array(flat_url, dtype=np.int32), np.array(flat_path, dtype=np.int32)
        self.urls, self.paths = urls.array(), paths.array()
        self.referrers = pa.array(REFERRERS)
        # per kind: whether the event carries the user id, and may carry a negative duration (pages, API calls)
        self.is_product = np.array([w[1] in PRODUCT_EVENTS or w[0] == "n_pv_app" for w in kinds])
        self.can_neg = np.array([w[2] == "page" or w[1] == "api_call" for w in kinds])
        self.signed_up_kind = self.kind_of["signed_up"]
        # properties: every possible JSON text (and its malformed twin, cut short by one character)
        api_text = [cast_double_texts([v / 1000.0 for v in range(2000)])]
        props = _Dictionary()
        raw: list[str] = []
        self.page_base = len(raw)
        for k in range(9):
            title = kinds[k][5]
            raw += [f'{{"title": "{title}", "duration_s": {-1 - j}}}' for j in range(100)]
            raw += [f'{{"title": "{title}", "duration_s": {3 + j}}}' for j in range(300)]
        self.api_base = len(raw)
        for e in API_ENDPOINTS:
            raw += [f'{{"endpoint": "{e}", "duration_s": -0.5}}'] + [
                f'{{"endpoint": "{e}", "duration_s": {t}}}' for t in api_text[0]]
        self.feature_base = len(raw)
        raw += [f'{{"feature": "{f}"}}' for f in FEATURES]
        self.file_base = len(raw)
        raw += [f'{{"file": "{f}", "title": "State of Analytics 2026"}}' for f in FILES]
        self.webinar_at = len(raw)
        raw += ['{"webinar": "Analytics in practice"}', '{"plan": "free"}']
        self.trial_base = len(raw)
        raw += [f'{{"plan": "{p}"}}' for p in TRIAL_PLANS]
        self.step_base = len(raw)
        raw += [f'{{"step": {s}}}' for s in range(1, 6)]
        self.empty_at = len(raw)
        raw += ["{}"]
        self.n_raw = len(raw)
        # per kind, the rule (kernels.PROP_*) that picks its properties text; per rule, its first text
        rules = {"api_call": kernels.PROP_API, "feature_used": kernels.PROP_FEATURE,
                 "file_downloaded": kernels.PROP_FILE, "webinar_attended": kernels.PROP_WEBINAR,
                 "signed_up": kernels.PROP_SIGNUP, "trial_started": kernels.PROP_TRIAL,
                 "onboarding_step_completed": kernels.PROP_STEP}
        self.prop_rule = np.array([kernels.PROP_PAGE if w[2] == "page" else rules.get(w[1], kernels.PROP_EMPTY)
                                   for w in kinds], dtype=np.int64)
        self.prop_base = np.array([self.page_base, self.api_base, self.feature_base, self.file_base,
                                   self.webinar_at, self.webinar_at + 1, self.trial_base, self.step_base,
                                   self.empty_at], dtype=np.int64)
        self.props_map = np.array([props.add(r) for r in raw] + [props.add(r[:-1]) for r in raw], dtype=np.int32)
        self.properties = props.array()


def string_buffers(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The offsets and data of a string column without nulls, as NumPy arrays (for the kernels)."""
    array = column.combine_chunks().cast(pa.string())
    if array.null_count:
        raise ValueError("string_buffers: the column has nulls")
    _validity, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


def cast_double_texts(values: list[float]) -> list[str]:
    """DuckDB's own text for these doubles (cast(x as varchar)), so the JSON reads as the SQL would write it."""
    import duckdb

    with duckdb.connect() as con:
        return [r[0] for r in con.execute("select cast(unnest(?::double[]) as varchar)", [values]).fetchall()]


_WEB_LOOKUPS: list[WebLookups] = []


def web_lookups() -> WebLookups:
    if not _WEB_LOOKUPS:
        _WEB_LOOKUPS.append(WebLookups())
    return _WEB_LOOKUPS[0]


class _Prefetcher:
    """Runs `produce(k)` for k in range(n) on a worker thread, at most one result waiting to be taken:
    `results()` yields (k, result) in order and raises the worker's error, if any, at its end."""

    def __init__(self, name: str, n: int, produce):
        self.n = n
        self.produce = produce
        self.ready: queue.Queue = queue.Queue(maxsize=1)
        self.stop = threading.Event()
        self.failed: list[BaseException] = []
        self.worker = threading.Thread(target=self._work, name=name, daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _work(self) -> None:
        try:
            for k in range(self.n):
                if self.stop.is_set():
                    return
                item = (k, self.produce(k))
                while not self.stop.is_set():
                    try:
                        self.ready.put(item, timeout=0.5)
                        break
                    except queue.Full:
                        continue
        except BaseException as e:  # handed to the reader, which raises it
            self.failed.append(e)
        finally:
            self.ready.put((None, None))

    def results(self):
        while True:
            k, item = self.ready.get()
            if k is None:
                if self.failed:
                    raise self.failed[0]
                return
            yield k, item

    def close(self) -> None:
        """Stop the worker (it may wait to put a result: take them) and wait for it to end."""
        self.stop.set()
        while self.worker.is_alive():
            try:
                self.ready.get(timeout=0.1)
            except queue.Empty:
                pass
        self.worker.join()


class Generator:
    def __init__(self, con, seed: int, start: dt.date, end: dt.date, log):
        self.con, self.seed, self.start, self.end, self.log = con, seed, start, end, log
        self.days = (end - start).days + 1
        self.t0 = time.perf_counter()

    # ------------------------------------------------------------------ entry points
    def generate(self, leads: int) -> None:
        con = self.con
        self.progress(f"{leads:,} leads, {self.start} .. {self.end}, seed {self.seed}")
        schema.create_raw_tables(con)
        con.execute(f"drop schema if exists {TRUTH} cascade")
        con.execute(f"create schema {TRUTH}")
        persons = draw_persons(np.random.default_rng(self.seed), 0, leads, self.start, self.days, n_companies_for(leads))
        self.progress(f"drew {len(persons):,} people (latent model)")
        con.register("persons_df", persons)
        con.execute(f"create table {TRUTH}.leads as select * from persons_df")
        con.unregister("persons_df")
        con.execute(f"create table {TRUTH}.planted_mess (source_table varchar, row_key varchar, mess_kind varchar)")
        params = {"seed": self.seed, "leads": leads, "start": self.start.isoformat(),
                  "end": self.end.isoformat(), "days": self.days, "version": 1}
        con.execute(f"create table {TRUTH}.generation_params (key varchar, value varchar)")
        con.executemany(f"insert into {TRUTH}.generation_params values (?, ?)", [(k, str(v)) for k, v in params.items()])
        self.params_days, self.day_lo, self.day_hi = self.days, 0, self.days
        self.write_window(leads, lo=None, hi=self.end + dt.timedelta(days=1), person_filter="true", static=True)
        con.execute("checkpoint")
        self.progress("checkpoint written")
        self.finish()

    def append(self, leads: int) -> None:
        """Append the day after `self.end`: new people created that day and every row loaded that day."""
        con = self.con
        day = self.end + dt.timedelta(days=1)
        d = self.days  # day index of the new day
        new = int(np.floor((d + 1) * leads / self.days) - np.floor(d * leads / self.days))
        first_pid = con.execute(f"select coalesce(max(person_id) + 1, 0) from {TRUTH}.leads").fetchall()[0][0]
        persons = draw_persons(np.random.default_rng([self.seed, d]), first_pid, new, day, 1, n_companies_for(leads))
        con.register("persons_df", persons)
        con.execute(f"insert into {TRUTH}.leads by name select * from persons_df")
        con.unregister("persons_df")
        self.progress(f"appending {day}: {new} new people")
        lo = day
        self.write_window(leads, lo=lo, hi=day + dt.timedelta(days=1),
                          person_filter=f"first_touch_at >= timestamp '{lo}' - interval 200 day", static=False)
        con.execute(f"update {TRUTH}.generation_params set value = ? where key = 'end'", [day.isoformat()])
        self.finish()

    def finish(self) -> None:
        counts = {t.qualified_name: self.con.execute(f"select count(*) from {t.qualified_name}").fetchall()[0][0]
                  for t in schema.RAW_TABLES}
        total = sum(counts.values())
        self.progress(f"done: {total:,} raw rows (" + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ")")

    def progress(self, msg: str) -> None:
        self.log(f"{time.perf_counter() - self.t0:7.1f}s  {msg}")

    # ------------------------------------------------------------------ shared SQL pieces
    def u(self, *parts: str, mod: int = 1_000_000) -> str:
        """A uniform in [0, 1) from a hash of the seed and `parts` (SQL)."""
        return f"((hash({self.seed}, {', '.join(parts)}) % {mod}) / {float(mod)})"

    def h(self, *parts: str) -> str:
        return f"hash({self.seed}, {', '.join(parts)})"

    def write_window(self, leads: int, lo, hi, person_filter: str, static: bool) -> None:
        con = self.con
        self.lo = "timestamp '1900-01-01'" if lo is None else f"timestamp '{lo}'"
        self.hi = f"timestamp '{hi}'"
        self.lo_us = -(2**62) if lo is None else _epoch_us(lo)
        self.hi_us = _epoch_us(hi)
        con.execute(f"create or replace temp table people as {self.people_sql(person_filter)}")
        con.execute("create or replace temp table other_web_events as select *, '' as source from raw_web.events limit 0")
        steps = [
            ("raw_crm.users", self.users_sql, static),
            ("raw_crm.accounts", self.accounts_sql, static),
            ("raw_crm.leads", self.leads_sql, True),
            ("raw_crm.opportunities", self.opportunities_sql, True),
            ("raw_web.identifies", self.identifies_sql, True),
            ("raw_email.campaigns", self.campaigns_sql, True),
            ("raw_email.email_events", self.write_email_events, True),
            ("raw_social.engagements", self.social_sql, True),
            ("raw_forms.submissions", self.forms_sql, True),
            ("raw_surveys.responses", self.surveys_sql, True),
            ("raw_web.events", self.write_web_events, True),
            ("raw_web.events", self.bot_events_sql, True),
            ("raw_web.events", self.unknown_visitor_events_sql, True),
        ]
        for table, make_sql, enabled in steps:
            if not enabled:
                continue
            if make_sql in (self.write_web_events, self.write_email_events):
                added = make_sql()
            elif make_sql in (self.bot_events_sql, self.unknown_visitor_events_sql):
                # kept apart too: the planted mess lists these visitors' anonymous ids
                con.execute(f"insert into other_web_events by name select * from ({make_sql(leads)}) "
                            f"where _loaded_at >= {self.lo} and _loaded_at < {self.hi}")
                added = con.execute(f"insert into {table} by name select * exclude (source) from other_web_events "
                                    f"where source = '{make_sql.__name__}'").fetchall()[0][0]
            else:
                added = con.execute(f"insert into {table} by name select * from ({make_sql()}) "
                                    f"where _loaded_at >= {self.lo} and _loaded_at < {self.hi}").fetchall()[0][0]
            self.progress(f"{table}: +{added:,} rows")
        self.record_mess(leads)
        self.progress("planted mess recorded")

    def people_sql(self, person_filter: str) -> str:
        s = self.seed
        return f"""
        select
            *,
            '00Q' || lpad(cast(person_id as varchar), 12, '0') || 'AAA' as crm_id,
            '00Q' || lpad(cast(person_id as varchar), 12, '0') || 'DUP' as crm_dup_id,
            'a' || substr(md5('{s}-' || person_id || '-1'), 1, 19) as anon1,
            'a' || substr(md5('{s}-' || person_id || '-2'), 1, 19) as anon2,
            case when signed_up then 'usr_' || person_id end as user_id,
            case when tz_minutes = 0 then 'Z'
                 else (case when tz_minutes < 0 then '-' else '+' end)
                      || lpad(cast(abs(tz_minutes) // 60 as varchar), 2, '0') || ':'
                      || lpad(cast(abs(tz_minutes) % 60 as varchar), 2, '0') end as tz_text,
            '@' || lower(replace(replace(first_name, ' ', ''), '''', '')) || '_'
                || lower(replace(replace(last_name, ' ', ''), '''', '')) || cast(person_id % 997 as varchar) as handle,
            case when not has_web then {_pick(['Event', 'List Import', 'Partner', 'Referral'], self.h('person_id', "'src'"))}
                 else {_pick(LEAD_SOURCES, self.h('person_id', "'src'"))} end as lead_source,
            {_pick(BROWSERS, self.h('person_id', "'ua'"))} as user_agent,
            '001' || lpad(cast(company_idx as varchar), 12, '0') || 'AAA' as account_id,
            {self.owner_sql('territory', self.h('person_id', "'owner'"))} as owner_id
        from {TRUTH}.leads
        where {person_filter}
        """

    def owner_sql(self, territory: str, h: str) -> str:
        cases = []
        base = 0
        for t in TERRITORIES:
            n = REPS_PER_TERRITORY[t]
            cases.append(f"when '{t}' then {base} + ({h}) % {n}")
            base += n
        idx = f"(case {territory} {' '.join(cases)} else 0 end)"
        return f"'005' || lpad(cast({idx} as varchar), 12, '0') || 'AAA'"

    def ts_text(self, ts: str, tz_minutes: str, tz_text: str) -> str:
        return f"strftime({ts} + to_minutes(cast({tz_minutes} as bigint)), '%Y-%m-%dT%H:%M:%S') || {tz_text}"

    def typed_email(self, email: str, h: str) -> str:
        """The email as a person types it: sometimes with capitals or stray spaces."""
        return (f"case ({h}) % 20 when 0 then upper({email}) when 1 then ' ' || {email} || ' ' "
                f"when 2 then upper(substr({email}, 1, 1)) || substr({email}, 2) else {email} end")

    def broken_email(self, email: str, u: str, h: str) -> str:
        """Missing (1%) or invalid (1%) email, else the email as typed."""
        invalid = (f"case ({h}) % 4 when 0 then replace({email}, '@', ' at ') when 1 then split_part({email}, '@', 1) || '@' "
                   f"when 2 then 'n/a' else replace({email}, '@', '@@') end")
        return (f"case when {u} < {RATES['missing_email']} then null "
                f"when {u} < {RATES['missing_email'] + RATES['invalid_email']} then {invalid} "
                f"else {self.typed_email(email, h)} end")

    # ------------------------------------------------------------------ CRM
    def users_sql(self) -> str:
        rows = []
        k = 0
        for t in TERRITORIES:
            for j in range(REPS_PER_TERRITORY[t]):
                fn, ln = FIRST_NAMES[(k * 7) % len(FIRST_NAMES)], LAST_NAMES[(k * 11) % len(LAST_NAMES)]
                name = f"{fn} {ln}".replace("'", "''")
                mail = f"{fn}.{ln}".lower().replace("'", "").replace(" ", "") + f"@{INTERNAL_DOMAIN}"
                rows.append(f"({k}, '{name}', '{mail}', '{t}', {'false' if j == REPS_PER_TERRITORY[t] - 1 and t == 'NA' else 'true'})")
                k += 1
        return f"""
        select
            '005' || lpad(cast(k as varchar), 12, '0') || 'AAA' as id,
            name, email, territory, is_active,
            timestamp '{self.start}' - to_days(cast(400 + k * 13 as bigint)) as created_date,
            timestamp '{self.start}' - to_days(cast(30 + k as bigint)) as last_modified_date,
            timestamp '{self.start}' - to_days(cast(30 + k as bigint)) + interval 1 hour as _loaded_at
        from (values {', '.join(rows)}) as t(k, name, email, territory, is_active)
        """

    def accounts_sql(self) -> str:
        leads = int(self.con.execute(f"select value from {TRUTH}.generation_params where key = 'leads'").fetchall()[0][0])
        n_companies = n_companies_for(leads)
        names = [_company_name(i) for i in range(n_companies)]
        domains = [_company_domain(i) for i in range(n_companies)]
        idx = np.arange(n_companies)
        df = pd.DataFrame({
            "company_idx": idx,
            "name": names,
            "domain": domains,
            "employees": _company_employees(idx),
            "country_idx": _company_country(idx),
        })
        df["billing_country"] = [COUNTRIES[c][1][0] for c in df["country_idx"]]
        df["territory"] = [COUNTRIES[c][4] for c in df["country_idx"]]
        self.con.register("companies_df", df)
        self.con.execute("create or replace temp table companies as select * from companies_df")
        self.con.unregister("companies_df")
        h = self.h("company_idx", "'acct'")
        return f"""
        with base as (
            select
                *,
                timestamp '{self.start}' - to_seconds(cast(({h}) % (1000 * 86400) as bigint)) as created_date
            from companies
        ),
        versions as (
            select base.*, v.version
            from base, (values (1), (2)) as v(version)
            where v.version = 1 or ({h} >> 8) % 100 < 5
        )
        select
            '001' || lpad(cast(company_idx as varchar), 12, '0') || 'AAA' as id,
            case when version = 1 and ({h} >> 8) % 100 < 5 then upper(name) else name end as name,
            'https://www.' || domain as website,
            {_pick(INDUSTRIES, f'{h} >> 16')} as industry,
            cast(case when ({h} >> 24) % 10 = 0 then null else employees end as integer) as number_of_employees,
            case when ({h} >> 28) % 10 = 0 then null else round(employees * (50000 + ({h} >> 32) % 200000), -3) end
                as annual_revenue,
            billing_country,
            {self.owner_sql('territory', f'{h} >> 36')} as owner_id,
            created_date,
            created_date + to_days(cast(version * 3 as bigint)) as last_modified_date,
            version = 2 and ({h} >> 40) % 100 < 20 as is_deleted,
            created_date + to_days(cast(version * 3 as bigint)) + interval 2 hour as _loaded_at
        from versions
        """

    def leads_sql(self) -> str:
        h = self.h("person_id", "'crm'")
        u = self.u("person_id", "'crm_email'")
        phone = (f"case ({h} >> 4) % 6 when 0 then null when 1 then '+1 (415) 555-' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 2 then '415.555.' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 3 then '+44 20 7946 ' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 4 then '0049 30 ' || cast(1000000 + person_id % 9000000 as varchar) "
                 f"else '+1-212-555-' || lpad(cast(person_id % 10000 as varchar), 4, '0') end")
        company = (f"case when persona = 'internal' then {_pick(['Acme Analytics', 'Test Co', 'test'], f'{h} >> 8')} "
                   f"when persona = 'student' and ({h} >> 8) % 3 = 0 then 'Student' "
                   f"when ({h} >> 8) % 25 = 0 then upper(c.name) when ({h} >> 8) % 25 = 1 then c.name || ' ' "
                   f"else c.name end")
        title = (f"case when ({h} >> 12) % 20 = 0 then upper(title) when ({h} >> 12) % 20 = 1 then ' ' || title || ' ' "
                 f"when ({h} >> 12) % 20 = 2 then null else title end")
        custom = f"""
            case when ({h} >> 20) % 4 = 0 then round(1000 * (1 + ({h} >> 22) % 200), -2) end as budget__c,
            case when ({h} >> 24) % 5 < 2 then {_pick(['This quarter', 'Next quarter', 'This year', 'Just researching'], f'{h} >> 26')} end
                as purchase_timeline__c,
            case when ({h} >> 28) % 2 = 0 then {_pick(['Analytics Pro', 'Analytics Team', 'Enterprise', 'API'], f'{h} >> 30')} end
                as product_interest__c,
            cast(case when ({h} >> 32) % 5 = 0 then 1 + ({h} >> 34) % 50 end as integer) as seats_requested__c"""
        return f"""
        with records as (
            -- the primary record of every person, and a second record for some (same person, email variant)
            select p.*, false as is_dup, p.crm_id as id, p.created_at as rec_created
            from people as p
            union all
            select p.*, true as is_dup, p.crm_dup_id as id,
                p.created_at + to_seconds(cast(5 * 86400 + ({h} >> 40) % (55 * 86400) as bigint)) as rec_created
            from people as p
            where {self.u('person_id', "'dup'")} < {RATES['crm_duplicate_person']}
        ),
        versions as (
            -- version 1 when created; version 2 (a later edit) for some records
            select r.*, v.version
            from records as r, (values (1), (2)) as v(version)
            where v.version = 1 or {self.u('id', "'stale'")} < {RATES['crm_stale_version']}
        )
        select
            id,
            case when persona = 'internal' or ({h} >> 44) % 50 <> 0 then first_name else upper(first_name) end as first_name,
            last_name,
            case when is_dup then case ({h} >> 48) % 3 when 0 then '  ' || upper(email)
                 when 1 then upper(substr(email, 1, 1)) || substr(email, 2) || ' ' else ' ' || email || '  ' end
                 else {self.broken_email('email', u, f'{h} >> 2')} end as email,
            {phone} as phone,
            {company} as company,
            {title} as title,
            case when ({h} >> 14) % 20 = 0 then null else {_pick(INDUSTRIES, 'c.company_idx * 7')} end as industry,
            cast(case when ({h} >> 16) % 10 = 0 then null else p_employees end as integer) as number_of_employees,
            case when ({h} >> 18) % 8 = 0 then null else round(p_employees * (50000 + (c.company_idx * 7919) % 200000), -3) end
                as annual_revenue,
            country_typed as country,
            lead_source,
            case when version = 1 then 'Open' else {_pick(LEAD_STATUSES, f'{h} >> 36')} end as status,
            owner_id,
            case when has_social_handle and ({h} >> 38) % 5 <> 0
                 then case when ({h} >> 39) % 2 = 0 then handle else upper(substr(handle, 1, 2)) || substr(handle, 3) end end
                as social_handle,
            rec_created as created_date,
            case when version = 1 then rec_created
                 else rec_created + to_seconds(cast(3600 + ({h} >> 42) % (30 * 86400) as bigint)) end as last_modified_date,
            version = 2 and {self.u('id', "'del'")} < {RATES['soft_deleted'] / RATES['crm_stale_version']} as is_deleted,
            {custom},
            (case when version = 1 then rec_created
                  else rec_created + to_seconds(cast(3600 + ({h} >> 42) % (30 * 86400) as bigint)) end)
                + to_seconds(cast(600 + ({h} >> 46) % 7200 as bigint)) as _loaded_at
        from (select versions.*, employees as p_employees from versions) as r
        inner join companies as c on r.company_idx = c.company_idx
        """

    def opportunities_sql(self) -> str:
        h = self.h("person_id", "'opp'")
        return f"""
        with opps as (
            select p.*, v.version
            from people as p, (values (1), (2)) as v(version)
            where p.is_converted
        )
        select
            '006' || lpad(cast(person_id as varchar), 12, '0') || 'AAA' as id,
            c.name || ' - ' || {_pick(['New Business', 'Team Plan', 'Enterprise', 'Pilot'], f'{h}')} as name,
            account_id,
            case when ({h} >> 4) % 5 <> 0 then crm_id end as lead_id,
            case when ({h} >> 4) % 5 = 0 or ({h} >> 8) % 2 = 0 then {self.typed_email('email', f'{h} >> 12')} end
                as contact_email,
            case when version = 1 then {_pick(['Prospecting', 'Qualification', 'Proposal'], f'{h} >> 16')}
                 when is_won then 'Closed Won' else 'Closed Lost' end as stage_name,
            round(1000 * (5 + ({h} >> 20) % 95) * (case when opps.employees > 1000 then 4 else 1 end), -2) as amount,
            opportunity_created_at as created_date,
            cast(closed_at as date) as close_date,
            version = 2 as is_closed,
            version = 2 and is_won as is_won,
            owner_id,
            case when version = 1 then opportunity_created_at else closed_at end as last_modified_date,
            version = 2 and ({h} >> 28) % 100 = 0 as is_deleted,
            (case when version = 1 then opportunity_created_at else closed_at end) + interval 3 hour as _loaded_at
        from opps
        inner join companies as c on opps.company_idx = c.company_idx
        """

    def identifies_sql(self) -> str:
        return f"""
        with devices as (
            select p.*, d.device
            from people as p, (values (1), (2)) as d(device)
            where p.has_web and (d.device = 1 or (p.devices = 2 and {self.u('person_id', "'dev2'")} < 0.6))
        ),
        calls as (
            select
                *,
                created_at + to_seconds(cast((device - 1) * (3 * 86400 + {self.h('person_id', "'idt'")} % (20 * 86400)) as bigint))
                    as identified_at
            from devices
        )
        select
            'idf_' || person_id || '_' || device as message_id,
            case when device = 1 then anon1 else anon2 end as anonymous_id,
            case when device = 2 then user_id end as user_id,
            {self.broken_email('email', self.u('person_id', 'device', "'idf_email'"), self.h('person_id', "'idf_typed'"))} as email,
            '{{"first_name": "' || replace(first_name, '"', '') || '", "title": "' || coalesce(replace(title, '"', ''), '') || '"}}'
                as traits,
            {self.ts_text('identified_at', 'tz_minutes', 'tz_text')} as timestamp,
            identified_at + to_seconds(cast(60 + {self.h('person_id', 'device', "'idl'")} % 3600 as bigint)) as _loaded_at
        from calls
        """

    # ------------------------------------------------------------------ email
    def campaigns_sql(self) -> str:
        weeks = self.days // 7 + 40
        types = ["newsletter", "nurture", "webinar_invite", "product_update", "promotion"]
        return f"""
        select
            'cmp_' || lpad(cast(w as varchar), 4, '0') as campaign_id,
            {_pick(['Weekly digest', 'Nurture: getting value', 'Webinar invite', 'Product update', 'Spring offer'], 'w')}
                || ' #' || w as name,
            {_pick(types, 'w')} as campaign_type,
            timestamp '{self.start}' + to_days(cast(7 * w - 2 as bigint)) as created_at,
            timestamp '{self.start}' + to_days(cast(7 * w - 2 as bigint)) + interval 1 hour as _loaded_at
        from range({weeks}) as t(w)
        """

    # ------------------------------------------------------------------ email events (bulk, NumPy + Arrow)
    def write_email_events(self) -> int:
        """Email events like web events: NumPy expands and derives, DuckDB writes (see write_web_events)."""
        counts_sql = ", ".join(f"greatest(cast({expr} as integer), 0) as c{j}" for j, (_, expr) in enumerate(EMAIL_KINDS))
        p = self.con.sql(f"""select person_id, epoch_us(created_at) as created_us, email, email_hard_bounced, {counts_sql}
            from people order by person_id""").to_arrow_table()
        counts = np.stack([p.column(f"c{j}").to_numpy() for j in range(len(EMAIL_KINDS))], axis=1)
        return self.write_expanded("raw_email.email_events", p, counts, self._email_chunk, "email_mess", """
            select concat('em_', person_id, '_', event_type, '_', i) as event_id, campaign_id, recipient_email,
                event_type, bounce_type, link_url, occurred_at, _loaded_at
            from chunk""")

    def _email_chunk(self, p, counts: np.ndarray, cur, hasher: RowHasher):
        kinds = [k for k, _ in EMAIL_KINDS]
        n, k_n = counts.shape
        flat = counts.reshape(-1)
        pidx = np.repeat(np.repeat(np.arange(n, dtype=np.int64), k_n), flat)
        kind = np.repeat(np.tile(np.arange(k_n, dtype=np.int32), n), flat)
        i = np.arange(len(pidx), dtype=np.int64) - np.repeat(np.cumsum(flat) - flat, flat)
        pids = p.column("person_id").to_numpy()
        person_id = pids[pidx]
        h = hasher.hash(("bigint", person_id), ("varchar", (kind, kinds)), ("bigint", i))
        send_h = hasher.hash(("bigint", person_id), ("varchar", (np.zeros(len(i), dtype=np.int32), ["send"])),
                                  ("bigint", i))
        send_s = (p.column("created_us").to_numpy()[pidx] // 1_000_000
                  + 86400 + 7 * 86400 * i + (send_h % 21600).astype(np.int64))
        k = {name: j for j, name in enumerate(kinds)}
        delay = np.zeros(len(h), dtype=np.int64)
        for name, base, mod in (("delivered", 5, 120), ("bounce", 5, 120), ("open", 600, 2 * 86400),
                                ("click", 2 * 86400 + 60, 3600), ("reply", 2 * 86400 + 7200, 86400),
                                ("unsubscribe", 3 * 86400, 86400)):
            sel = kind == k[name]
            delay[sel] = base + (h[sel] % mod).astype(np.int64)
        occurred_s = send_s + delay
        dup = np.flatnonzero((h >> 40) % 1000 < 5)
        copy = np.zeros(len(h) + len(dup), dtype=np.int64)
        copy[len(h):] = 1
        h, pidx, kind, i, person_id, send_s, occurred_s = (
            np.concatenate([a, a[dup]]) for a in (h, pidx, kind, i, person_id, send_s, occurred_s))
        loaded_s = occurred_s + 300 + ((h >> 28) % 3600).astype(np.int64) + copy * (3600 + (h >> 32) % 86400).astype(np.int64)
        loaded_us = loaded_s * 1_000_000
        keep = (loaded_us >= self.lo_us) & (loaded_us < self.hi_us)
        if not keep.all():
            sel = np.flatnonzero(keep)
            h, pidx, kind, i, person_id, send_s, occurred_s, copy, loaded_us = (
                a[sel] for a in (h, pidx, kind, i, person_id, send_s, occurred_s, copy, loaded_us))
        if len(h) == 0:
            return None, mess_rows((h, h, h), [])
        future = (h >> 20) % 100000 < RATES["future_timestamp"] * 100000
        shown_s = occurred_s + np.where(future, 86400 * (90 + (h >> 24) % 300).astype(np.int64), 0)
        # As the SQL it replaces: DuckDB's `//` on doubles divides, and the cast to bigint rounds half to even.
        week = np.rint((send_s - _epoch_us(self.start) // 1_000_000).astype(np.float64) / (7 * 86400)).astype(np.int64)
        weeks = np.unique(week)
        emails = p.column("email").combine_chunks()
        variants = self.email_variants(cur, emails)  # n * 4 strings: [variant v of person j] at 4 * j + v
        v = (h >> 8) % 20
        variant = np.where(v < 3, v, 3).astype(np.int64)
        hard = p.column("email_hard_bounced").to_numpy(zero_copy_only=False)[pidx]
        is_bounce, is_click = kind == k["bounce"], kind == k["click"]

        def dictionary(idx, values, mask=None):
            return pa.DictionaryArray.from_arrays(pa.array(idx, mask=None if mask is None else ~mask), values)

        t = pa.table({
            "person_id": person_id, "i": i,
            "event_type": dictionary(kind, pa.array(kinds)),
            "campaign_id": dictionary(np.searchsorted(weeks, week).astype(np.int32),
                                      pa.array([f"cmp_{w:04d}" for w in weeks])),
            "recipient_email": dictionary((4 * pidx + variant).astype(np.int32), variants),
            "bounce_type": dictionary(np.where(hard, 0, 1).astype(np.int32), pa.array(["hard", "soft"]), is_bounce),
            "link_url": dictionary(((h >> 12) % len(EMAIL_LINKS)).astype(np.int32), pa.array(EMAIL_LINKS), is_click),
            "occurred_at": pa.array((shown_s * 1_000_000).view("datetime64[us]")),
            "_loaded_at": pa.array(loaded_us.view("datetime64[us]")),
        })
        first = copy == 0  # (as for web events)
        return pa.Table.from_batches(t.to_batches(max_chunksize=ARROW_BATCH_ROWS)), mess_rows(
            (person_id, kind, i), [(first & future, 4), (copy == 1, 6)])

    def email_variants(self, cur, emails: pa.Array) -> pa.Array:
        """For each email, the 4 ways typed_email writes it (variant 3 is the plain address)."""
        cur.register("email_list", pa.table({"email": emails, "o": np.arange(len(emails))}))
        out = cur.sql(f"""select e from (
                select o, v, {self.typed_email('email', 'v')} as e from email_list, range(4) as t(v))
            order by o, v""").to_arrow_table().column("e").combine_chunks()
        cur.unregister("email_list")
        return out

    # ------------------------------------------------------------------ social, forms, surveys
    def social_sql(self) -> str:
        return f"""
        with x as (
            select person_id, unnest(range(cast(n_social as bigint))) as i from people where n_social > 0
        ),
        e as (
            select p.*, x.i, {self.h('x.person_id', "'soc'", 'x.i')} as h
            from x inner join people as p on x.person_id = p.person_id
        )
        select
            'soc_' || person_id || '_' || i as engagement_id,
            {_pick(['linkedin', 'linkedin', 'x'], 'h')} as platform,
            case when (h >> 4) % 4 = 0 then upper(substr(handle, 1, 3)) || substr(handle, 4)
                 when (h >> 4) % 4 = 1 then substr(handle, 2) else handle end as handle,
            {_pick(['like', 'like', 'like', 'share', 'comment', 'follow'], 'h >> 8')} as action,
            case when (h >> 8) % 6 <> 5 then 'post_' || ((h >> 12) % 400) end as post_id,
            first_touch_at - interval 7 day + to_seconds(cast((h >> 20) % (50 * 86400) as bigint)) as occurred_at,
            first_touch_at - interval 7 day + to_seconds(cast((h >> 20) % (50 * 86400) + 1800 as bigint)) as _loaded_at
        from e
        """

    def forms_sql(self) -> str:
        return f"""
        with x as (
            select person_id, 0 as i from people where lead_source = 'Web'
            union all
            select person_id, 1 as i from people where demo_requested
            union all
            select person_id, 2 as i from people where persona = 'spammer' and {self.u('person_id', "'spamform'")} < 0.5
        ),
        f as (
            select p.*, x.i, {self.h('x.person_id', "'form'", 'x.i')} as h,
                case x.i when 0 then p.created_at - interval 1 minute
                    else p.first_touch_at + to_seconds(cast({self.h('x.person_id', "'formt'", 'x.i')} % (20 * 86400) as bigint)) end
                    as submitted_at
            from x inner join people as p on x.person_id = p.person_id
        )
        select
            'sub_' || person_id || '_' || i as submission_id,
            case i when 1 then 'demo_request'
                else {_pick(['contact_sales', 'newsletter', 'whitepaper_download', 'webinar_registration', 'newsletter'], 'h')} end
                as form_name,
            case i when 1 then '{WWW}/demo' else '{WWW}/' || {_pick(['contact', 'blog/lead-scoring-101', 'resources/whitepapers/roi-guide', 'webinars/ai-for-bi', ''], 'h')} end
                as page_url,
            case when has_web then anon1 end as anonymous_id,
            {self.broken_email('email', self.u('person_id', 'i', "'form_email'"), 'h >> 4')} as email,
            first_name,
            last_name,
            case when persona = 'student' then 'University' else {_pick(COMPANY_WORDS, 'company_idx')} || ' ' || {_pick(COMPANY_KINDS, 'company_idx // 25')} end
                as company,
            title as job_title,
            case when (h >> 8) % 3 = 0 then '+1 415 555 ' || lpad(cast(person_id % 10000 as varchar), 4, '0') end as phone,
            country_typed as country,
            case when i = 1 then 'We would like to see a demo.' when persona = 'spammer' then 'Buy cheap SEO backlinks www.seo-cheap.biz' end
                as message,
            case when persona = 'spammer' and (h >> 12) % 10 < 6 then 'fail'
                 when (h >> 12) % 100 = 0 then 'fail' else 'pass' end as captcha_result,
            case when persona = 'spammer' then ((h >> 16) % 40) / 100.0 else 0.6 + ((h >> 16) % 40) / 100.0 end as captcha_score,
            submitted_at,
            submitted_at + to_seconds(cast(30 + (h >> 24) % 600 as bigint)) as _loaded_at
        from f
        """

    def surveys_sql(self) -> str:
        questions = [
            ("purchase_intent", "How likely are you to buy Acme Analytics in the next 3 months? (0-10)"),
            ("nps", "How likely are you to recommend Acme Analytics to a colleague? (0-10)"),
            ("use_case", "What do you want to use Acme Analytics for?"),
            ("team_size", "How many people on your team will use it?"),
        ]
        qvalues = ", ".join(f"({i}, '{q}', '{t}')" for i, (q, t) in enumerate(questions))
        return f"""
        with r as (
            select p.*, q.qn, q.question_id, q.question, {self.h('p.person_id', "'svy'", 'q.qn')} as h,
                p.first_touch_at + to_seconds(cast(7 * 86400 + {self.h('p.person_id', "'svyt'")} % (14 * 86400) + q.qn * 20 as bigint))
                    as responded_at
            from people as p, (values {qvalues}) as q(qn, question_id, question)
            where p.survey_answered
        )
        select
            'rsp_' || person_id || '_' || qn as response_id,
            'srv_onboarding' as survey_id,
            user_id,
            case when (h >> 4) % 2 = 0 then email end as email,
            question_id,
            question,
            case question_id
                when 'use_case' then case when intent > 0.5 then {_pick(['Evaluating BI tools to buy for our team', 'Replacing our current tool, comparing pricing'], 'h')}
                                          else {_pick(['Just learning', 'Side project', 'Building a data platform', 'Curious about the product'], 'h')} end
                when 'team_size' then {_pick(['1', '2-10', '11-50', '51-200', '200+'], 'h >> 8')}
            end as answer,
            cast(case question_id
                when 'purchase_intent' then purchase_intent_rating
                when 'nps' then least(10, greatest(0, purchase_intent_rating + 2 - cast((h >> 12) % 4 as int)))
            end as integer) as rating,
            responded_at,
            responded_at + interval 5 minute as _loaded_at
        from r
        """

    # ------------------------------------------------------------------ web and product events (bulk, NumPy + Arrow)
    def write_web_events(self) -> int:
        """Person web events in chunks of people: NumPy expands the per-person counts and derives every column
        from the row hash (the same hash the SQL generators use); DuckDB builds the two unique text columns (event
        id, time stamp) and writes the rows. Low-cardinality text goes in as Arrow dictionaries, never built row
        by row."""
        count_cols = ", ".join(f"cast({col} as integer) as c{k}" for k, (col, *_rest) in enumerate(WEB_KINDS))
        p = self.con.sql(f"""select person_id, epoch_us(first_touch_at) as ft_us, sessions, devices, tz_minutes,
                tz_text, anon1, anon2, user_id, email, user_agent, {count_cols}
            from people where has_web order by person_id""").to_arrow_table()
        counts = np.stack([p.column(f"c{k}").to_numpy() for k in range(len(WEB_KINDS))], axis=1)  # (people, kinds)
        return self.write_expanded("raw_web.events", p, counts, self._web_chunk, "web_mess", "select * from chunk")

    def write_expanded(self, table: str, p: pa.Table, counts: np.ndarray, prepare, mess_table: str,
                       select_sql: str) -> int:
        """Write rows chunk by chunk of people, CHUNKS_PER_INSERT chunks per INSERT reading an Arrow stream: a
        worker thread prepares chunk k+1 while DuckDB writes chunk k. `prepare(people, counts, cursor, hasher)`
        returns (Arrow table or None, mess arrays); the mess (person_id, kind, i, mess code) of all chunks goes
        to the temp table `mess_table`."""
        ends = chunk_ends(counts.sum(axis=1), WEB_CHUNK_ROWS)
        starts = [0] + ends[:-1]
        cur = self.con.cursor()  # the worker's own connection: prepare runs small queries (hashes of strings, ...)
        hasher = RowHasher(cur, self.seed)
        prefetch = _Prefetcher(f"prepare {table}", len(ends), lambda k: prepare(
            p.slice(starts[k], ends[k] - starts[k]), counts[starts[k]:ends[k]], cur, hasher))
        mess: list[tuple[np.ndarray, ...]] = []
        written = 0

        def tables():
            nonlocal written
            for k, (chunk, chunk_mess) in prefetch.results():
                mess.append(chunk_mess)
                if chunk is not None:
                    yield chunk
                    written += chunk.num_rows
                self.progress(f"{table}: {written:,} rows ({ends[k]:,}/{p.num_rows:,} people)")

        prefetch.start()
        try:
            self.insert_stream(table, tables(), select_sql, prefetch.failed)
        finally:
            prefetch.close()
        cur.close()
        self.save_mess(mess_table, mess)
        return written

    def insert_stream(self, table: str, chunks, select_sql: str, failed: list[BaseException]) -> None:
        """INSERT the Arrow tables of `chunks`, CHUNKS_PER_INSERT of them per statement, into `table` through
        `select_sql` (reading the stream as `chunk`). An error of the worker (in `failed`) wins over DuckDB's
        report of the broken stream."""
        con = self.con
        while (first := next(chunks, None)) is not None:
            group = itertools.chain([first], itertools.islice(chunks, CHUNKS_PER_INSERT - 1))
            batches = (b for t in group for b in t.to_batches())
            con.register("chunk", pa.RecordBatchReader.from_batches(first.schema, batches))
            try:
                con.execute(f"insert into {table} by name {select_sql}")
            except Exception:
                if failed:
                    raise failed[0] from None
                raise
            finally:
                con.unregister("chunk")

    def save_mess(self, mess_table: str, mess: list[tuple[np.ndarray, ...]]) -> None:
        """The mess arrays (person_id, kind, i, mess code) of all chunks as the temp table `mess_table`."""
        names, types = ("person_id", "kind", "i", "mess"), (np.int64, np.int32, np.int64, np.int8)
        columns = {name: np.concatenate([m[j] for m in mess] + [np.zeros(0, dtype=t)]).astype(t)
                   for j, (name, t) in enumerate(zip(names, types))}
        self.con.register("mess_df", pa.table(columns))
        self.con.execute(f"create or replace temp table {mess_table} as select * from mess_df")
        self.con.unregister("mess_df")

    def _web_chunk(self, p, counts: np.ndarray, cur, hasher: RowHasher):
        """One chunk of people's web events: `kernels.web_events` computes every column in one pass over the
        rows. Text of few values goes in as Arrow dictionaries over the WebLookups texts and the people's own
        (anonymous ids, user agents, ...); the event id and time stamp as Arrow strings."""
        pids = p.column("person_id").to_numpy().astype(np.int64)
        sessions = p.column("sessions").to_numpy().astype(np.int64)
        tz_offsets, tz_text = string_buffers(p.column("tz_text"))
        people = {
            "person_id": pids, "ft_us": p.column("ft_us").to_numpy(), "sessions": sessions,
            "sess_first": np.cumsum(sessions) - sessions, "sess_s": self.session_offsets(cur, pids, sessions),
            "tz_minutes": p.column("tz_minutes").to_numpy().astype(np.int64), "tz_offsets": tz_offsets,
            "tz_text": tz_text, "devices": p.column("devices").to_numpy().astype(np.int64),
            "user_valid": p.column("user_id").is_valid().to_numpy(zero_copy_only=False),
        }
        L = web_lookups()
        ev = kernels.web_events(counts, people, L, hasher.seed_hash, self.lo_us, self.hi_us,
                                round(RATES["duplicate_delivery"] * 10000), round(RATES["late_arrival"] * 10000),
                                tuple(int(round(t * 100000)) for t in self.mess_thresholds()))
        person_id, kind, i, row = ev["person_id"], ev["kind"], ev["i"], ev["person_row"]
        if len(person_id) == 0:
            return None, mess_rows((person_id, kind, i), [])
        if "web_rows" not in hasher.checked:  # the kernel's hash against DuckDB's, before it is trusted
            cols = (("bigint", person_id[:2000]), ("integer", kind[:2000]), ("bigint", i[:2000]))
            hasher.check(cols, kernels.hash_rows(hasher.seed_hash, person_id[:2000], kind[:2000], i[:2000]))
            hasher.checked.add("web_rows")

        def dictionary(idx, values, null=None):
            return pa.DictionaryArray.from_arrays(pa.array(idx, mask=null), values)

        def text(offsets_data):
            offsets, data = offsets_data
            return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))

        anons = pa.concat_arrays([p.column("anon1").combine_chunks(), p.column("anon2").combine_chunks()])
        t = pa.table({
            "event_id": text(ev["event_id"]),
            "anonymous_id": dictionary(ev["anon"], anons),
            "user_id": dictionary(row, p.column("user_id").combine_chunks(), ev["user_null"]),
            "email": dictionary(row, p.column("email").combine_chunks(), ev["email_null"]),
            "type": dictionary(ev["type"], L.types),
            "event": dictionary(ev["event"], L.events),
            "url": dictionary(ev["url"], L.urls),
            "path": dictionary(ev["path"], L.paths),
            "referrer": dictionary(ev["referrer"], L.referrers, ev["referrer_null"]),
            "properties": dictionary(ev["properties"], L.properties),
            "user_agent": dictionary(row, p.column("user_agent").combine_chunks()),
            "timestamp": text(ev["timestamp"]),
            "_loaded_at": pa.array(ev["loaded_at"].view("datetime64[us]")),
        })
        # Planted mess, listed once per event (from its first copy) and once per second delivery.
        # (a second delivery whose first copy came in an earlier window: that window listed the event already)
        first = ~ev["copy"]
        return pa.Table.from_batches(t.to_batches(max_chunksize=ARROW_BATCH_ROWS)), mess_rows(
            (person_id, kind, i), [(first & (ev["mess"] > 0), ev["mess"]), (first & ev["late"], 5), (ev["copy"], 6)])

    def session_offsets(self, cur, pids: np.ndarray, sessions: np.ndarray) -> np.ndarray:
        """Seconds from first touch to the start of each session of each person (0 for the first session)."""
        pid = np.repeat(pids, sessions)
        k = np.arange(len(pid), dtype=np.int64) - np.repeat(np.cumsum(sessions) - sessions, sessions)
        cur.register("sessions_df", pa.table({"person_id": pid, "k": k, "o": np.arange(len(pid))}))
        # `h % sessions` is a hugeint in the SQL this replaces; the hash depends on the type.
        out = cur.execute(f"""select case when k = 0 then 0
                else hash({self.seed}, person_id, 'sess', cast(k as hugeint)) % {ACTIVE_DAYS * 86400} end as s
            from sessions_df order by o""").fetchnumpy()["s"]
        cur.unregister("sessions_df")
        return np.asarray(out, dtype=np.int64)

    def mess_thresholds(self) -> tuple[float, float, float, float]:
        a = RATES["unknown_event_name"]
        b = a + RATES["malformed_json"]
        c = b + RATES["negative_duration"]
        d = c + RATES["future_timestamp"]
        return a, b, c, d

    def day_counts_sql(self, per_day: float, tag: str) -> str:
        """(d, k) for k < the number of actors starting on day d: floor((d+1)r) - floor(dr), spread evenly."""
        r = per_day
        return f"""
        select d, unnest(range(cast(floor((d + 1) * {r}) - floor(d * {r}) as bigint))) as k
        from range({self.day_lo}, {self.day_hi}) as t(d)
        """

    def bot_events_sql(self, leads: int) -> str:
        days = self.params_days
        ua_per_day = leads * RATES["bot_user_agent"] / days
        rate_per_day = leads * RATES["bot_event_rate"] / days
        return f"""
        with bots0 as (
            select d, k, 'ua' as bot_kind, 150 as n from ({self.day_counts_sql(ua_per_day, 'ua')})
            union all
            select d, k, 'rate' as bot_kind, 120 as n from ({self.day_counts_sql(rate_per_day, 'rate')})
        ),
        bots as (
            -- everything that is per bot, computed once per bot rather than per event
            select *,
                'b' || substr(md5('{self.seed}-bot-' || bot_kind || d || '-' || k), 1, 19) as anon,
                timestamp '{self.start}' + to_days(cast(d as bigint))
                    + to_seconds(cast({self.h('d', 'k', 'bot_kind')} % 86000 as bigint)) as t0,
                case when bot_kind = 'ua' then {_pick(BOT_AGENTS, self.h('d', 'k'))} else {_pick(BROWSERS, self.h('d', 'k'))} end
                    as user_agent
            from bots0
        ),
        x as (
            select *, unnest(range(n)) as i from bots
        ),
        e as (
            select *, {self.h('d', 'k', 'bot_kind', 'i')} as h from x
        ),
        timed as (
            select *,
                case when bot_kind = 'rate' then t0 + to_seconds(cast(i * 1.5 as bigint))
                     else t0 + to_seconds(cast(i * 1100 + h % 600 as bigint)) end as event_at
            from e
        )
        select
            'evt_b' || bot_kind || '_' || d || '_' || k || '_' || i as event_id,
            anon as anonymous_id,
            null as user_id,
            null as email,
            'page' as type,
            'page_viewed' as event,
            '{WWW}' || {_pick(['/', '/pricing', '/blog/dbt-tips', '/customers', '/docs/api', '/demo', '/about'], 'h >> 8')} as url,
            {_pick(['/', '/pricing', '/blog/dbt-tips', '/customers', '/docs/api', '/demo', '/about'], 'h >> 8')} as path,
            null as referrer,
            '{{"title": "Acme Analytics", "duration_s": ' || cast(1 + (h >> 16) % 3 as varchar) || '}}' as properties,
            user_agent,
            strftime(event_at, '%Y-%m-%dT%H:%M:%S') || 'Z' as timestamp,
            event_at + to_seconds(cast(30 + (h >> 24) % 1800 as bigint)) as _loaded_at,
            'bot_events_sql' as source
        from timed
        """

    def unknown_visitor_events_sql(self, leads: int) -> str:
        per_day = leads * RATES["unknown_anonymous_id"] / self.params_days
        paths = ["/", "/pricing", "/blog/modern-data-stack", "/blog/dbt-tips", "/docs/getting-started", "/customers",
                 "/careers", "/product/dashboards"]
        return f"""
        with v as (
            select *,
                'v' || substr(md5('{self.seed}-visitor-' || d || '-' || k), 1, 19) as anonymous_id,
                {_pick(BROWSERS, self.h('d', 'k', "'vua'"))} as user_agent
            from ({self.day_counts_sql(per_day, 'anon')})
        ),
        x as (
            select *, unnest(range(cast(1 + {self.h('d', 'k', "'nv'")} % 6 as bigint))) as i from v
        ),
        e as (
            select *,
                {self.h('d', 'k', "'v'", 'i')} as h,
                timestamp '{self.start}' + to_days(cast(d as bigint))
                    + to_seconds(cast({self.h('d', 'k', "'vt'")} % 86000 + i * 97 as bigint)) as event_at
            from x
        )
        select
            'evt_v' || d || '_' || k || '_' || i as event_id,
            anonymous_id,
            null as user_id,
            null as email,
            'page' as type,
            'page_viewed' as event,
            '{WWW}' || {_pick(paths, 'h >> 8')} as url,
            {_pick(paths, 'h >> 8')} as path,
            case when (h >> 12) % 3 = 0 then 'https://www.google.com/' end as referrer,
            '{{"title": "Acme Analytics", "duration_s": ' || cast(2 + (h >> 16) % 120 as varchar) || '}}' as properties,
            user_agent,
            strftime(event_at, '%Y-%m-%dT%H:%M:%S') || 'Z' as timestamp,
            event_at + to_seconds(cast(30 + (h >> 24) % 1800 as bigint)) as _loaded_at,
            'unknown_visitor_events_sql' as source
        from e
        """

    # ------------------------------------------------------------------ truth: the planted mess
    def record_mess(self, leads: int) -> None:
        win = f"_loaded_at >= {self.lo} and _loaded_at < {self.hi}"
        crm_pid = "cast(substr(id, 4, 12) as bigint)"
        lead_email_u = self.u(crm_pid, "'crm_email'")
        miss, inval = RATES["missing_email"], RATES["missing_email"] + RATES["invalid_email"]
        candidates = f"""
        with web as (select event_id, anonymous_id from other_web_events)
        select distinct 'raw_web.events' as source_table, anonymous_id as row_key, 'bot_user_agent' as mess_kind from web where event_id like 'evt\\_bua\\_%' escape '\\'
        union all
        select distinct 'raw_web.events', anonymous_id, 'bot_event_rate' from web where event_id like 'evt\\_brate\\_%' escape '\\'
        union all
        select distinct 'raw_web.events', anonymous_id, 'unknown_anonymous_id' from web where event_id like 'evt\\_v%' escape '\\'

        union all
        select 'raw_crm.leads', id, 'crm_duplicate_person' from raw_crm.leads where {win} and id like '%DUP'
        union all
        select 'raw_crm.leads', id, 'crm_stale_version' from raw_crm.leads
        where id in (select id from raw_crm.leads where {win}) group by id having count(*) > 1
        union all
        select 'raw_crm.leads', id, case when {lead_email_u} < {miss} then 'missing_email' else 'invalid_email' end
        from raw_crm.leads where {win} and id like '%AAA' and {lead_email_u} < {inval}
        union all
        select 'raw_crm.leads', l.id, 'soft_deleted' from raw_crm.leads as l where {win} and is_deleted
        union all
        select 'raw_crm.accounts', id, 'soft_deleted' from raw_crm.accounts where {win} and is_deleted
        union all
        select 'raw_crm.opportunities', id, 'soft_deleted' from raw_crm.opportunities where {win} and is_deleted
        union all
        select 'raw_crm.leads', l.id, t.persona || '_lead' from raw_crm.leads as l
        inner join {TRUTH}.leads as t on {crm_pid.replace('id', 'l.id')} = t.person_id
        where {win.replace('_loaded_at', 'l._loaded_at')} and t.persona in ('spammer', 'internal')
        union all
        select 'raw_forms.submissions', submission_id, 'failed_captcha' from raw_forms.submissions
        where {win} and captcha_result = 'fail'
        union all
        select 'raw_forms.submissions', submission_id,
            case when {self.u("cast(split_part(submission_id, '_', 2) as bigint)", "cast(split_part(submission_id, '_', 3) as integer)", "'form_email'")} < {miss}
                 then 'missing_email' else 'invalid_email' end
        from raw_forms.submissions
        where {win} and {self.u("cast(split_part(submission_id, '_', 2) as bigint)", "cast(split_part(submission_id, '_', 3) as integer)", "'form_email'")} < {inval}
        union all
        select 'raw_web.identifies', message_id,
            case when {self.u("cast(split_part(message_id, '_', 2) as bigint)", "cast(split_part(message_id, '_', 3) as integer)", "'idf_email'")} < {miss}
                 then 'missing_email' else 'invalid_email' end
        from raw_web.identifies
        where {win} and {self.u("cast(split_part(message_id, '_', 2) as bigint)", "cast(split_part(message_id, '_', 3) as integer)", "'idf_email'")} < {inval}
        """
        self.con.execute(f"""
            insert into {TRUTH}.planted_mess
            select distinct * from ({candidates})
            except select * from {TRUTH}.planted_mess
        """)
        # Event-level mess of web and email events, listed while they were generated: already one row each.
        kinds = _sql_list([k for k, _ in EMAIL_KINDS])
        self.con.execute(f"""
            insert into {TRUTH}.planted_mess
            select 'raw_web.events', concat('evt_', person_id, '_', kind, '_', i),
                case mess when 1 then 'unknown_event_name' when 2 then 'malformed_json' when 3 then 'negative_duration'
                    when 4 then 'future_timestamp' when 5 then 'late_arrival' else 'duplicate_delivery' end
            from web_mess
            union all
            select 'raw_email.email_events', concat('em_', person_id, '_', {kinds}[kind + 1], '_', i),
                case mess when 4 then 'future_timestamp' else 'duplicate_delivery' end
            from email_mess
        """)


def append_day(con, log) -> int:
    try:
        params = dict(con.execute(f"select key, value from {TRUTH}.generation_params").fetchall())
    except Exception:  # noqa: BLE001 - any failure here means there is nothing to append to
        print("generate --append-day: this warehouse holds no generated data; run `leadscore generate` first",
              file=sys.stderr)
        return 2
    start = dt.date.fromisoformat(params["start"])
    end = dt.date.fromisoformat(params["end"])
    g = Generator(con, int(params["seed"]), start, end, log)
    g.days = (end - start).days + 1
    g.params_days = int(params["days"])
    g.day_lo, g.day_hi = g.days - 1, g.days + 1
    g.accounts_sql()  # registers the companies table the CRM SQL joins
    con.execute("begin transaction")
    try:
        g.append(int(params["leads"]))
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return 0
