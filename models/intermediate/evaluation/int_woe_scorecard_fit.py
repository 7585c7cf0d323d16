"""Scorecard weights: how much of each selected feature's weight of evidence to keep, fitted on 'train'.

Summing the WoE of every selected feature (naive Bayes) counts correlated behaviour several times
(API calls, features adopted and onboarding steps all say "uses the product"). The classic credit
scorecard fixes that with a logistic regression of the label on each feature's WoE: its coefficient
says how much of that feature's evidence is new given the others. Here the coefficients are kept
non-negative (a bin's points keep the sign of its WoE) and L2-penalised (var
evaluation_scorecard_l2), fitted with SciPy's L-BFGS-B. A dbt Python model, switched off with var
enable_python_models: false; int_woe_rule_points then uses a weight of 1 for every feature (the plain
WoE sum, in portable SQL).
"""

import numpy as np
import pandas as pd
from scipy.optimize import minimize

COLUMNS = ["feature_name", "scorecard_weight", "training_rows", "training_positives", "l2_penalty"]


def fit_non_negative_logistic(x, y, l2):
    """Intercept (free) and coefficients (>= 0) minimising the logistic loss + l2/2 * |coef|^2."""

    def loss_and_gradient(params):
        logit = params[0] + x @ params[1:]
        loss = np.sum(np.logaddexp(0.0, logit) - y * logit) + 0.5 * l2 * params[1:] @ params[1:]
        residual = 1.0 / (1.0 + np.exp(-logit)) - y
        return loss, np.concatenate([[residual.sum()], x.T @ residual + l2 * params[1:]])

    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    result = minimize(loss_and_gradient, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B",
                      bounds=bounds, options={"maxiter": 5000})
    return result.x[1:]


def model(dbt, session):
    dbt.config(materialized="table")
    l2 = float(dbt.config.get("scorecard_l2"))

    train = dbt.ref("int_backtest_labels").filter("sample = 'train'").select("lead_id, as_of_date, is_converted")
    train = train.df()
    selected_bins = dbt.ref("int_woe_bins").filter("is_selected_feature")
    selected_bins = selected_bins.select("feature_name, bin_number, relative_woe")
    features = sorted(selected_bins.df()["feature_name"].unique())
    if not features or train.empty or train["is_converted"].nunique() < 2:
        # typed columns even when empty ("string", not "object", which DuckDB reads as type NULL)
        return pd.DataFrame({c: pd.Series(dtype="string" if c == "feature_name" else "float64") for c in COLUMNS})

    # One column per selected feature: the relative WoE of the lead's bin (0 where no rule would fire).
    woe = (
        dbt.ref("int_woe_lead_bins")
        .filter("sample = 'train'")
        .join(selected_bins, "feature_name, bin_number")
        .select("lead_id, as_of_date, feature_name, relative_woe")
        .df()
    )
    wide = woe.pivot_table(index=["lead_id", "as_of_date"], columns="feature_name", values="relative_woe",
                           aggfunc="sum", fill_value=0.0)
    matrix = (
        train.set_index(["lead_id", "as_of_date"])
        .join(wide)
        .reindex(columns=["is_converted", *features])
        .fillna(0.0)
        .sort_index()
    )
    y = matrix.pop("is_converted").astype(int).to_numpy()
    weights = fit_non_negative_logistic(matrix.to_numpy(dtype=float), y, l2)

    result = pd.DataFrame({"feature_name": features, "scorecard_weight": weights})
    result["training_rows"] = len(y)
    result["training_positives"] = int(y.sum())
    result["l2_penalty"] = l2
    return result[COLUMNS]
