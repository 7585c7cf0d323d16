"""The sales feedback loop (issue 18, part 5): reps' dispositions on MQLs (raw_crm.mql_feedback), planted by the
generator in line with the latent model; MQL acceptance per rule set, threshold and rule; rules that fire on
rejected MQLs; bad_fit rejections as early negative labels, and what they do to the held-out precision at the
MQL threshold of the suggested rule set learned with them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from leadscore import cli
from leadscore.generate import feedback, writer

from conftest import copy_warehouse, dbt, generate_into, query, use_warehouse

# A disposition of the generated data with its person's latent truth (crm.py: primary record id 00Q<pid>AAA,
# duplicate record 00Q<pid>DUP; the latest version of each disposition id).
LATEST_WITH_TRUTH = """
    with latest as (
        select * from raw_crm.mql_feedback
        qualify row_number() over (partition by id order by last_modified_date desc) = 1
    )
    select
        latest.lead_id like '%DUP' as on_duplicate_record,
        lower(latest.disposition) as disposition,
        replace(lower(latest.rejection_reason), ' ', '_') as reason,
        truth.persona,
        truth.intent,
        truth.is_converted,
        {fit} as latent_fit
    from latest
    inner join generator_truth.leads as truth
        on cast(substr(latest.lead_id, 4, 12) as bigint) = truth.person_id
