"""`leadscore summary`: what the last `dbt build` produced - top leads with their reasons, MQLs per persona,
the account MQAs and top accounts, the backtest: each contender's held-out AUC and the rule set
`leadscore suggest-weights` would write, and what moved since the training cut-off (rpt_score_stability)."""

from __future__ import annotations

import argparse
import sys

import duckdb

from leadscore import targets, warehouse
from leadscore.scoring_models import default_model_filter as default_model


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--top", type=int, default=10, help="How many top leads to show (default 10).")


def run(args: argparse.Namespace) -> int:
    path = warehouse.duckdb_path()
    if targets.is_duckdb() and not path.exists():
        print(f"summary: no warehouse at {path} - run `leadscore generate` and `dbt build` first", file=sys.stderr)
        return 2
    try:
        con = warehouse.connect(path, read_only=True) if targets.is_duckdb() else targets.connect_marts()
    except duckdb.Error as exc:
        print(f"summary: cannot open the warehouse {path}: {exc}", file=sys.stderr)
        return 2
    with con:
        try:
            print_summary(con, args.top)
        except duckdb.CatalogException:
            print("summary: no scores yet - run `dbt build` first", file=sys.stderr)
            return 2
    return 0


def print_summary(con: duckdb.DuckDBPyConnection, top: int) -> None:
    (as_of, leads, mqls, spam), = con.execute(f"""
        select max(as_of_date), count(*), count(*) filter (where is_mql), count(*) filter (where is_spam)
        from marts.fct_lead_scores where {default_model()}""").fetchall()
    print(f"Lead scores as of {as_of}: {leads:,} leads, {mqls:,} MQLs, {spam:,} flagged as spam.")
    split = ", ".join(f"{version} {n:,}" for version, n in con.execute(f"""
        select rule_set_version, count(*) from marts.fct_lead_scores where {default_model()}
        group by 1 order by 1""").fetchall())
    print(f"Rule sets scoring leads live: {split}.")
    models = con.execute(f"""
        select scoring_model, is_default, count(*), count(*) filter (where is_mql)
        from (select scoring_model, is_mql, {default_model()} as is_default from marts.fct_lead_scores) as s
        group by scoring_model, is_default order by is_default desc, scoring_model""").fetchall()
    print("Scoring models: " + "; ".join(
        f"{model}{' (default, shown below)' if is_default else ''} {n:,} MQLs of {total:,} leads"
        for model, is_default, total, n in models) + ".")

    print(f"\nTop {top} leads (score, grade, persona, company: top reasons):")
    rows = con.execute(f"""
        select s.total_score, s.grade, s.is_mql, s.persona, coalesce(d.company, '?'), s.top_reasons
        from marts.fct_lead_scores as s
        left join marts.dim_leads as d on s.lead_id = d.lead_id
        where {default_model("s.")}
        order by s.total_score desc, s.lead_id
        limit ?""", [top]).fetchall()
    for score, grade, is_mql, persona, company, reasons in rows:
        flag = "MQL" if is_mql else "   "
        print(f"  {float(score):6.2f} {grade:<3} {flag} {persona:<18} {company[:26]:<26} {reasons or '-'}")

    print("\nMQLs per persona:")
    for persona, n, total in con.execute(f"""
            select persona, count(*) filter (where is_mql), count(*)
            from marts.fct_lead_scores where {default_model()}
            group by persona order by 2 desc, 1""").fetchall():
        print(f"  {persona:<20} {n:6,} MQLs of {total:7,} leads")

    (routed, changed), = con.execute("""
        select count(*), count(*) filter (where changed_since_previous_run) from marts.fct_lead_routing""").fetchall()
    print(f"\nCRM sync (fct_lead_routing): {routed:,} MQLs routed to reps, {changed:,} new or changed since the last run.")
    print_accounts(con, min(top, 5))
    print_rule_changes(con)
    print_backtest(con)


def print_accounts(con, top: int) -> None:
    """The account scores (fct_account_scores): how many marketing-qualified accounts (MQAs), how many MQLs go to
    their owners, and the top accounts with their reasons. Companies and counts only: no person, no rep."""
    try:
        (accounts, mqas, linked), = con.execute("""
            select count(*), count(*) filter (where is_mqa), coalesce(sum(linked_leads), 0)
            from marts.fct_account_scores""").fetchall()
        (to_owner,), = con.execute("""
            select count(*) from marts.fct_lead_routing where routing_reason = 'account_owner'""").fetchall()
    except duckdb.CatalogException:
        print("\nAccount scores: not built - run `dbt build`.")
        return
    print(f"\nAccount scores (fct_account_scores): {mqas:,} MQAs of {accounts:,} accounts ({linked:,} leads linked); "
          f"{to_owner:,} MQLs of MQAs routed to the account owner.")
    rows = con.execute("""
        select account_name, account_score, grade, is_mqa, personas_engaged, engaged_leads, top_reasons
        from marts.fct_account_scores
        order by is_mqa desc, account_score desc, crm_account_id
        limit ?""", [top]).fetchall()
    for name, score, grade, is_mqa, personas, engaged, reasons in rows:
        flag = "MQA" if is_mqa else "   "
        print(f"  {float(score):6.2f} {grade:<2} {flag} {(name or '?')[:26]:<26} {personas} personas, "
              f"{engaged} engaged leads: {reasons or '-'}")


