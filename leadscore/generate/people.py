"""The latent people model: persona, hidden intent, fit (company, email domain), behaviour counts, the true
conversion probability and the outcome drawn from it, one row per person (`draw_persons`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


ACTIVE_DAYS = 28  # behaviour happens in the first ACTIVE_DAYS after a person's first touch
EMAIL_DAYS = 90  # nurture emails go out for this many days after the lead is created


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


@dataclass(frozen=True)
class BehaviourShift:
    """A change of behaviour for drift tests (`generate --shift`): people whose first touch is on or after `start`
    show each kind of `factors` (a key of BASE_COUNTS) `factor` times as often, while their chance of converting
    stays what the latent model gave them, as when a site change makes a page easier to reach."""
    start: dt.date
    factors: tuple[tuple[str, float], ...]

    @classmethod
    def parse(cls, text: str) -> BehaviourShift:
        """`KIND=FACTOR[,KIND=FACTOR...]@YYYY-MM-DD`, e.g. `pv_pricing=4@2026-08-01`."""
        kinds, sep, start = text.partition("@")
        if not sep:
            raise ValueError(f"'{text}': expected KIND=FACTOR[,KIND=FACTOR...]@YYYY-MM-DD")
        factors = []
        for item in kinds.split(","):
            kind, eq, factor = item.strip().partition("=")
            if kind not in BASE_COUNTS or not eq:
                raise ValueError(f"'{item}': expected KIND=FACTOR with KIND one of {', '.join(BASE_COUNTS)}")
            value = float(factor)
            if not value >= 0:
                raise ValueError(f"'{item}': the factor must be a number >= 0")
            factors.append((kind, value))
        return cls(dt.date.fromisoformat(start.strip()), tuple(factors))

    def text(self) -> str:
        return ",".join(f"{kind}={factor:g}" for kind, factor in self.factors) + f"@{self.start.isoformat()}"

    def apply(self, rng: np.random.Generator, first_touch, counts: dict[str, np.ndarray],
              means: dict[str, np.ndarray], able: dict[str, np.ndarray]) -> None:
        """Changes the counts of the shifted people in place: a factor above 1 adds Poisson(mean * (factor - 1))
        more of the kind to those able to show it (`able`: web presence, product use, a social handle), so more
        people show it at all; a factor below 1 keeps each occurrence with that probability."""
        shifted = np.asarray(first_touch >= pd.Timestamp(self.start))
        for kind, factor in self.factors:
            count = counts[kind]
            if factor >= 1:
                moved = count + np.where(able[kind], rng.poisson(means[kind] * (factor - 1)), 0)
            else:
                moved = rng.binomial(count, factor)
            counts[kind] = np.where(shifted, moved, count).astype(count.dtype)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def n_companies_for(leads: int) -> int:
    return max(20, leads // 6)


def draw_persons(rng: np.random.Generator, first_pid: int, n: int, start: dt.date, days: int,
                 n_companies: int, shift: BehaviourShift | None = None) -> pd.DataFrame:
    """The latent model: one row per person with everything the SQL expansion and the truth need. The helpers
    draw from `rng` in a fixed order, so a seed always gives the same people; a `shift` draws last, after the
    true probability, so it changes only the shifted behaviour of the same people."""
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
    u_mess, u_mess2 = rng.random(n), rng.random(n)
    if shift is not None:
        shift.apply(rng, first_touch, counts, kind_means(persona_idx, intent), _able(web, product, answers))
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
        "u_mess": u_mess,
        "u_mess2": u_mess2,
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


def kind_means(persona_idx: np.ndarray, intent: np.ndarray) -> dict[str, np.ndarray]:
    """Each person's expected count of each kind of BASE_COUNTS (before web presence, product use or a social
    handle make it possible at all)."""
    means = {}
    for kind, base in BASE_COUNTS.items():
        slope = 0.8 if kind in INTENT_KINDS else 0.3
        means[kind] = (np.asarray(base, dtype=float)[persona_idx] * VOLUME.get(kind, 1.0)
                       * np.exp(slope * intent - slope * slope / 2))
    return means


def _able(web: dict, product: dict, answers: dict) -> dict[str, np.ndarray]:
    """Who can show each kind of behaviour: product kinds need product use, social a handle, the rest the web."""
    product_kinds = {"pv_app", "api_call", "feature_used"}
    return {kind: (answers["has_social_handle"] if kind == "social"
                   else product["signed_up"] if kind in product_kinds else web["has_web"])
            for kind in BASE_COUNTS}


def _draw_behaviour(rng: np.random.Generator, persona_idx: np.ndarray, intent: np.ndarray, is_spam: np.ndarray):
    """Behaviour counts per kind, web presence ({has_web, devices, sessions}) and product use ({signed_up,
    trial_started, onboarding_steps, demo_requested}): people without web activity have none of either."""
    n = len(persona_idx)
    counts = {kind: rng.poisson(mean) for kind, mean in kind_means(persona_idx, intent).items()}
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
