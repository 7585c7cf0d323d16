"""The project on Spark (DBT_TARGET=spark: dbt-spark's in-process session, plain parquet tables), next to
DuckDB on the same data (tests/python/engines.py).

Spark runs in-process from the pinned pyspark with Java 17 (`make engines` installs Debian's when missing);
its tables and Derby metastore live in a temporary LEADSCORE_SPARK_DIR. `make test-spark` runs this file alone.
"""

from __future__ import annotations

import shutil

import pytest

import engines

pytestmark = pytest.mark.slow
# Spark spends one to several seconds on every node (a unit test: 10-50 s), so its suite builds every model
# and seed, and runs the singular tests and the generic tests of the marts; the generic tests of staging,
# intermediate models and seeds (~450) and the unit tests (31) run on DuckDB and PostgreSQL (on the same
# rows: the marts are equal). Then the daily job's models, and their full refresh on Spark, which the
# increment must equal.
FULL_BUILD = ("build", "--exclude", "resource_type:unit_test", "test_type:generic,path:models/staging",
              "test_type:generic,path:models/intermediate", "test_type:generic,path:seeds")
DAILY = ("run", "--selector", "daily")


@pytest.fixture(scope="module")
def cycle(engine_duckdb_side, tmp_path_factory):
    """Generate, full build, one more day and the daily job, its full refresh; DuckDB alongside (run once)."""
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java 17: run `make engines` (installs openjdk-17-jre-headless)")
    directory = tmp_path_factory.mktemp("spark-cycle")
    env = {"DBT_TARGET": "spark", "LEADSCORE_SPARK_DIR": str(directory / "spark")}
    return engines.EngineCycle(directory, env, engine_duckdb_side).run(full_build=FULL_BUILD, daily=DAILY,
                                                                       learned_build=("run",))


def test_full_build_passes_every_node(cycle):
    engines.assert_every_node_passed(cycle.runs["full_build"], at_least=250)


def test_raw_tables_copied_exactly(cycle):
    engines.assert_raw_tables_copied_exactly(cycle)


def test_seeds_equal_duckdb(cycle):
    """dbt-spark's session seeds put values into SQL unescaped; macros/engines/spark_seeds.sql escapes them
    (country_codes has names with an apostrophe)."""
    engines.assert_seeds_equal_duckdb(cycle)


def test_scores_grades_mqls_arms_routing_equal_duckdb(cycle):
    engines.assert_same_as_duckdb(cycle.after_full, cycle.duck_after_full)


def test_learned_weights_fitted_by_the_cli_give_duckdbs_held_out_auc(cycle):
    """`leadscore fit` fits the logistic regression and scorecard weights from the training rows read on
    Spark, with the code of DuckDB's Python models; the learned contenders' held-out AUC is DuckDB's."""
    engines.assert_learned_auc_near_duckdb(cycle)


def test_daily_increment_equals_duckdb(cycle):
    engines.assert_daily_equals_duckdb(cycle)


def test_daily_increment_equals_full_refresh(cycle):
    engines.assert_increment_equals_full_refresh(cycle)


def test_cli_summary_reads_the_spark_marts(cycle):
    engines.assert_summary_counts(cycle)