def print_backtest(con: duckdb.DuckDBPyConnection) -> None:
    """Held-out AUC of every contender at the latest held-out cut-off, and the suggested rule set's status."""
    try:
        rows = con.execute("""
            select as_of_date, contender, is_champion, row_count, roc_auc
            from marts.rpt_champion_challenger
            where as_of_date = (select max(as_of_date) from marts.rpt_champion_challenger)
            order by roc_auc desc nulls last, contender""").fetchall()
        status = con.execute("select status, status_message from marts.rpt_suggested_rule_set").fetchone()
    except duckdb.CatalogException:
        print("\nBacktest: not built (the evaluation models are missing) - run `dbt build`.")
        return
    if rows:
        print(f"\nBacktest: held-out AUC as of {rows[0][0]} ({rows[0][3]:,} held-out leads, rpt_champion_challenger):")
        for _, contender, is_champion, _, auc in rows:
            shown = "   n/a" if auc is None else f"{auc:.4f}"
            print(f"  {contender:<22} {shown}{' (champion)' if is_champion else ''}")
    else:
        print("\nBacktest: no held-out rows.")
    if status:
        print(f"Suggested rule set ({status[0]}): {status[1]}")
    print_stability(con)


def print_stability(con) -> None:
    """The population stability since the training cut-off: the scores' PSI and what is past the limit."""
    try:
        rows = con.execute("""
            select subject_type, subject_name, psi, is_psi_over_limit, baseline_as_of_date, current_as_of_date
            from marts.rpt_score_stability
            order by psi desc, subject_type, subject_name""").fetchall()
    except duckdb.CatalogException:
        return
    if not rows:
        print("Score stability: nothing to compare (no training cut-off).")
        return
    scores = ", ".join(f"{name} {psi:.3f}" for kind, name, psi, *_ in rows if kind == "score")
    print(f"Score stability since the training cut-off {rows[0][4]} (PSI, rpt_score_stability): scores {scores}.")
    shifted = [f"{kind} {name} {psi:.2f}" for kind, name, psi, over, *_ in rows if over]
    print(f"  past the limit: {', '.join(shifted[:5])}{' ...' if len(shifted) > 5 else ''}" if shifted
          else f"  no score or feature past the limit; the largest shift: {rows[0][0]} {rows[0][1]} {rows[0][2]:.3f}")


def print_rule_changes(con) -> None:
    """The top scoring rule change (of the latest day with changes, the largest points change) and how the scores
    moved since the previous run in the default scoring model: new behaviour, decay and rule changes
    (fct_lead_score_changes)."""
    try:
        changes = con.execute("""
            select changed_at, seed_name, seed_key, change_kind, changed_values,
                   count(*) over () as logged
            from marts.fct_scoring_rule_changes
            order by cast(changed_at as date) desc,
                     abs(coalesce(points_after, 0) - coalesce(points_before, 0)) desc, changed_at desc,
                     seed_name, seed_key
            limit 1""").fetchall()
        (moved, since, new, decay, rules, by_rules), = con.execute(f"""
            select count(*), max(previous_score_date), sum(new_behaviour_points), sum(decay_points),
                   sum(rule_change_points), count(*) filter (where rule_change_points <> 0)
            from marts.fct_lead_score_changes
            where score_date = (select max(score_date) from marts.fct_lead_score_changes)
                and {default_model()}""").fetchall()
    except duckdb.CatalogException:
        print("\nRule changes: not built (the scoring seeds' snapshots are off on Spark, or `dbt build` has not run).")
        return
    if changes:
        at, seed, key, kind, values, logged = changes[0]
        print(f"\nTop rule change of the latest day (of {logged:,} logged in fct_scoring_rule_changes), "
              f"{at:%Y-%m-%d %H:%M} UTC: {seed} {key} {kind}: {values}.")
    else:
        print("\nRule changes: none since the scoring seeds were first snapshotted (fct_scoring_rule_changes).")
    if moved:
        print(f"Scores moved since {since} (fct_lead_score_changes): {moved:,} leads; new behaviour {new:+,.2f}, "
              f"decay {decay:+,.2f}, rule changes {rules:+,.2f} points ({by_rules:,} leads moved by rules).")
    else:
        print("Score changes: no previous scored day to compare with yet (fct_lead_score_changes is empty).")
