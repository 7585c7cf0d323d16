"""`leadscore fit`: the learned weights on targets without dbt Python models (PostgreSQL, Spark).

On DuckDB the dbt Python models int_logistic_regression_fit and int_woe_scorecard_fit fit them during
`dbt build`. Elsewhere the job is:
1. `dbt build --vars '{enable_python_models: false, learned_weights_from_cli: true}'`: builds the training
   rows (backtest labels, learning terms, WoE bins); before the first fit the stg_learned__ views are empty;
2. `leadscore fit`: reads the training rows through the active target (only the 'train' sample leaves the
   warehouse), fits them with leadscore/fit.py (the Python models' code) and writes the results to the
   target as tables learned.logistic_regression_fit and learned.woe_scorecard_fit, replacing them;
3. `dbt build --select stg_learned__logistic_regression_fit+ stg_learned__woe_scorecard_fit+` with the same
   vars: the learned contenders, suggested rules and learned scores from the fit.
The regularisation is that of the build: vars evaluation_logistic_c and evaluation_scorecard_l2 from
dbt_project.yml, overridden by --vars as in dbt.
"""

from __future__ import annotations

import argparse
import sys

import duckdb
import pandas as pd

from leadscore import fit, targets, warehouse

PROJECT_VARS = warehouse.PROJECT_ROOT / "dbt_project.yml"
SETTINGS = {"logistic_c": "evaluation_logistic_c", "scorecard_l2": "evaluation_scorecard_l2"}
BUILD_VARS = "{enable_python_models: false, learned_weights_from_cli: true}"
TRAIN = "select lead_id, as_of_date, is_converted from intermediate.int_backtest_labels where sample = 'train'"
TERMS = """
    select terms.lead_id, terms.as_of_date, terms.term, terms.term_value
    from intermediate.int_learning_features as terms
    inner join intermediate.int_backtest_labels as labels
        on terms.lead_id = labels.lead_id and terms.as_of_date = labels.as_of_date
    where labels.sample = 'train'"""
SELECTED_FEATURES = "select distinct feature_name from intermediate.int_woe_bins where is_selected_feature"
WOE = """
    select lead_bins.lead_id, lead_bins.as_of_date, lead_bins.feature_name, bins.relative_woe
    from intermediate.int_woe_lead_bins as lead_bins
    inner join intermediate.int_woe_bins as bins
        on lead_bins.feature_name = bins.feature_name and lead_bins.bin_number = bins.bin_number
    where lead_bins.sample = 'train' and bins.is_selected_feature"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vars", default="{}",
                        help="dbt vars (YAML/JSON) of the build, for the regularisation vars "
                             "(evaluation_logistic_c, evaluation_scorecard_l2) and learned_schema.")
    parser.add_argument("--schema", default=None,
                        help="Schema to write the fits to (default: var learned_schema, else 'learned').")


def _frame(con, sql: str) -> pd.DataFrame:
    result = con.execute(sql)
    return pd.DataFrame(result.fetchall(), columns=[d[0] for d in result.description])


def settings(cli_vars: dict) -> dict[str, float]:
    """The fits' regularisation: dbt_project.yml's vars, overridden by the --vars given."""
    import yaml

    project_vars = yaml.safe_load(PROJECT_VARS.read_text()).get("vars") or {}
    return {key: float(cli_vars.get(name, project_vars[name])) for key, name in SETTINGS.items()}


def fit_tables(con, setting: dict[str, float]) -> dict[str, pd.DataFrame]:
    """The two fits from the training rows `con` (a mart reader of the target) returns."""
    train = _frame(con, TRAIN)
    logistic = fit.logistic_regression(train, _frame(con, TERMS), setting["logistic_c"])
    features = list(_frame(con, SELECTED_FEATURES)["feature_name"])
    scorecard = fit.scorecard_weights(train, _frame(con, WOE), features, setting["scorecard_l2"])
    return {"logistic_regression_fit": logistic, "woe_scorecard_fit": scorecard}


def write_tables(tables: dict[str, pd.DataFrame], schema_name: str) -> None:
    """The frames as tables of `schema_name` on the active target, through an in-memory DuckDB."""
    with duckdb.connect() as con:
        con.execute(f'create schema "{schema_name}"')
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f'create table "{schema_name}"."{name}" as select * from frame')
            con.unregister("frame")
        targets.publish_tables(con, [(schema_name, name) for name in tables])


def run(args: argparse.Namespace) -> int:
    import yaml

    if targets.is_duckdb():
        print("leadscore fit: on DuckDB the dbt Python models fit the learned weights in `dbt build`; "
              "nothing to do", file=sys.stderr)
        return 0
    cli_vars = yaml.safe_load(args.vars) or {}
    schema_name = args.schema or cli_vars.get("learned_schema", "learned")
    # written while the reader is open: on Spark the writer then reuses its session (one metastore client)
    with targets.connect_marts() as con:
        try:
            tables = fit_tables(con, settings(cli_vars))
        except targets.MissingRelation as exc:
            print(f"leadscore fit: no training rows on {targets.active()} ({str(exc).splitlines()[0]}); "
                  f"build first with --vars '{BUILD_VARS}'", file=sys.stderr)
            return 1
        write_tables(tables, schema_name)
    logistic, scorecard = tables["logistic_regression_fit"], tables["woe_scorecard_fit"]
    rows = int(logistic["training_rows"].max()) if len(logistic) else 0
    print(f"leadscore fit: {len(logistic)} logistic terms and {len(scorecard)} scorecard weights from "
          f"{rows:,} training rows, written to {schema_name} on {targets.active()}; now dbt build --select "
          "stg_learned__logistic_regression_fit+ stg_learned__woe_scorecard_fit+ "
          f"--vars '{BUILD_VARS}'")
    return 0
