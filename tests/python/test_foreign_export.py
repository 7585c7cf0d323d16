"""Bring your own CRM: a foreign CRM export that nobody here generated (about 9,000 leads, 24 custom
fields of the business's own: fractional numerics, categoricals, booleans, Salesforce `__c` and HubSpot
`property_*` names; no web, email, social, forms or survey data), landed under its own schema and table
names. The only project edit is rows in seeds/crm_custom_fields.csv (in a copy of the project); the rest
is vars. It must build and score, its custom fields must reach every layer, and the learned points must
be as good as scikit-learn's logistic regression on the same leads (issue 11)."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from conftest import copy_project, copy_warehouse, dbt, query, use_warehouse
from leadscore import cli, schema

LEADS = 9000
SEED = 7
START = datetime(2025, 11, 1)
AS_OF = "2026-10-31"
TRAIN_CUTOFF = "2026-04-30"
HOLDOUT_CUTOFF = "2026-07-31"
CAPACITY_PER_WEEK = 40
EXPORT_SCHEMA = "crm_export"
TABLE_NAMES = {"leads": "lead_export", "accounts": "account_export", "opportunities": "opportunity_export",
               "users": "user_export", "mql_feedback": "mql_feedback_export"}
VARS = {
    "as_of_date": AS_OF,
    "backtest_cutoff_dates": [TRAIN_CUTOFF, HOLDOUT_CUTOFF],
    "sales_capacity_mqls_per_week": CAPACITY_PER_WEEK,
    "crm_schema": EXPORT_SCHEMA,
    **{f"crm_{table}_identifier": name for table, name in TABLE_NAMES.items()},
    **{f"{t.schema.removeprefix('raw_')}_{t.name}_enabled": False for t in schema.RAW_TABLES if t.schema != "raw_crm"},
}

# (field, value_type, description): the export's own columns, as a user declares them in the seed.
NUMERIC = [("total_visits__c", "Website visits."), ("time_on_site_minutes__c", "Minutes on the website."),
           ("pages_per_visit__c", "Pages per visit (e.g. 2.33)."), ("activity_score__c", "Activity index."),
           ("profile_score__c", "Profile index."), ("days_since_last_activity__c", "Days since the last activity."),
           ("property_hubspot_score", "HubSpot score (0-100, fractional)."), ("property_num_form_views", "Form views.")]
CATEGORICAL = [("lead_origin__c", "How the lead entered."), ("occupation__c", "Current occupation."),
               ("last_activity__c", "Last recorded activity."), ("specialization__c", "Area of interest."),
               ("how_did_you_hear__c", "Where the lead heard of us."), ("city__c", "City."),
               ("property_lifecycle_stage", "HubSpot lifecycle stage."), ("lead_profile__c", "Profile bucket."),
               ("property_tags", "Tags the sales team set (one per lead).")]
BOOLEAN = [("do_not_email__c", "Opted out of email."), ("do_not_call__c", "Opted out of calls."),
           ("search__c", "Came from a search ad."), ("newspaper_ad__c", "Saw the newspaper ad."),
           ("free_copy__c", "Asked for the free copy."), ("property_is_referral", "Referred by a customer."),
           ("through_recommendations__c", "Came through a recommendation.")]
FIELDS = ([(n, "numeric", d) for n, d in NUMERIC] + [(n, "categorical", d) for n, d in CATEGORICAL]
          + [(n, "boolean", d) for n, d in BOOLEAN])
CHOICES = {
    "lead_origin__c": ["Landing Page Submission", "API", "Lead Add Form", "Lead Import", "Quick Add Form"],
    "occupation__c": ["Unemployed", "Working Professional", "Student", "Other", "Housewife", "Businessman"],
    "last_activity__c": ["Email Opened", "SMS Sent", "Olark Chat Conversation", "Page Visited on Website",
                         "Converted to Lead", "Email Bounced", "Form Submitted on Website"],
    "specialization__c": ["Finance Management", "Human Resource Management", "Marketing Management",
                          "Operations Management", "Business Administration", "IT Projects Management"],
    "how_did_you_hear__c": ["Online Search", "Word Of Mouth", "Student of SomeSchool", "Other", "Multiple Sources"],
    "city__c": ["Mumbai", "Thane & Outskirts", "Other Cities", "Other Metro Cities", "Tier II Cities"],
    "property_lifecycle_stage": ["subscriber", "lead", "marketingqualifiedlead", "other"],
    "lead_profile__c": ["Potential Lead", "Other Leads", "Student of SomeSchool", "Lateral Student", "Dual Specialization"],
    "property_tags": ["Will revert after reading the email", "Ringing", "Interested in other courses",
                      "Already a student", "Closed by Horizzon", "switched off", "Busy"],
}


def _columns(rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The custom field values and each lead's true log-odds of converting."""
    n = LEADS
    values: dict[str, np.ndarray] = {}
    for name, options in CHOICES.items():
        values[name] = rng.choice(np.array(options, dtype=object), size=n)
    values["total_visits__c"] = rng.poisson(3.5, n).astype(float)
    values["time_on_site_minutes__c"] = np.round(rng.gamma(1.5, 6.0, n), 2)
    values["pages_per_visit__c"] = np.round(np.where(values["total_visits__c"] > 0,
                                                     rng.gamma(2.0, 1.2, n), 0.0), 2)
    values["activity_score__c"] = np.round(rng.normal(14, 1.5, n), 1)
    values["profile_score__c"] = np.round(rng.normal(16, 1.8, n), 1)
    values["days_since_last_activity__c"] = rng.integers(0, 120, n).astype(float)
    values["property_hubspot_score"] = np.round(rng.uniform(0, 100, n), 3)
    values["property_num_form_views"] = rng.poisson(1.0, n).astype(float)
    for name, _ in BOOLEAN:
        values[name] = rng.random(n) < 0.15
    logit = (-3.2
             + 2.0 * (values["lead_origin__c"] == "Lead Add Form")
             + 1.6 * (values["occupation__c"] == "Working Professional")
             + 1.1 * (values["property_tags"] == "Will revert after reading the email")
             - 1.2 * (values["property_tags"] == "Ringing")
             + 0.9 * (values["last_activity__c"] == "SMS Sent")
             + 0.09 * values["time_on_site_minutes__c"]
             + 0.25 * values["pages_per_visit__c"]
             + 0.25 * (values["activity_score__c"] - 14)
             - 0.012 * values["days_since_last_activity__c"]
             - 1.0 * values["do_not_email__c"]
             + 0.8 * values["property_is_referral"])
    # some leave fields empty, as real exports do
    for name in ("pages_per_visit__c", "occupation__c", "property_hubspot_score", "city__c"):
        missing = rng.random(n) < 0.12
        values[name] = np.where(missing, None, values[name]).astype(object)
    return values, logit


