"""What if a rule's points or a category cap changed? Scores, MQL flags and held-out AUC of the edit.

No second scoring engine: the project's own compiled SQL (target/manifest.json, written by the dbt
command that built the warehouse) runs in an in-memory DuckDB that attaches the warehouse snapshot
read-only. The edited seeds become tables of a `whatif` schema there, and every model between those
seeds and the figures (int_scoring_rules ... int_lead_scores_by_date ... rpt_backtest_auc) is
re-created there from its compiled SQL, its references to the seeds and to the re-created models
pointed at the `whatif` copies; everything else (features, labels, learned scores) is read from the
snapshot as built (so the scoring dates, as-of date and cut-offs, are the warehouse's: the chain's
compiled SQL holds none). Bad edits fail in the project's own validation (macro fail_if), whose message
is shown. The warehouse and the seed files are never written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from leadscore import warehouse

EDITABLE_SEEDS = ("scoring_rules", "scoring_category_caps")
# The models whose rows the page compares: the scores by date (grades, MQL flags) and the backtest AUC.
FIGURE_MODELS = ("int_lead_scores_by_date", "rpt_backtest_auc")
SCHEMA = "memory.whatif"
TARGET_PATH_ENV = "DBT_TARGET_PATH"  # dbt's own variable for its target directory


class WhatIfUnavailable(Exception):
    """The what-if cannot run; the message says why and what to do."""


@dataclass(frozen=True)
class Node:
    name: str
    relation: str  # as dbt renders it in compiled SQL, e.g. "leadscore"."intermediate"."int_scoring_rules"
    sql: str


@dataclass(frozen=True)
class Plan:
    """The compiled models to re-run, in dependency order, and the seeds they read."""

    database: str  # the warehouse's catalog name in the compiled SQL
    seeds: dict[str, str]  # seed name -> relation
    nodes: tuple[Node, ...]
    relations: dict[str, str]  # model name -> relation in the warehouse (for the figures' baselines)


def manifest_path() -> Path:
    target = Path(os.environ.get(TARGET_PATH_ENV, "target"))
    return (target if target.is_absolute() else warehouse.PROJECT_ROOT / target) / "manifest.json"


def _walk(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _ordered(ids: set[str], parents: dict[str, list[str]]) -> list[str]:
    done: list[str] = []
    while len(done) < len(ids):
        ready = sorted(u for u in ids - set(done) if all(p in done or p not in ids for p in parents[u]))
        if not ready:
            raise WhatIfUnavailable("The scoring models form a cycle in target/manifest.json.")
        done += ready
    return done


def load_plan(manifest: dict) -> Plan:
    """The models between the editable seeds and the figures, from a manifest; check they can run."""
    project = manifest["metadata"]["project_name"]
    nodes, parents, children = manifest["nodes"], manifest["parent_map"], manifest["child_map"]
    seed_ids = [f"seed.{project}.{name}" for name in EDITABLE_SEEDS]
    figure_ids = [f"model.{project}.{name}" for name in FIGURE_MODELS]
    missing = [u for u in seed_ids + figure_ids if u not in nodes]
    if missing:
        raise WhatIfUnavailable(f"target/manifest.json lacks {', '.join(missing)}: run `dbt build`.")
    downstream = set().union(*(_walk(u, children) for u in seed_ids))
    upstream = set().union(*(_walk(u, parents) for u in figure_ids))
    chain = {u for u in (downstream & upstream) | set(figure_ids)
             if nodes[u]["resource_type"] == "model" and nodes[u]["config"]["materialized"] != "ephemeral"}
    plan_nodes = []
    for u in _ordered(chain, parents):
        node = nodes[u]
        if node["language"] != "sql" or not node.get("compiled_code"):
            raise WhatIfUnavailable(f"target/manifest.json has no compiled SQL for {node['name']}: run "
                                    "`dbt build` (or `dbt compile`) with the vars the warehouse was built with.")
        plan_nodes.append(Node(node["name"], node["relation_name"], node["compiled_code"]))
    relations = {nodes[u]["name"]: nodes[u]["relation_name"] for u in figure_ids}
    database = nodes[figure_ids[0]]["database"]
    return Plan(database, {nodes[u]["name"]: nodes[u]["relation_name"] for u in seed_ids},
                tuple(plan_nodes), relations)


def read_plan(path: Path | None = None) -> Plan:
    path = path or manifest_path()
    if not path.exists():
        raise WhatIfUnavailable(f"No dbt manifest at {path}: run `make demo` (or `dbt build`) first; set "
                                f"{TARGET_PATH_ENV} if dbt writes its target directory elsewhere.")
    return load_plan(json.loads(path.read_text()))


def _rewrite(sql: str, replacements: dict[str, str]) -> str:
    for relation, local in replacements.items():
        sql = sql.replace(relation, local)
    return sql


def run(snapshot: Path, plan: Plan, seeds: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the re-run chain in schema whatif (the snapshot attached)."""
    con = duckdb.connect()
    con.execute(f"attach '{snapshot}' as \"{plan.database}\" (read_only)")
    con.execute(f"create schema {SCHEMA}")
    replacements = {}
    for name, frame in seeds.items():
        con.register("edited_seed", frame.astype("string"))
        con.execute(f'create table {SCHEMA}."{name}" as select * from edited_seed')
        con.unregister("edited_seed")
        replacements[plan.seeds[name]] = f'{SCHEMA}."{name}"'
    for node in plan.nodes:
        replacements[node.relation] = f'{SCHEMA}."{node.name}"'
    for node in plan.nodes:
        try:
            con.execute(f'create table {SCHEMA}."{node.name}" as {_rewrite(node.sql, replacements)}')
        except duckdb.CatalogException as exc:
            con.close()
            raise WhatIfUnavailable(f"target/manifest.json does not fit this warehouse ({node.name} reads what it "
                                    f"lacks: {str(exc).splitlines()[0]}): run `dbt build` again, or point "
                                    f"{TARGET_PATH_ENV} at the target directory of the build that made it.") from exc
        except duckdb.Error as exc:
            con.close()
            raise WhatIfUnavailable(f"The edited rules do not pass the project's checks ({node.name}): "
                                    f"{str(exc).splitlines()[0]}") from exc
    return con


