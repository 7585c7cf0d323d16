"""`leadscore suggest-weights`: write the rules weight of evidence suggests as a scoring_rules seed file.

The points come from the mart `fct_suggested_scoring_rules` of the last `dbt build` (fitted on the
backtest's training cut-off only). The file written has exactly the columns of
seeds/scoring/scoring_rules.csv and keeps every row of the other rule sets, so a person can review it,
diff it against the seed and copy it over the seed to adopt it. The seed itself is never written.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import duckdb

from leadscore import targets, warehouse

SEED_DIR = warehouse.PROJECT_ROOT / "seeds" / "scoring"
RULES_SEED = SEED_DIR / "scoring_rules.csv"
ASSIGNMENT_SEED = SEED_DIR / "rule_set_assignment.csv"
SUGGESTED_RULES = "marts.fct_suggested_scoring_rules"
CHAMPION_CHALLENGER = "marts.rpt_champion_challenger"
# Spam rules flag data-quality problems (disposable domains, test records); they are kept as they are.
KEPT_CATEGORIES = {"spam"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("suggested_scoring_rules.csv"),
                        help="File to write (default suggested_scoring_rules.csv); never the seed itself.")
    parser.add_argument("--rule-set-version", default=None,
                        help="Rule set whose fit, engagement and negative rules the learned ones replace "
                             "(default: the champion, the largest share in rule_set_assignment.csv). "
                             "A new version is added with the champion's spam rules.")
    parser.add_argument("--seed", type=Path, default=RULES_SEED,
                        help="Current scoring_rules seed to start from (default: the project's).")


def run(args: argparse.Namespace) -> int:
    seed = args.seed.resolve()
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    if out.resolve() == seed or out.resolve() == RULES_SEED.resolve():
        print(f"suggest-weights: refusing to overwrite the seed {out}; write elsewhere, review, then copy",
              file=sys.stderr)
        return 2
    if not seed.exists():
        print(f"suggest-weights: no scoring_rules seed at {seed}", file=sys.stderr)
        return 2
    path = warehouse.duckdb_path()
    if targets.is_duckdb() and not path.exists():
        print(f"suggest-weights: no warehouse at {path} - run `leadscore generate` and `dbt build` first",
              file=sys.stderr)
        return 2
    try:
        with targets.connect_marts(path) as con:
            learned = read_suggested_rules(con)
            comparison = read_comparison(con)
    except duckdb.CatalogException:
        print(f"suggest-weights: {SUGGESTED_RULES} not found - run `dbt build` with backtest cut-offs first",
              file=sys.stderr)
        return 2
    if not learned:
        print("suggest-weights: no suggested rules (no backtest cut-off with a complete label window?)",
              file=sys.stderr)
        return 2

    header, rows = read_seed(seed)
    champion = champion_version(seed.parent / ASSIGNMENT_SEED.name, rows)
    version = args.rule_set_version or champion
    merged = merge_rules(header, rows, learned, version, champion)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_csv(header, merged), encoding="utf-8")

    print(f"Wrote {out}: {len(learned)} learned rules for rule set {version} "
          f"(its spam rules and every other rule set unchanged).")
    for contender, auc, is_champion in comparison:
        label = " (champion)" if is_champion else ""
        print(f"  held-out AUC {contender}{label}: {auc:.4f}")
    if version not in {row["rule_set_version"] for row in rows}:
        print(f"  {version} is a new rule set: add its rows to scoring_category_caps, scoring_mql_thresholds, "
              "scoring_grade_bands and rule_set_assignment before using it.")
    print(f"Review it, then adopt it with: cp {out} {RULES_SEED.relative_to(warehouse.PROJECT_ROOT)}")
    return 0


def read_suggested_rules(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    cursor = con.execute(f"""
        select category, feature_name, operator, value, value_to, points, persona, is_active, reason
        from {SUGGESTED_RULES}
        order by rule_key""")
    names = [d[0] for d in cursor.description]
    return [{name: "" if value is None else str(value) for name, value in zip(names, row)}
            for row in cursor.fetchall()]


def read_comparison(con: duckdb.DuckDBPyConnection) -> list[tuple[str, float, bool]]:
    try:
        return con.execute(f"""
            select contender, avg(roc_auc), bool_or(is_champion)
            from {CHAMPION_CHALLENGER}
            where roc_auc is not null
            group by contender
            order by 2 desc""").fetchall()
    except duckdb.CatalogException:
        return []


def read_seed(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def champion_version(assignment_path: Path, rows: list[dict[str, str]]) -> str:
    """The rule set with the largest share in rule_set_assignment.csv (else the first in the seed)."""
    if assignment_path.exists():
        with assignment_path.open(newline="", encoding="utf-8") as handle:
            shares = [(float(r["share"]), r["rule_set_version"]) for r in csv.DictReader(handle)]
        if shares:
            return sorted(shares, key=lambda s: (-s[0], s[1]))[0][1]
    return rows[0]["rule_set_version"]


def merge_rules(header: list[str], rows: list[dict[str, str]], learned: list[dict[str, str]],
                version: str, champion: str) -> list[dict[str, str]]:
    """The seed's rows with `version`'s non-spam rules replaced by the learned ones (placed where the
    version's rules were; a new version goes at the end, with a copy of the champion's spam rules)."""
    existing = [r for r in rows if r["rule_set_version"] == version]
    source = existing or [r for r in rows if r["rule_set_version"] == champion]
    kept = [dict(r, rule_set_version=version,
                 rule_id=r["rule_id"] if existing else f"{version}_{r['rule_id'].split('_', 1)[-1]}")
            for r in source if r["category"].strip().lower() in KEPT_CATEGORIES]
    new_rows = [{**{name: "" for name in header}, **rule, "rule_set_version": version,
                 "rule_id": f"{version}_L{number:03d}"}
                for number, rule in enumerate(learned, start=1)]
    block = new_rows + kept
    merged: list[dict[str, str]] = []
    inserted = False
    for row in rows:
        if row["rule_set_version"] == version:
            if not inserted:
                merged.extend(block)
                inserted = True
            continue
        merged.append(row)
    if not inserted:
        merged.extend(block)
    return [{name: row.get(name, "") for name in header} for row in merged]


def to_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