def write_foreign_crm(path: Path, project: Path) -> None:
    """Land the export as a connector would: the CRM tables only, under EXPORT_SCHEMA and the export's
    own table names, columns of the raw contract plus the custom fields of the project's seed."""
    rng = np.random.default_rng(SEED)
    values, logit = _columns(rng)
    created = [START + timedelta(seconds=float(s)) for s in rng.uniform(0, 364 * 86400, LEADS)]
    converts = rng.random(LEADS) < 1 / (1 + np.exp(-logit))
    lag_days = rng.uniform(2, 60, LEADS)
    tables = {t.name: t for t in schema.load_raw_tables(project) if t.schema == "raw_crm"}
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema {EXPORT_SCHEMA}")
        for name, table in tables.items():
            ddl = table.create_sql().replace(table.qualified_name, f"{EXPORT_SCHEMA}.{TABLE_NAMES[name]}", 1)
            con.execute(ddl)
        users = [(f"005U{i:014d}", f"Rep {i}", f"rep{i}@example.com", "EMEA", True, START, START, START)
                 for i in range(8)]
        con.executemany(f"insert into {EXPORT_SCHEMA}.{TABLE_NAMES['users']} values (?, ?, ?, ?, ?, ?, ?, ?)", users)
        accounts = [(f"001A{i:014d}", f"Company {i}", f"company{i}.example", "Education", 50, 1e6, "India",
                     users[i % 8][0], START, START, False, START) for i in range(300)]
        con.executemany(f"insert into {EXPORT_SCHEMA}.{TABLE_NAMES['accounts']} values "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", accounts)
        custom = schema.custom_fields(project / "seeds" / "crm_custom_fields.csv")
        lead_ids = [f"00QL{i:014d}" for i in range(LEADS)]
        emails = [f"lead{i}@company{i % 300}.example" for i in range(LEADS)]
        leads = pd.DataFrame({
            "id": lead_ids, "first_name": [f"First{i}" for i in range(LEADS)],
            "last_name": [f"Last{i}" for i in range(LEADS)], "email": emails,
            "company": [f"Company {i % 300}" for i in range(LEADS)], "industry": "Education", "country": "India",
            "lead_source": "Web", "status": "Open", "owner_id": [users[i % 8][0] for i in range(LEADS)],
            "created_date": created, "last_modified_date": created, "is_deleted": False,
            "_loaded_at": [c + timedelta(hours=1) for c in created],
            **{c.name: pd.Series(values[c.name].tolist(), dtype=object) for c in custom},
        })
        opportunities = pd.DataFrame([
            {"id": f"006O{i:014d}", "name": f"Deal {i}", "account_id": accounts[i % 300][0], "lead_id": lead_ids[i],
             "contact_email": emails[i], "stage_name": "Qualification", "amount": 5000.0,
             "created_date": created[i] + timedelta(days=float(lag_days[i])),
             "close_date": (created[i] + timedelta(days=float(lag_days[i]) + 30)).date(), "is_closed": False,
             "is_won": False, "owner_id": users[i % 8][0],
             "last_modified_date": created[i] + timedelta(days=float(lag_days[i])), "is_deleted": False,
             "_loaded_at": created[i] + timedelta(days=float(lag_days[i]), hours=1)}
            for i in range(LEADS) if converts[i]])
        for name, frame in (("leads", leads), ("opportunities", opportunities)):
            con.register("frame", frame)
            con.execute(f"insert into {EXPORT_SCHEMA}.{TABLE_NAMES[name]} by name select * from frame")
            con.unregister("frame")


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> tuple[Path, Path]:
    """(project copy whose only edit is the custom-field seed rows, warehouse built from the export)."""
    base = tmp_path_factory.mktemp("foreign")
    project = copy_project(base / "project")
    with open(project / "seeds" / "crm_custom_fields.csv", "w", newline="") as seed:
        writer = csv.writer(seed)
        writer.writerow(["field_name", "value_type", "description"])
        writer.writerows(FIELDS)
    path = base / "foreign.duckdb"
    write_foreign_crm(path, project)
    dbt(path, "build", vars_=VARS, project_dir=project)
    return project, path


def test_the_export_has_what_the_issue_describes():
    assert len(FIELDS) >= 20
    assert {t for _, t, _ in FIELDS} == {"numeric", "categorical", "boolean"}
    assert any(n.startswith("property_") for n, _, _ in FIELDS) and any(n.endswith("__c") for n, _, _ in FIELDS)


@pytest.mark.slow
def test_every_custom_field_reaches_features_catalog_woe_and_scores(foreign):
    _, path = foreign
    features = {f"custom_{n.removesuffix('__c')}" for n, _, _ in FIELDS}
    catalog = dict(query(path, "select feature_name, value_type from intermediate.int_feature_catalog "
                               "where feature_family = 'custom'"))
    expected_types = {"numeric": "numeric", "categorical": "text", "boolean": "boolean"}
    assert catalog == {f"custom_{n.removesuffix('__c')}": expected_types[t] for n, t, _ in FIELDS}
    long_features = {r[0] for r in query(path, """select distinct feature_name from intermediate.int_lead_features_long
                                                  where feature_name like 'custom\\_%' escape '\\'""")}
    assert long_features == features
    (fractional,) = query(path, """select count(*) from intermediate.int_lead_features_long
        where feature_name = 'custom_pages_per_visit' and feature_value_numeric <> round(feature_value_numeric)""")[0]
    assert fractional > 1000, "fractional values survive staging and features"
    woe = {r[0] for r in query(path, "select distinct feature_name from marts.rpt_feature_information_value")}
    assert features & woe, "custom features reach WoE/IV"
    (scored, leads) = query(path, "select count(*), count(distinct lead_id) from marts.fct_lead_scores "
                                  "where as_of_date = ?", [AS_OF])[0]
    assert scored == leads and leads > 0.95 * LEADS
    # no web, email, social, survey data: those features are 0 or null for everyone
    (others,) = query(path, """select coalesce(sum(abs(feature_value_numeric)), 0) + count(feature_value_text)
        from intermediate.int_lead_features_long where regexp_matches(feature_name, '^(web|product|email|social|survey)_')""")[0]
    assert others == 0


def _feature_matrix(path: Path, sample: str) -> tuple[dict, np.ndarray]:
    """Every feature of the backtest's `sample` leads (the custom fields, and what the project derives
    from the CRM alone, e.g. days inactive), one-hot / missing-indicator encoded, and their labels."""
    rows = query(path, """
        select f.lead_id, f.feature_name, f.feature_value_numeric, f.feature_value_text, l.is_converted
        from intermediate.int_lead_features_long as f
        inner join intermediate.int_backtest_labels as l
            on f.lead_id = l.lead_id and f.as_of_date = l.as_of_date
        where l.sample = ?""", [sample])
    by_lead: dict[str, dict] = {}
    labels: dict[str, int] = {}
    for lead_id, feature, number, text, converted in rows:
        cells = by_lead.setdefault(lead_id, {})
        labels[lead_id] = int(converted)
        if text is not None:
            cells[f"{feature}={text}"] = 1.0
        elif number is None:
            cells[f"{feature} missing"] = 1.0
        else:
            cells[feature] = float(number)
    return by_lead, np.array([labels[k] for k in by_lead])


def sklearn_holdout_auc(path: Path) -> float:
    train, y_train = _feature_matrix(path, "train")
    holdout, y_holdout = _feature_matrix(path, "holdout")
    columns = sorted({c for cells in train.values() for c in cells})
    to_array = lambda leads: np.array([[cells.get(c, 0.0) for c in columns] for cells in leads.values()])  # noqa: E731
    scaler = StandardScaler().fit(to_array(train))
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(to_array(train)), y_train)
    return roc_auc_score(y_holdout, model.predict_proba(scaler.transform(to_array(holdout)))[:, 1])


