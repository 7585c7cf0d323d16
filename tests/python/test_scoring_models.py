"""Several scoring models side by side (issue 18, part 2): the documented second model
(docs/examples/scoring_models/product_analytics) enabled in a copy of the project scores every lead
beside the default model, with its own rules, arms, thresholds and MQL flag, and leaves the default
model's marts exactly as they were; bad scoring-model seeds stop the build before any mart; a history
written before scoring models gets the default model."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from conftest import TEST_AS_OF, copy_project, dbt, query, use_warehouse

from leadscore import cli, warehouse

EXAMPLE = warehouse.PROJECT_ROOT / "docs/examples/scoring_models/product_analytics"
DEFAULT, SECOND = "core", "product_analytics"
# the example's MQL threshold for persona `all` in each of its arms (students: 70 everywhere)
SECOND_THRESHOLDS = {"pa_v1": 40, "pa_v2": 35}
# what adding a model rebuilds: the scoring seeds and models, and the readers that must stay per lead
SELECT = ["path:seeds/scoring", "path:models/intermediate/scoring", "path:models/marts/scoring",
          "rpt_rule_set_ab_test", "fct_lead_funnel"]
# the marts of the default model compared before and after adding the second (every column)
DEFAULT_MARTS = {
    "fct_lead_scores": "scoring_model = 'core'",
    "fct_lead_score_contributions": "scoring_model = 'core'",
    "fct_lead_score_history": "scoring_model = 'core'",
    "fct_lead_mql_transitions": "scoring_model = 'core'",
    "fct_lead_routing": "scoring_model = 'core'",
    "fct_lead_funnel": "true",
}


def enable_example_model(project: Path) -> None:
    """What README "Several scoring models" tells a user to do: append the example's rows to the seeds
    of the same name (their headers must be the seeds' own)."""
    for example in sorted(EXAMPLE.glob("*.csv")):
        seed = project / "seeds/scoring" / example.name
        with open(example, newline="") as f:
            header, *rows = list(csv.reader(f))
        with open(seed, newline="") as f:
            assert next(csv.reader(f)) == header, f"{example.name}: header differs from the seed's"
        with open(seed, "a", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    return {table: sorted(query(path, f"select * from marts.{table} where {where}"), key=repr)
            for table, where in DEFAULT_MARTS.items()}


def test_a_second_model_scores_every_lead_beside_an_unchanged_default(scratch_warehouse, tmp_path, capsys):
    before = snapshot(scratch_warehouse)
    assert all(before.values()) and len(before["fct_lead_routing"]) >= 10
    project = copy_project(tmp_path / "project")
    enable_example_model(project)
    dbt(scratch_warehouse, "build", "--select", *SELECT, project_dir=project)

    # both models score every lead on the spine, once each
    (spine,), = query(scratch_warehouse, f"""select count(*) from intermediate.int_lead_scoring_spine
        where as_of_date = date '{TEST_AS_OF}'""")
    per_model = dict(query(scratch_warehouse, """select scoring_model, count(distinct lead_id)
        from marts.fct_lead_scores group by 1"""))
    assert per_model == {DEFAULT: spine, SECOND: spine}
    for table, key in [("fct_lead_scores", "lead_id"), ("fct_lead_routing", "lead_id"),
                       ("fct_lead_score_contributions", "lead_id, rule_id"),
                       ("fct_lead_score_history", "lead_id, score_date")]:
        (rows, keys), = query(scratch_warehouse, f"""select count(*),
            count(distinct ({key}, scoring_model)) from marts.{table}""")
        assert rows == keys, table

    # the default model's marts are exactly as they were; the funnel stays one row per lead
    assert snapshot(scratch_warehouse) == before

    # the second model: its own rule sets, rules, thresholds and MQL flag
    arms = dict(query(scratch_warehouse, """select rule_set_version, count(*) from marts.fct_lead_scores
        where scoring_model = 'product_analytics' group by 1"""))
    assert set(arms) == set(SECOND_THRESHOLDS)
    assert abs(arms["pa_v1"] / spine - 0.5) < 0.05, arms  # example shares: 0.5 / 0.5
    (foreign_rules,), = query(scratch_warehouse, """select count(*) from marts.fct_lead_score_contributions
        where scoring_model = 'product_analytics' and rule_id not like 'pa_v_%' and rule_id <> 'score_bounds'""")
    assert foreign_rules == 0
    rows = query(scratch_warehouse, """select rule_set_version, persona, mql_threshold, total_score, is_spam,
        is_mql from marts.fct_lead_scores where scoring_model = 'product_analytics'""")
    for rule_set, persona, threshold, score, is_spam, is_mql in rows:
        expected = 70 if persona == "student" else SECOND_THRESHOLDS[rule_set]
        assert threshold == expected
        assert is_mql == (score >= threshold and not is_spam)
    flags = query(scratch_warehouse, """select d.is_mql, p.is_mql, count(*) from marts.fct_lead_scores as d
        inner join marts.fct_lead_scores as p on d.lead_id = p.lead_id
        where d.scoring_model = 'core' and p.scoring_model = 'product_analytics' group by 1, 2""")
    by_flags = {(d, p): n for d, p, n in flags}
    assert by_flags.get((False, True), 0) > 0 and by_flags.get((True, False), 0) > 0, by_flags

    # each model's arms are drawn apart: core's challenger leads spread over both arms of the second
    spread = dict(query(scratch_warehouse, """select p.rule_set_version, count(*)
        from marts.fct_lead_scores as d inner join marts.fct_lead_scores as p on d.lead_id = p.lead_id
        where d.scoring_model = 'core' and d.rule_set_version = 'v2'
            and p.scoring_model = 'product_analytics' group by 1"""))
    assert min(spread.values()) / sum(spread.values()) > 0.3, spread

    # the second model's MQLs are routed from its own queue; the A/B report compares arms within a model
    (routed,), = query(scratch_warehouse, """select count(*) from marts.fct_lead_routing
        where scoring_model = 'product_analytics'""")
    (second_mqls,), = query(scratch_warehouse, """select count(*) from marts.fct_lead_scores
        where scoring_model = 'product_analytics' and is_mql""")
    assert routed == second_mqls > 0
    ab = query(scratch_warehouse, """select scoring_model, rule_set_version, is_champion, lead_count
        from marts.rpt_rule_set_ab_test order by 1, 2""")
    assert [(m, r, c) for m, r, c, _ in ab] == [
        (DEFAULT, "v1", True), (DEFAULT, "v2", False), (SECOND, "pa_v1", True), (SECOND, "pa_v2", False)]
    assert sum(n for m, *_, n in ab if m == SECOND) == sum(n for m, *_, n in ab if m == DEFAULT)

    # `leadscore summary`: one line per model, the per-lead figures of the default model
    with use_warehouse(scratch_warehouse):
        assert cli.main(["summary", "--top", "3"]) == 0
    out = capsys.readouterr().out
    (default_mqls,), = query(scratch_warehouse, "select count(*) from marts.fct_lead_scores "
                             "where scoring_model = 'core' and is_mql")
    assert f"Lead scores as of {TEST_AS_OF}: {spine:,} leads, {default_mqls:,} MQLs" in out
    assert (f"Scoring models: core (default, shown below) {default_mqls:,} MQLs of {spine:,} leads; "
            f"product_analytics {second_mqls:,} MQLs of {spine:,} leads.") in out


def test_bad_scoring_model_seeds_fail_the_build_before_the_marts(scratch_warehouse, tmp_path):
    project = copy_project(tmp_path / "project")
    enable_example_model(project)
    seeds = project / "seeds/scoring"
    with open(seeds / "rule_set_assignment.csv", "a") as f:
        f.write("product_analytics,v2,0.1\n")  # core's challenger in a second model; pa's shares add up to 1.1
        f.write("web_analytics,pa_v1,1\n")  # a model that is not declared, with a rule set of another
    with open(seeds / "scoring_models.csv", "a") as f:
        f.write("data_apps,Undeclared arms,TRUE\n")  # a second default, and no rule set
    (scored,), = query(scratch_warehouse, "select count(*) from marts.fct_lead_scores")

    result = dbt(scratch_warehouse, "build", "--select", *SELECT, project_dir=project, check=False)
    assert not result.success
    errors = result.messages("error")
    for fragment in [
        "Bad seed rule_set_assignment: ",
        "product_analytics/v2: rule set in two scoring models (core, product_analytics)",
        "web_analytics/pa_v1: unknown scoring model (not in seed scoring_models)",
        "product_analytics/pa_v2: shares of the model add up to 1.1",
        "Bad seed scoring_models: ",
        "-: exactly one scoring model must have is_default true, 2 have",
        "data_apps: no rule set in seed rule_set_assignment",
    ]:
        assert fragment in errors, fragment
    assert {"int_rule_set_assignment", "int_scoring_models"} <= result.names("error")
    assert {"int_lead_scores_current", "fct_lead_scores", "fct_lead_routing"} <= result.names("skipped")
    # the marts still hold the last good run: the default model alone
    assert query(scratch_warehouse, """select scoring_model, count(*) from marts.fct_lead_scores
        group by 1""") == [(DEFAULT, scored)]


def test_a_history_from_before_scoring_models_gets_the_default_model(scratch_warehouse):
    # a warehouse built by the previous release: its history has no scoring_model column
    (day_one,), = query(scratch_warehouse, "select count(*) from marts.fct_lead_score_history")
    with duckdb.connect(str(scratch_warehouse)) as con:
        con.execute("alter table marts.fct_lead_score_history drop column scoring_model")
    next_day = "2026-11-07"
    dbt(scratch_warehouse, "build", "--select", "int_scoring_dates+,+fct_lead_mql_transitions",
        vars_={"as_of_date": next_day})
    days = query(scratch_warehouse, """select score_date, scoring_model, count(*)
        from marts.fct_lead_score_history group by 1, 2 order by 1, 2""")
    assert [(str(d), m) for d, m, _ in days] == [(TEST_AS_OF, DEFAULT), (next_day, DEFAULT)]
    assert days[0][2] == day_one
    # the transitions read both days as one model's history: no lead "became" an MQL again on day two
    (repeated,), = query(scratch_warehouse, f"""select count(*) from marts.fct_lead_mql_transitions as t
        inner join marts.fct_lead_score_history as h
            on t.lead_id = h.lead_id and h.score_date = date '{TEST_AS_OF}' and h.is_mql
        where t.transition_date = date '{next_day}' and t.transition = 'became_mql'""")
    assert repeated == 0