""".format(fit=feedback.latent_fit_sql().replace("persona", "truth.persona")
           .replace("employees", "truth.employees").replace("domain_kind", "truth.domain_kind"))


@pytest.fixture(scope="module")
def dispositions(generated_warehouse) -> pd.DataFrame:
    with duckdb.connect(str(generated_warehouse), read_only=True) as con:
        return con.execute(LATEST_WITH_TRUTH).df()


def test_dispositions_follow_the_latent_model(dispositions):
    own = dispositions[~dispositions.on_duplicate_record]
    accepted, rejected = own[own.disposition == "accepted"], own[own.disposition == "rejected"]
    assert len(accepted) > 100 and len(rejected) > 50
    # reps accept the leads with the higher hidden intent and fit, and those convert more often
    assert accepted.intent.mean() > rejected.intent.mean() + 0.2
    assert accepted.latent_fit.mean() > rejected.latent_fit.mean() + 0.5
    assert accepted.is_converted.mean() > 1.5 * rejected.is_converted.mean()
    # bad fit is low latent fit; spam is spammers and test leads; wrong timing is low intent
    bad_fit = own[own.reason == "bad_fit"]
    assert len(bad_fit) > 15 and (bad_fit.latent_fit < feedback.BAD_FIT_BELOW).all()
    assert set(own[own.reason == "spam"].persona) <= {"spammer", "internal"}
    assert (own[own.reason == "wrong_timing"].intent < 0).all()
    # a person's duplicate CRM record is rejected as duplicate, and nothing else is
    assert (dispositions[dispositions.on_duplicate_record].reason == "duplicate").all()
    assert (own.reason != "duplicate").all() and dispositions.on_duplicate_record.sum() > 5


def test_generator_values_are_the_staging_contract(built_warehouse):
    """The generator writes only the values staging accepts: no generated disposition is set aside."""
    rows = dict(query(built_warehouse, "select row_status, count(*) from staging.base_crm__mql_feedback group by 1"))
    assert rows.get("rejected", 0) == 0 and rows["staged"] > 200 and rows["duplicate"] > 0  # revised versions
    staged = set(query(built_warehouse, "select distinct disposition, disposition_reason from staging.stg_crm__mql_feedback"))
    assert staged == {("accepted", None)} | {("rejected", r) for r in feedback.REJECTION_REASONS}


def test_feedback_leaves_the_other_tables_unchanged(generated_warehouse, tmp_path, monkeypatch):
    """Without the feedback step the generator writes the very same rows in every other table (EXCEPT ALL)."""
    monkeypatch.setattr(writer.Generator, "mql_feedback_sql",
                        lambda self: "select * from raw_crm.mql_feedback where false")
    without = tmp_path / "without.duckdb"
    generate_into(without)
    with duckdb.connect(str(without)) as con:
        con.execute(f"attach '{generated_warehouse}' as with_feedback (read_only)")
        assert con.execute("select count(*) from raw_crm.mql_feedback").fetchone()[0] == 0
        from leadscore import schema
        for t in schema.RAW_TABLES:
            if t.name == "mql_feedback":
                continue
            for a, b in ((t.qualified_name, f"with_feedback.{t.qualified_name}"),
                         (f"with_feedback.{t.qualified_name}", t.qualified_name)):
                (diff,), = con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchall()
                assert diff == 0, t.qualified_name


def test_append_day_adds_the_dispositions_of_that_day(generated_warehouse, tmp_path):
    path = copy_warehouse(generated_warehouse, tmp_path, "append.duckdb")
    (before,), = query(path, "select count(*) from raw_crm.mql_feedback")
    with use_warehouse(path):
        assert cli.main(["generate", "--append-day", "--quiet"]) == 0
    (added, lo, dup), = query(path, """select count(*), min(_loaded_at), count(*) - count(distinct (id, last_modified_date))
                                       from raw_crm.mql_feedback where _loaded_at >= date '2026-11-01'""")
    (after,), = query(path, "select count(*) from raw_crm.mql_feedback")
    assert added > 0 and after == before + added and dup == 0
    # loaded that day only, each after its disposition, and none of the earlier rows again
    (lo, hi, late), = query(path, """select min(_loaded_at), max(_loaded_at), count(*) filter (where disposed_at > _loaded_at)
                                     from raw_crm.mql_feedback where _loaded_at >= date '2026-11-01'""")
    assert str(lo) >= "2026-11-01" and str(hi) < "2026-11-02" and late == 0
    (again,), = query(path, """select count(*) from (select id, last_modified_date from raw_crm.mql_feedback
                                  where _loaded_at >= date '2026-11-01' intersect
                                  select id, last_modified_date from raw_crm.mql_feedback where _loaded_at < date '2026-11-01')""")
    assert again == 0


def _independent_acceptance(path: Path) -> pd.DataFrame:
    """Per rule set, from staging and the scores: the latest disposition of each lead (a duplicate rejection
    only when the lead has no other) if made in the 90 days before the as-of date, then accepted MQLs /
    dispositioned MQLs."""
    with duckdb.connect(str(path), read_only=True) as con:
        disp = con.execute("""
            select ids.lead_id, f.disposition, f.disposition_reason, f.disposed_at
            from staging.stg_crm__mql_feedback as f
            inner join intermediate.int_identity_map as ids
                on ids.identifier_type = 'crm_lead_id' and ids.identifier_value = f.crm_lead_id""").df()
        scores = con.execute("""select lead_id, rule_set_version, is_mql, total_score
                                from intermediate.int_lead_scores_by_date where as_of_date = date '2026-10-31'""").df()
    disp["dup"] = disp.disposition_reason.eq("duplicate")
    latest = (disp.sort_values(["lead_id", "dup", "disposed_at"], ascending=[True, True, False])
              .groupby("lead_id").head(1))
    latest = latest[latest.disposed_at >= pd.Timestamp("2026-11-01") - pd.Timedelta(days=90)]  # the window
    joined = latest.merge(scores, on="lead_id")
    mqls = joined[joined.is_mql]
    return mqls.groupby("rule_set_version").agg(
        dispositioned_mqls=("lead_id", "size"), accepted_mqls=("disposition", lambda d: (d == "accepted").sum()),
        bad_fit=("disposition_reason", lambda r: (r == "bad_fit").sum())), joined


def test_acceptance_reports_recomputed_independently(built_warehouse):
    expected, joined = _independent_acceptance(built_warehouse)
    report = pd.DataFrame(query(built_warehouse, """
        select rule_set_version, dispositioned_mqls, accepted_mqls, rejected_bad_fit_mqls, mql_acceptance_rate
        from marts.rpt_mql_feedback_acceptance"""), columns=["rule_set_version", "mqls", "accepted", "bad_fit", "rate"])
    report = report.set_index("rule_set_version")
    assert len(report) >= 2 and set(report.index) == set(expected.index)
    for version, row in expected.iterrows():
        got = report.loc[version]
        assert (got.mqls, got.accepted, got.bad_fit) == (row.dispositioned_mqls, row.accepted_mqls, row.bad_fit)
        assert got.rate == pytest.approx(row.accepted_mqls / row.dispositioned_mqls)
        assert 0.3 < got.rate < 1  # neither everything nor nothing is accepted
    # the sweep at 50: dispositioned leads scoring at least 50
    sweep = dict(((v, t), (n, a)) for v, t, n, a in query(built_warehouse, """
        select rule_set_version, score_threshold, dispositioned_leads, accepted_leads
        from marts.rpt_mql_feedback_threshold_sweep"""))
    for version, group in joined.groupby("rule_set_version"):
        at_50 = group[group.total_score >= 50]
        assert sweep[(version, 50)] == (len(at_50), (at_50.disposition == "accepted").sum())
        assert sweep[(version, 0)][0] == len(group)
        # acceptance rises with the score: the top half of thresholds accept more than all dispositioned leads
        assert sweep[(version, 50)][1] / max(sweep[(version, 50)][0], 1) > sweep[(version, 0)][1] / sweep[(version, 0)][0]


def test_rules_on_rejected_mqls_recomputed_independently(built_warehouse):
    _, joined = _independent_acceptance(built_warehouse)
    hits = pd.DataFrame(query(built_warehouse, """
        select distinct lead_id, rule_set_version, rule_id from intermediate.int_lead_rule_hits
        where as_of_date = date '2026-10-31'"""), columns=["lead_id", "rule_set_version", "rule_id"])
    fired = joined[joined.is_mql].merge(hits, on=["lead_id", "rule_set_version"])
    fired["rejected"] = fired.disposition == "rejected"
    expected = fired.groupby(["rule_set_version", "rule_id"]).agg(n=("lead_id", "size"), rejected=("rejected", "sum"))
    report = pd.DataFrame(query(built_warehouse, """
        select rule_set_version, rule_id, fired_mqls, rejected_fired_mqls, rejected_rank
        from marts.rpt_rules_on_rejected_mqls"""), columns=["rule_set_version", "rule_id", "n", "rejected", "rank"])
    report = report.set_index(["rule_set_version", "rule_id"])
    assert len(report) == len(expected) > 10
    assert (report[["n", "rejected"]].sort_index() == expected.sort_index()).all().all()
    top = report[report["rank"] == 1]
    for (version, _), row in top.iterrows():
        assert row.rejected == expected.loc[version].rejected.max()


def _holdout_rows(path: Path) -> tuple[float, pd.DataFrame]:
    """The MQL threshold of the suggested rule set (contender woe_suggested: the capacity threshold of
    rpt_suggested_rule_set) and every backtest row with its label and woe_suggested score."""
    (threshold,), = query(path, "select mql_threshold from marts.rpt_suggested_rule_set")
    rows = query(path, """
        select labels.lead_id, labels.as_of_date, labels.sample, labels.label_source, labels.is_converted, scores.score
        from intermediate.int_backtest_labels as labels
        inner join intermediate.int_backtest_scores as scores
            on labels.lead_id = scores.lead_id and labels.as_of_date = scores.as_of_date
        where scores.contender = 'woe_suggested'""")
    return threshold, pd.DataFrame(rows, columns=["lead_id", "as_of_date", "sample", "label_source", "is_converted",
                                                  "score"])


def _precision(frame: pd.DataFrame, threshold: float) -> tuple[float, int]:
    mqls = frame[frame.score >= threshold]
    return float(mqls.is_converted.mean()), len(mqls)


@pytest.fixture(scope="module")
def without_feedback(built_warehouse, tmp_path_factory) -> Path:
    """The built warehouse with the evaluation rebuilt without early negatives."""
    path = copy_warehouse(built_warehouse, tmp_path_factory.mktemp("no-feedback"), "off.duckdb")
    dbt(path, "build", "--select", "int_backtest_labels+", "--exclude", "test_type:unit",
        vars_={"evaluation_feedback_early_negatives": False})
    return path


def test_early_negatives_are_bad_fit_rejections_known_at_the_cutoff(built_warehouse):
    early = set(query(built_warehouse, """
        select lead_id, as_of_date from intermediate.int_backtest_labels where label_source = 'early_negative'"""))
    # independently: the lead's latest own disposition before the cut-off (staging, identity map) is bad_fit,
    # for the cut-offs up to the first held-out one
    expected = set(query(built_warehouse, """
        with disp as (
            select ids.lead_id, f.disposition_reason, f.disposed_at
            from staging.stg_crm__mql_feedback as f
            inner join intermediate.int_identity_map as ids
                on ids.identifier_type = 'crm_lead_id' and ids.identifier_value = f.crm_lead_id
            where coalesce(f.disposition_reason, '') <> 'duplicate'
        ),
        horizon as (select min(cutoff_at) as at from intermediate.int_backtest_cutoffs
                    where cutoff_role in ('holdout', 'train_and_holdout')),
        standing as (
            select labels.lead_id, labels.as_of_date, disp.disposition_reason,
                row_number() over (partition by labels.lead_id, labels.as_of_date order by disp.disposed_at desc) as n
            from intermediate.int_backtest_labels as labels
            cross join horizon
            inner join disp on labels.lead_id = disp.lead_id and disp.disposed_at < labels.cutoff_at
            where labels.cutoff_at <= horizon.at
        )
        select lead_id, as_of_date from standing where n = 1 and disposition_reason = 'bad_fit'"""))
    assert len(early) >= 5 and early == expected
    (bad,), = query(built_warehouse, """select count(*) from intermediate.int_backtest_labels
                                        where label_source = 'early_negative' and (sample <> 'train' or is_converted)""")
    assert bad == 0


def test_early_negatives_reach_the_fit_and_held_out_precision(built_warehouse, without_feedback):
    """The early negatives are training rows of the learned rule sets (and leave the holdout); their effect
    on the held-out precision at the MQL threshold of the suggested rule set is measured on the rows held
    out in both runs and printed (README "Sales feedback"): on the generator's data it is not there."""
    threshold_on, on = _holdout_rows(built_warehouse)
    threshold_off, off = _holdout_rows(without_feedback)
    moved = on[(on.label_source == "early_negative") & (on.as_of_date != on[on["sample"] == "train"].as_of_date.min())]
    assert (off.label_source == "outcome").all() and len(moved) > 0
    trained = {p: query(p, "select training_rows, holdout_rows from marts.rpt_suggested_rule_set")[0]
               for p in (built_warehouse, without_feedback)}
    assert trained[built_warehouse][0] - trained[without_feedback][0] == len(moved)
    assert trained[without_feedback][1] - trained[built_warehouse][1] == len(moved)
    coefficients = {p: dict(query(p, "select term, coefficient from intermediate.int_logistic_regression_fit"))
                    for p in (built_warehouse, without_feedback)}
    assert coefficients[built_warehouse] != coefficients[without_feedback]  # the fit saw them
    key = ["lead_id", "as_of_date"]
    common = on[on["sample"] == "holdout"][key].merge(off[off["sample"] == "holdout"][key], on=key)
    assert len(common) == (off["sample"] == "holdout").sum() - len(moved) > 300
    precision_on, mqls_on = _precision(on.merge(common, on=key), threshold_on)
    precision_off, mqls_off = _precision(off.merge(common, on=key), threshold_off)
    print(f"\nheld-out precision of the suggested rule set at its MQL threshold, {len(common)} rows held out in "
          f"both runs: with {len(on[on.label_source == 'early_negative'])} early negatives {precision_on:.3f} "
          f"({mqls_on} MQLs at {threshold_on}), without {precision_off:.3f} ({mqls_off} MQLs at {threshold_off})")
    assert mqls_on >= 10 and mqls_off >= 10
    assert abs(precision_on - precision_off) < 0.05  # no effect either way on this data (README)


