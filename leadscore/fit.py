"""The learned weights, fitted from training rows: one module for every engine.

DuckDB's dbt Python models (int_logistic_regression_fit, int_woe_scorecard_fit) call these functions on the
rows they read from the warehouse; on PostgreSQL and Spark, which run no Python models, `leadscore fit` reads
the same rows through the active target, calls them and writes the results back as tables that the SQL
versions of those models read. Inputs are pandas frames; results are frames of the models' columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INTERCEPT = "(intercept)"
MIN_TERM_ROWS = 20  # terms non-zero in fewer training rows than this are left out (too rare to learn)
KEYS = ["lead_id", "as_of_date"]
LOGISTIC_COLUMNS = ["term", "coefficient", "term_mean", "term_scale", "coefficient_raw", "training_rows",
                    "training_positives", "regularisation_c"]
SCORECARD_COLUMNS = ["feature_name", "scorecard_weight", "training_rows", "training_positives", "l2_penalty"]


def _empty(columns: list[str], text_column: str) -> pd.DataFrame:
    """Typed columns even when empty ("string", not "object", which DuckDB reads as type NULL)."""
    return pd.DataFrame({c: pd.Series(dtype="string" if c == text_column else "float64") for c in columns})


def _design_matrix(train: pd.DataFrame, long: pd.DataFrame, column: str, value: str, kept: list[str]):
    """Labels and the wide matrix (one row per training key, sorted; one column per kept name, 0 where absent)."""
    wide = long.pivot_table(index=KEYS, columns=column, values=value, aggfunc="sum", fill_value=0.0)
    matrix = (
        train.set_index(KEYS)
        .join(wide)
        .reindex(columns=["is_converted", *kept])
        .fillna(0.0)
        .sort_index()
    )
    y = matrix.pop("is_converted").astype(int).to_numpy()
    return matrix.to_numpy(dtype=float), y


def logistic_regression(train: pd.DataFrame, terms: pd.DataFrame, regularisation_c: float) -> pd.DataFrame:
    """L2 logistic regression (scikit-learn, standardised terms) of is_converted on the terms.

    train: lead_id, as_of_date, is_converted of the training rows; terms: lead_id, as_of_date, term,
    term_value of those rows (absent = 0). One row per term kept (non-zero in MIN_TERM_ROWS training rows)
    plus the intercept, with the coefficient on the standardised term and in the term's own units.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    term_rows = terms.groupby("term")["lead_id"].size()
    kept_terms = sorted(term_rows[term_rows >= MIN_TERM_ROWS].index)
    terms = terms[terms["term"].isin(kept_terms)]
    x, y = _design_matrix(train, terms, "term", "term_value", kept_terms)
    if len(x) == 0 or len(np.unique(y)) < 2:
        return _empty(LOGISTIC_COLUMNS, "term")

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
    return result[LOGISTIC_COLUMNS]


def fit_non_negative_logistic(x, y, l2):
    """Intercept (free) and coefficients (>= 0) minimising the logistic loss + l2/2 * |coef|^2."""
    from scipy.optimize import minimize

    def loss_and_gradient(params):
        logit = params[0] + x @ params[1:]
        loss = np.sum(np.logaddexp(0.0, logit) - y * logit) + 0.5 * l2 * params[1:] @ params[1:]
        residual = 1.0 / (1.0 + np.exp(-logit)) - y
        return loss, np.concatenate([[residual.sum()], x.T @ residual + l2 * params[1:]])

    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    result = minimize(loss_and_gradient, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B",
                      bounds=bounds, options={"maxiter": 5000})
    return result.x[1:]


def scorecard_weights(train: pd.DataFrame, woe: pd.DataFrame, features: list[str], l2: float) -> pd.DataFrame:
    """Non-negative, L2-penalised logistic regression of is_converted on each selected feature's relative WoE.

    train: lead_id, as_of_date, is_converted of the training rows; woe: lead_id, as_of_date, feature_name,
    relative_woe of the training rows' selected bins (absent = 0); features: the selected features.
    """
    features = sorted(features)
    if not features or train.empty or train["is_converted"].nunique() < 2:
        return _empty(SCORECARD_COLUMNS, "feature_name")
    x, y = _design_matrix(train, woe, "feature_name", "relative_woe", features)
    result = pd.DataFrame({"feature_name": features, "scorecard_weight": fit_non_negative_logistic(x, y, l2)})
    result["training_rows"] = len(y)
    result["training_positives"] = int(y.sum())
    result["l2_penalty"] = l2
    return result[SCORECARD_COLUMNS]
