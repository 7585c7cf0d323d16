"""Logistic regression of the backtest label on the learning terms, fitted on the 'train' sample.

A dbt Python model (dbt-duckdb runs it in-process). It reads the training rows and hands them to
leadscore.fit.logistic_regression, the same code `leadscore fit` runs for PostgreSQL and Spark. Returns the
fitted model as rows: one per term with its coefficient on the standardised term and in the term's own units
(so SQL can score any lead: logit = intercept + sum(coefficient_raw * term_value)), plus an '(intercept)'
row. Switched off with var enable_python_models: false (adapters without Python models).
"""

from leadscore import fit


def model(dbt, session):
    dbt.config(materialized="table")
    regularisation_c = float(dbt.config.get("logistic_c"))

    # Only the training rows leave the warehouse (the design matrix also holds every lead as of
    # today: tens of millions of rows at a million leads).
    train_rows = dbt.ref("int_backtest_labels").filter("sample = 'train'")
    train = train_rows.select("lead_id, as_of_date, is_converted").df()
    train_keys = train_rows.select("lead_id, as_of_date")
    terms = dbt.ref("int_learning_features").join(train_keys, "lead_id, as_of_date").df()
    return fit.logistic_regression(train, terms, regularisation_c)
