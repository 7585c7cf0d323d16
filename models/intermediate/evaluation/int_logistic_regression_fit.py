"""Logistic regression of the backtest label on the learning terms, fitted on the 'train' sample.

A dbt Python model (dbt-duckdb runs it in-process; scikit-learn). Returns the fitted model as rows:
one per term with its coefficient on the standardised term and in the term's own units (so SQL can
score any lead: logit = intercept + sum(coefficient_raw * term_value)), plus an '(intercept)' row.
Switched off with var enable_python_models: false (adapters without Python models); every model
that reads it is switched off with it.
"""

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

INTERCEPT = "(intercept)"
MIN_TERM_ROWS = 20  # terms non-zero in fewer training rows than this are left out (too rare to learn)


def model(dbt, session):
    dbt.config(materialized="table")
    regularisation_c = float(dbt.config.get("logistic_c"))

    # Only the training rows leave the warehouse (the design matrix also holds every lead as of
    # today: tens of millions of rows at a million leads).
    train_rows = dbt.ref("int_backtest_labels").filter("sample = 'train'")
    train = train_rows.select("lead_id, as_of_date, is_converted").df()
    train_keys = train_rows.select("lead_id, as_of_date")
    train_terms = dbt.ref("int_learning_features").join(train_keys, "lead_id, as_of_date").df()
    term_rows = train_terms.groupby("term")["lead_id"].size()
    kept_terms = sorted(term_rows[term_rows >= MIN_TERM_ROWS].index)
    train_terms = train_terms[train_terms["term"].isin(kept_terms)]

    wide = train_terms.pivot_table(
        index=["lead_id", "as_of_date"], columns="term", values="term_value", aggfunc="sum", fill_value=0.0
    )
    matrix = (
        train.set_index(["lead_id", "as_of_date"])
        .join(wide)
        .reindex(columns=["is_converted", *kept_terms])
        .fillna(0.0)
        .sort_index()
    )
    y = matrix.pop("is_converted").astype(int).to_numpy()
    x = matrix.to_numpy(dtype=float)

    columns = ["term", "coefficient", "term_mean", "term_scale", "coefficient_raw", "training_rows",
               "training_positives", "regularisation_c"]
    if len(x) == 0 or len(np.unique(y)) < 2:
        # typed columns even when empty ("string", not "object", which DuckDB reads as type NULL)
        return pd.DataFrame({c: pd.Series(dtype="float64" if c != "term" else "string") for c in columns})

    scaler = StandardScaler().fit(x)
    fitted = LogisticRegression(C=regularisation_c, max_iter=5000).fit(scaler.transform(x), y)

    coefficient = fitted.coef_[0]
    coefficient_raw = coefficient / scaler.scale_
    intercept_raw = float(fitted.intercept_[0] - np.sum(coefficient_raw * scaler.mean_))
    result = pd.DataFrame(
        {
            "term": [INTERCEPT, *kept_terms],
            "coefficient": [float(fitted.intercept_[0]), *coefficient],
            "term_mean": [None, *scaler.mean_],
            "term_scale": [None, *scaler.scale_],
            "coefficient_raw": [intercept_raw, *coefficient_raw],
        }
    )
    result["training_rows"] = len(y)
    result["training_positives"] = int(y.sum())
    result["regularisation_c"] = regularisation_c
    return result[columns]