def contender_auc(path: Path, contender: str) -> float:
    (auc,) = query(path, "select roc_auc from marts.rpt_champion_challenger where as_of_date = ? and contender = ?",
                   [HOLDOUT_CUTOFF, contender])[0]
    return auc


@pytest.mark.slow
def test_suggested_points_match_scikit_learn_on_the_same_leads(foreign):
    _, path = foreign
    expected = sklearn_holdout_auc(path)
    assert expected > 0.75, "the export carries a real signal"
    woe = contender_auc(path, "woe_suggested")
    assert abs(woe - expected) <= 0.01, (woe, expected)


@pytest.mark.slow
def test_adopting_the_suggested_rules_gives_mqls_near_capacity(foreign, tmp_path):
    project, built = foreign
    path = copy_warehouse(built, tmp_path, "adopted.duckdb")
    suggested = tmp_path / "suggested"
    seed_dir = project / "seeds" / "scoring"
    with use_warehouse(path):
        assert cli.main(["suggest-weights", "--seed-dir", str(seed_dir), "--out-dir", str(suggested)]) == 0
    files = sorted(suggested.glob("*.csv"))
    assert files, "suggest-weights wrote the rule set's seed files"
    originals = {f.name: (seed_dir / f.name).read_text() for f in files}
    try:
        for f in files:
            shutil.copy(f, seed_dir / f.name)
        seeds = " ".join(f"{f.stem}+" for f in files)
        dbt(path, "build", "--select", seeds, vars_=VARS, project_dir=project)
    finally:
        for name, text in originals.items():
            (seed_dir / name).write_text(text)
    # the weekly MQL flow: leads of the last four weeks that the adopted rules make MQLs, per week
    (mqls,) = query(path, """select count(*) from marts.fct_lead_scores as s
        inner join marts.dim_leads as l on s.lead_id = l.lead_id
        where s.as_of_date = ? and s.is_mql and l.created_at > cast(? as date) - interval 28 day""",
                    [AS_OF, AS_OF])[0]
    assert 0.5 * CAPACITY_PER_WEEK <= mqls / 4 <= 1.5 * CAPACITY_PER_WEEK, mqls / 4
    champion = next(r[0] for r in query(path, "select contender from marts.rpt_champion_challenger "
                                              "where as_of_date = ? and is_champion", [HOLDOUT_CUTOFF]))
    assert abs(contender_auc(path, champion) - contender_auc(built, "woe_suggested")) <= 0.01
