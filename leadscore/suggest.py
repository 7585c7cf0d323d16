"""`leadscore suggest-weights`: write the rule set weight of evidence suggests, as scoring seed files.

What the last `dbt build` learned (fitted on the backtest's training cut-off only) becomes a complete
rule set for one rule-set version, in files named and shaped like the seeds of seeds/scoring/:
- scoring_rules.csv: the learned rules (every other rule set, and the version's spam rules, unchanged);
- scoring_category_caps.csv: caps of 0-100 for the learned categories, so no cap crushes the learned
  points (the score is bounded to 0-100 anyway);
- scoring_mql_thresholds.csv: one threshold for every persona, chosen so that the MQLs per week come
  closest to the sales capacity (var sales_capacity_mqls_per_week, mart rpt_suggested_rule_set);
- scoring_decay_half_lives.csv: no decay for the version (the learned points already price recency:
  they were fitted on features as of the cut-off, whose 30-day windows and days-since features say how
  recent the behaviour is);
- scoring_grade_bands.csv: unchanged (a new version gets a copy of the champion's bands).
A person reviews them (diff against the seeds) and adopts them by copying them over the seeds, then
rebuilds. The seeds themselves are never written.
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
RULES = "scoring_rules.csv"
CAPS = "scoring_category_caps.csv"
THRESHOLDS = "scoring_mql_thresholds.csv"
DECAY = "scoring_decay_half_lives.csv"
GRADES = "scoring_grade_bands.csv"
ASSIGNMENT = "rule_set_assignment.csv"
SEED_FILES = (RULES, CAPS, THRESHOLDS, DECAY, GRADES)
SUGGESTED_RULES = "marts.fct_suggested_scoring_rules"
SUGGESTED_RULE_SET = "marts.rpt_suggested_rule_set"
CHAMPION_CHALLENGER = "marts.rpt_champion_challenger"
# Spam rules flag data-quality problems (disposable domains, test records); they are kept as they are.
KEPT_CATEGORIES = {"spam"}
# The learned points are >= 0 and a score is bounded to 0-100: caps of 0-100 never change a score.
LEARNED_CAP = ("0", "100")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out-dir", type=Path, default=Path("suggested_rule_set"),
                        help="Folder to write the seed files to (default suggested_rule_set); never the seeds'.")
    parser.add_argument("--rule-set-version", default=None,
                        help="Rule set whose fit, engagement and negative rules the learned ones replace "
                             "(default: the champion, the default scoring model's largest share in "
                             "rule_set_assignment.csv). "
                             "A new version is added with the champion's spam rules.")
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR,
                        help="Folder of the current scoring seeds to start from (default: the project's).")


def run(args: argparse.Namespace) -> int:
    seed_dir = args.seed_dir.resolve()
    out_dir = (args.out_dir if args.out_dir.is_absolute() else Path.cwd() / args.out_dir).resolve()
    if out_dir in (seed_dir, SEED_DIR.resolve()):
        print(f"suggest-weights: refusing to write into the seed folder {out_dir}; write elsewhere, review, "
              "then copy", file=sys.stderr)
        return 2
    missing = [name for name in SEED_FILES if not (seed_dir / name).exists()]
    if missing:
        print(f"suggest-weights: {seed_dir} lacks the seed files {', '.join(missing)}", file=sys.stderr)
        return 2
    path = warehouse.duckdb_path()
    if targets.is_duckdb() and not path.exists():
        print(f"suggest-weights: no warehouse at {path} - run `leadscore generate` and `dbt build` first",
              file=sys.stderr)
        return 2
    try:
        with targets.connect_marts(path) as con:
            status = read_status(con)
            learned = read_suggested_rules(con) if status["status"] == "ok" else []
            comparison = read_comparison(con)
    except duckdb.CatalogException:
        print(f"suggest-weights: {SUGGESTED_RULE_SET} not found - run `dbt build` first (it backtests and learns)",
              file=sys.stderr)
        return 2
    if status["status"] != "ok":
        print(f"suggest-weights: nothing to suggest ({status['status']}): {status['status_message']}",
              file=sys.stderr)
        return 2
    seeds = {name: read_csv(seed_dir / name) for name in SEED_FILES}
    champion = champion_version(seed_dir / ASSIGNMENT, seeds[RULES][1])
    version = args.rule_set_version or champion
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in build_rule_set(seeds, learned, status, version, champion).items():
        (out_dir / name).write_text(to_csv(seeds[name][0], rows), encoding="utf-8")
    report(out_dir, status, learned, version, comparison, seeds[RULES][1])
    return 0


def report(out_dir: Path, status: dict, learned: list[dict[str, str]], version: str,
           comparison: list[tuple[str, float, bool]], seed_rules: list[dict[str, str]]) -> None:
    print(f"Wrote {out_dir}/: {len(learned)} learned rules for rule set {version} with its caps, MQL threshold "
          f"{status['mql_threshold']:g} and decay (its spam rules and every other rule set unchanged).")
    print(f"  {status['status_message']}")
    for contender, auc, is_champion in comparison:
        label = " (champion)" if is_champion else ""
        print(f"  held-out AUC {contender}{label}: {auc:.4f}")
    if version not in {row["rule_set_version"] for row in seed_rules}:
        print(f"  {version} is a new rule set: give it a share in rule_set_assignment.csv before using it.")
    print(f"Review them, then adopt them with: cp {out_dir}/*.csv {SEED_DIR.relative_to(warehouse.PROJECT_ROOT)}/")


def read_status(con: duckdb.DuckDBPyConnection) -> dict:
    cursor = con.execute(f"select * from {SUGGESTED_RULE_SET}")
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return dict(zip(names, row))


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


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def champion_version(assignment_path: Path, rows: list[dict[str, str]]) -> str:
    """The rule set with the largest share in rule_set_assignment.csv among the arms of the default
    scoring model (scoring_models.csv beside it; every arm without one), else the first in the seed."""
    if assignment_path.exists():
        default = default_scoring_model(assignment_path.with_name("scoring_models.csv"))
        with assignment_path.open(newline="", encoding="utf-8") as handle:
            shares = [(float(r["share"]), r["rule_set_version"]) for r in csv.DictReader(handle)
                      if default is None or (r.get("scoring_model") or "").strip() == default]
        if shares:
            return sorted(shares, key=lambda s: (-s[0], s[1]))[0][1]
    return rows[0]["rule_set_version"]


def default_scoring_model(models_path: Path) -> str | None:
    """The scoring model with is_default true in scoring_models.csv; None without the file."""
    if not models_path.exists():
        return None
    with models_path.open(newline="", encoding="utf-8") as handle:
        defaults = [r["scoring_model"].strip() for r in csv.DictReader(handle)
                    if (r.get("is_default") or "").strip().lower() == "true"]
    return defaults[0] if defaults else None


def build_rule_set(seeds: dict[str, tuple[list[str], list[dict[str, str]]]], learned: list[dict[str, str]],
                   status: dict, version: str, champion: str) -> dict[str, list[dict[str, str]]]:
    """Every seed file's rows with `version`'s rows replaced by the suggested rule set's."""
    def base(name: str) -> list[dict[str, str]]:
        """The version's rows of a seed, else (a new version) a copy of the champion's."""
        rows = seeds[name][1]
        own = [r for r in rows if r["rule_set_version"] == version]
        return own or [dict(r, rule_set_version=version) for r in rows if r["rule_set_version"] == champion]

    learned_categories = {rule["category"] for rule in learned}
    caps = [dict(r, min_points=LEARNED_CAP[0], max_points=LEARNED_CAP[1])
            if r["category"] in learned_categories else r for r in base(CAPS)]
    caps += [{"rule_set_version": version, "category": category, "min_points": LEARNED_CAP[0],
              "max_points": LEARNED_CAP[1]}
             for category in sorted(learned_categories - {r["category"] for r in caps})]
    threshold = f"{status['mql_threshold']:g}"
    thresholds = [{"rule_set_version": version, "persona": "all", "threshold": threshold}]
    decay = [dict(r, half_life_days="") for r in base(DECAY)]
    return {
        RULES: merge_rules(seeds[RULES][0], seeds[RULES][1], learned, version, champion),
        CAPS: replace_version(seeds[CAPS][1], version, caps),
        THRESHOLDS: replace_version(seeds[THRESHOLDS][1], version, thresholds),
        DECAY: replace_version(seeds[DECAY][1], version, decay),
        GRADES: replace_version(seeds[GRADES][1], version, base(GRADES)),
    }


def replace_version(rows: list[dict[str, str]], version: str, block: list[dict[str, str]]) -> list[dict[str, str]]:
    """`rows` with the version's rows replaced by `block` (where they were; at the end for a new version)."""
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
    return merged


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
    merged = replace_version(rows, version, new_rows + kept)
    return [{name: row.get(name, "") for name in header} for row in merged]


def to_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows([{name: row.get(name, "") for name in header} for row in rows])
    return buffer.getvalue()
