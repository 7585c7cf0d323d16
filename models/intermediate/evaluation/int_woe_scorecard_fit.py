"""Scorecard weights: how much of each selected feature's weight of evidence to keep, fitted on 'train'.

Summing the WoE of every selected feature (naive Bayes) counts correlated behaviour several times
(API calls, features adopted and onboarding steps all say "uses the product"). The classic credit
scorecard fixes that with a logistic regression of the label on each feature's WoE: its coefficient
says how much of that feature's evidence is new given the others. Here the coefficients are kept
non-negative (a bin's points keep the sign of its WoE) and L2-penalised (var evaluation_scorecard_l2):
leadscore.fit.scorecard_weights, the same code `leadscore fit` runs for PostgreSQL and Spark. A dbt
Python model, switched off with var enable_python_models: false.
"""

from leadscore import fit


def model(dbt, session):
    dbt.config(materialized="table")
    l2 = float(dbt.config.get("scorecard_l2"))

    train = dbt.ref("int_backtest_labels").filter("sample = 'train'").select("lead_id, as_of_date, is_converted")
    train = train.df()
    selected_bins = dbt.ref("int_woe_bins").filter("is_selected_feature")
    selected_bins = selected_bins.select("feature_name, bin_number, relative_woe")
    features = list(selected_bins.df()["feature_name"].unique())
    # One column per selected feature: the relative WoE of the lead's bin (0 where no rule would fire).
    woe = (
        dbt.ref("int_woe_lead_bins")
        .filter("sample = 'train'")
        .join(selected_bins, "feature_name, bin_number")
        .select("lead_id, as_of_date, feature_name, relative_woe")
        .df()
    )
    return fit.scorecard_weights(train, woe, features, l2)