def test_without_the_feedback_table_acceptance_falls_back_on_the_crm_status(scratch_warehouse):
    """crm_mql_feedback_enabled false: the table is not read (staging empty, no freshness check) and
    dim_leads.sales_disposition, which metric mql_acceptance_rate reads, comes from the CRM lead status."""
    vars_ = {"crm_mql_feedback_enabled": False}
    dbt(scratch_warehouse, "run", "--select", "base_crm__mql_feedback", "stg_crm__mql_feedback",
        "int_lead_mql_dispositions", "dim_leads", vars_=vars_)
    assert query(scratch_warehouse, "select count(*) from staging.base_crm__mql_feedback") == [(0,)]
    rows = dict(((s, d), n) for s, d, n in query(scratch_warehouse, """
        select sales_disposition_source, sales_disposition, count(*) from marts.dim_leads group by all"""))
    status = dict(query(scratch_warehouse, """select lead_status, count(*) from marts.dim_leads group by 1"""))
    assert rows[("crm_status", "accepted")] == status.get("Working", 0) + status.get("Qualified", 0) > 0
    assert rows[("crm_status", "rejected")] == status.get("Unqualified", 0) + status.get("Nurturing", 0) > 0
    assert not any(source == "mql_feedback" for source, _ in rows)
    fresh = dbt(scratch_warehouse, "source", "freshness", "--select", "source:crm", vars_=vars_, check=False)
    assert "crm.mql_feedback" not in {".".join(r["unique_id"].split(".")[2:]) for r in fresh.results}
