"""The demo shows the loop: a plain `dbt build` (no backtest var, as `make demo` runs it) backtests at
cut-offs it picks from the as-of date, fills champion/challenger, and `leadscore summary` prints every
contender's held-out AUC; a run without the backtest (the daily job) scores only as of the as-of date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from conftest import _TARGETS, TEST_AS_OF, copy_warehouse, dbt, query, use_warehouse
from leadscore import cli, warehouse

LABEL_WINDOW_DAYS = 90  # evaluation_label_window_days


def test_plain_build_backtests_at_cutoffs_picked_from_the_as_of_date(built_warehouse):
    as_of = date.fromisoformat(TEST_AS_OF)
    cutoffs = query(built_warehouse, """
        select as_of_date, cutoff_role, is_usable, label_window_end_at::date
        from intermediate.int_backtest_cutoffs order by as_of_date""")
    train, holdout = as_of - timedelta(days=2 * LABEL_WINDOW_DAYS), as_of - timedelta(days=LABEL_WINDOW_DAYS)
    assert [row[:3] for row in cutoffs] == [(train, "train", True), (holdout, "holdout", True)]
    assert all(row[3] <= as_of + timedelta(days=1) for row in cutoffs), "label windows complete by the as-of date"
    report = dict(query(built_warehouse, """
        select contender, roc_auc from marts.rpt_champion_challenger where as_of_date = ?""", [holdout]))
    assert {"v1", "v2", "woe_suggested", "logistic_regression"} <= set(report)
    assert all(auc is not None and auc > 0.6 for auc in report.values()), report
    (status,) = query(built_warehouse, "select status from marts.rpt_suggested_rule_set")[0]
    assert status == "ok"


def test_summary_prints_each_contenders_held_out_auc(built_warehouse, capsys):
    rows = query(built_warehouse, """
        select contender, roc_auc from marts.rpt_champion_challenger
        where as_of_date = (select max(as_of_date) from marts.rpt_champion_challenger)""")
    with use_warehouse(built_warehouse):
        assert cli.main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "held-out AUC" in out
    for contender, auc in rows:
        assert re.search(rf"^\s+{re.escape(contender)}\s+{auc:.4f}", out, re.MULTILINE), (contender, out)
    # and each rule set's score stability since the training cut-off
    scores = query(built_warehouse, "select subject_name, psi from marts.rpt_score_stability where subject_type = 'score'")
    assert scores
    for rule_set, psi in scores:
        assert re.search(rf"Score stability since the training cut-off .*\b{rule_set} {psi:.3f}\b", out), out


def compiled_scoring_dates(path, *select: str) -> str:
    dbt(path, "compile", "--select", *select)
    target = _TARGETS[warehouse.PROJECT_ROOT]
    return (target / "compiled" / "leadscore" / "models" / "intermediate" / "features"
            / "int_scoring_dates.sql").read_text()


def test_only_runs_that_build_the_backtest_score_as_of_its_cutoffs(built_warehouse, tmp_path):
    wh = copy_warehouse(built_warehouse, tmp_path)
    train = str(date.fromisoformat(TEST_AS_OF) - timedelta(days=2 * LABEL_WINDOW_DAYS))
    assert train in compiled_scoring_dates(wh, "int_scoring_dates", "int_backtest_cutoffs")
    # the daily job's selection holds no backtest: features and scores only as of the as-of date
    assert train not in compiled_scoring_dates(wh, "int_scoring_dates")