def compare_scores(con: duckdb.DuckDBPyConnection, plan: Plan, rule_set: str,
                   live_scores: str = "marts.fct_lead_scores") -> pd.DataFrame:
    """Leads of the rule set at the as-of date whose grade or MQL flag the edit changes: one row for
    every lead scored by the rule set, one for the leads it scores live (the A/B assignment)."""
    before, after = plan.relations["int_lead_scores_by_date"], f'{SCHEMA}."int_lead_scores_by_date"'
    live = f'"{plan.database}".{live_scores}'
    return con.execute(f"""
        with pairs as (
            select b.lead_id, b.grade as grade_before, a.grade as grade_after,
                   b.is_mql as mql_before, a.is_mql as mql_after,
                   b.total_score as score_before, a.total_score as score_after,
                   l.lead_id is not null as is_live
            from {before} as b
            inner join {after} as a using (lead_id, as_of_date, rule_set_version)
            left join {live} as l on b.lead_id = l.lead_id and b.rule_set_version = l.rule_set_version
            where b.rule_set_version = ? and b.as_of_date = (select max(as_of_date) from {live})
        ),
        scopes as (
            select 'all leads scored by the rule set' as scope, * from pairs
            union all
            select 'leads live on the rule set' as scope, * from pairs where is_live
        )
        select scope,
               count(*) as leads,
               count(*) filter (where score_after <> score_before) as score_changes,
               count(*) filter (where grade_after is distinct from grade_before) as grade_changes,
               count(*) filter (where mql_after and not mql_before) as new_mqls,
               count(*) filter (where mql_before and not mql_after) as lost_mqls,
               count(*) filter (where mql_before) as mqls_before,
               count(*) filter (where mql_after) as mqls_after
        from scopes group by scope order by scope""", [rule_set]).df()


def compare_auc(con: duckdb.DuckDBPyConnection, plan: Plan, rule_set: str) -> pd.DataFrame:
    """Held-out AUC (opportunity, every persona) of the rule set per cut-off, as built and as edited."""
    before, after = plan.relations["rpt_backtest_auc"], f'{SCHEMA}."rpt_backtest_auc"'
    return con.execute(f"""
        select b.as_of_date, b.roc_auc as auc_before, a.roc_auc as auc_after
        from {before} as b
        inner join {after} as a using (as_of_date, contender, persona, outcome)
        where b.contender = ? and b.persona = 'all' and b.outcome = 'opportunity'
        order by b.as_of_date""", [rule_set]).df()


def edit_seeds(rules: pd.DataFrame, caps: pd.DataFrame, rule_id: str | None, points: float | None,
               cap: tuple[str, str, float, float] | None) -> dict[str, pd.DataFrame]:
    """The seeds with one rule's points and/or one category's cap (rule set, category, min, max)
    changed; values kept as the seeds' text."""
    rules, caps = rules.copy(), caps.copy()
    if rule_id is not None and points is not None:
        rules.loc[rules["rule_id"] == rule_id, "points"] = _number_text(points)
    if cap is not None:
        rule_set, category, low, high = cap
        row = (caps["rule_set_version"] == rule_set) & (caps["category"] == category)
        caps.loc[row, "min_points"] = _number_text(low)
        caps.loc[row, "max_points"] = _number_text(high)
    return {"scoring_rules": rules, "scoring_category_caps": caps}


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
