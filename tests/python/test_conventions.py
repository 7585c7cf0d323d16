"""The project's conventions (docs/conventions.md), checked on dbt's own artifacts.

`dbt docs generate` on the built test warehouse writes manifest.json (models, tests, macros, groups,
YAML) and catalog.json (the columns the warehouse really has). Each rule is a function of the two that
returns its breaches as `<model>: <rule>: <detail>`; the suite must have none, and each rule must catch
a breach planted in a copy of the artifacts."""

from __future__ import annotations

import copy
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import _TARGETS, copy_warehouse, dbt
from leadscore import schema, warehouse

DOC = "docs/conventions.md"
PROJECT = "leadscore"


@dataclass(frozen=True)
class Prefix:
    layer: str            # the folder under models/ the model lives in
    reads: frozenset      # what it may read: "source", "seed" or model prefixes


def read_prefix_table(doc: Path) -> dict[str, Prefix]:
    """The prefix table of docs/conventions.md#name-prefix, the one place prefixes are written down:
    `| `prefix` | layer folder | may read | what |`, where "may read" lists `sources`, `seeds` and
    prefixes in backticks ("declared marts" is the reads_marts declaration, checked apart)."""
    section = doc.read_text().split("## name-prefix", 1)[1].split("\n## ", 1)[0]
    table: dict[str, Prefix] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"`[a-z]+_`", cells[0]):
            continue
        reads = {"source" for w in cells[2].split(",") if w.strip() == "sources"}
        reads |= {"seed" for w in cells[2].split(",") if w.strip() == "seeds"}
        reads |= set(re.findall(r"`([a-z]+_)`", cells[2]))
        table[cells[0].strip("`")] = Prefix(cells[1], frozenset(reads))
    return table


PREFIXES = read_prefix_table(warehouse.PROJECT_ROOT / DOC)
# access by folder under models/ (the longest folder that matches wins): docs/conventions.md#access
ACCESS = {"marts": "public", "intermediate": "private", "intermediate/build": "protected", "staging": "protected"}
# Generic tests that pin a column's values (docs/conventions.md#value-tests), and composite keys.
VALUE_TESTS = {"accepted_range", "score_in_range", "accepted_values", "relationships"}
COMPOSITE_KEY_TESTS = {"unique_column_combination": "combination",
                       "unique_combination_of_columns": "combination_of_columns"}
MIN_MART_VALUE_TEST_SHARE = 0.60
# CRM custom fields and their features are described once, in seeds/crm_custom_fields.csv
# (docs/conventions.md#description-column): the models carry them by a loop, not by a YAML entry each.
SEED_DESCRIBED_COLUMNS = frozenset({c.name for c in schema.CUSTOM_FIELDS}
                                   | {"custom_" + c.name.removesuffix("__c") for c in schema.CUSTOM_FIELDS})
RULES_SEED = warehouse.PROJECT_ROOT / "seeds" / "scoring" / "scoring_rules.csv"


@dataclass
class Project:
    manifest: dict
    catalog: dict

    def models(self) -> Iterator[dict]:
        for node in self.manifest["nodes"].values():
            if node["resource_type"] == "model" and node["package_name"] == PROJECT:
                yield node

    def model(self, name: str) -> dict:
        return self.manifest["nodes"][f"model.{PROJECT}.{name}"]

    def tests_on(self, node: dict) -> Iterator[dict]:
        for test in self.manifest["nodes"].values():
            if test["resource_type"] == "test" and test.get("attached_node") == node["unique_id"] \
                    and test.get("test_metadata"):
                yield test

    def column_type(self, node: dict, column: str) -> str | None:
        entry = self.catalog["nodes"].get(node["unique_id"], {"columns": {}})
        found = {name.lower(): c for name, c in entry["columns"].items()}.get(column)
        return None if found is None else found["type"].upper()

    def warehouse_columns(self, node: dict) -> list[str]:
        entry = self.catalog["nodes"].get(node["unique_id"])
        return [] if entry is None else [c.lower() for c in entry["columns"]]


def layer(node: dict) -> str:
    """models/<layer>/...: the folder a model lives in."""
    return Path(node["original_file_path"]).parts[1]


def prefix(name: str) -> str | None:
    return next((p for p in PREFIXES if name.startswith(p)), None)


def meta(node_or_column: dict) -> dict:
    return {**node_or_column.get("meta", {}), **node_or_column.get("config", {}).get("meta", {})}


# Every rule a breach can name: each is a heading (an anchor) of docs/conventions.md.
RULE_IDS = {"name-prefix", "layer-dependency", "source-outside-staging", "primary-key", "description-model",
            "description-column", "column-not-in-model", "description-macro", "description-seed",
            "personal-classification", "group-owner", "access", "value-tests", "rule-feature-tested",
            "name-length"}
# PostgreSQL's identifier limit (NAMEDATALEN - 1): the longest relation name every target accepts.
MAX_NAME_LENGTH = 63


def breach(node: dict, rule: str, detail: str) -> str:
    assert rule in RULE_IDS, f"rule {rule} has no section in {DOC}"
    return f"{node['name']}: {rule}: {detail} ({DOC}#{rule})"


def column_tests(project: Project, node: dict) -> dict[str, set[str]]:
    """Column name -> names of the generic tests on it."""
    out: dict[str, set[str]] = {}
    for test in project.tests_on(node):
        column = test.get("column_name") or test["test_metadata"]["kwargs"].get("column_name")
        if column:
            out.setdefault(column.lower(), set()).add(test["test_metadata"]["name"])
    return out


# ------------------------------------------------------------------------------------------ rules
def check_name_prefix(project: Project) -> Iterator[str]:
    for node in project.models():
        p = prefix(node["name"])
        if p is None:
            yield breach(node, "name-prefix", f"name starts with none of {', '.join(PREFIXES)}")
        elif PREFIXES[p].layer != layer(node):
            yield breach(node, "name-prefix", f"a {p} model lives in models/{PREFIXES[p].layer}/, "
                                              f"not models/{layer(node)}/")


def input_kind(project: Project, uid: str) -> tuple[str, str]:
    """(kind, name) of a node a model reads: kind is source, seed or the reader's model prefix."""
    if uid.startswith("source."):
        return "source", uid.split(".", 2)[2]
    node = project.manifest["nodes"][uid]
    if node["resource_type"] == "seed":
        return "seed", node["name"]
    return prefix(node["name"]) or node["name"], node["name"]


def check_layer_dependency(project: Project) -> Iterator[str]:
    for node in project.models():
        p = prefix(node["name"])
        if p is None:
            continue  # name-prefix says so
        declared = set(meta(node).get("reads_marts", []))
        for uid in node["depends_on"]["nodes"]:
            kind, name = input_kind(project, uid)
            if kind == "source":
                continue  # source-outside-staging
            if kind in PREFIXES[p].reads:
                continue
            if name in declared and PREFIXES.get(kind, Prefix("", frozenset())).layer == "marts" \
                    and layer(node) == "marts":
                continue
            yield breach(node, "layer-dependency", f"reads {name} ({kind}); a {p} model reads only "
                                                   f"{', '.join(sorted(PREFIXES[p].reads))}"
                                                   + (" and the marts it declares" if layer(node) == "marts" else ""))
        for name in sorted(declared):
            if f"model.{PROJECT}.{name}" not in node["depends_on"]["nodes"]:
                yield breach(node, "layer-dependency", f"declares reads_marts {name} but does not read it")


def check_source_outside_staging(project: Project) -> Iterator[str]:
    for node in project.models():
        sources = [input_kind(project, u)[1] for u in node["depends_on"]["nodes"] if u.startswith("source.")]
        if sources and layer(node) != "staging" and not meta(node).get("reads_sources_because"):
            yield breach(node, "source-outside-staging", f"reads {', '.join(sorted(sources))}")


def check_primary_key(project: Project) -> Iterator[str]:
    for node in project.models():
        tests = column_tests(project, node)
        single = any({"unique", "not_null"} <= names for names in tests.values())
        composite = any(t["test_metadata"]["name"] in COMPOSITE_KEY_TESTS
                        and t["test_metadata"]["kwargs"].get(COMPOSITE_KEY_TESTS[t["test_metadata"]["name"]])
                        for t in project.tests_on(node))
        if not (single or composite):
            yield breach(node, "primary-key", "no unique + not_null column and no composite-key test")


def check_descriptions(project: Project) -> Iterator[str]:
    for node in project.models():
        if not node["description"].strip():
            yield breach(node, "description-model", "the model has no description")
        documented = {name.lower(): col for name, col in node["columns"].items()}
        actual = project.warehouse_columns(node)
        for column in actual:
            if column in SEED_DESCRIBED_COLUMNS:
                continue
            if not documented.get(column, {}).get("description", "").strip():
                yield breach(node, "description-column", f"column {column} has no description")
        if actual:
            for column in sorted(set(documented) - set(actual)):
                yield breach(node, "column-not-in-model", f"documented column {column} is not in the model")
    for macro in project.manifest["macros"].values():
        if macro["package_name"] == PROJECT and not macro["description"].strip():
            yield breach(macro, "description-macro", f"macro {macro['name']} ({macro['original_file_path']}) "
                                                     "has no description")
    for node in project.manifest["nodes"].values():
        if node["resource_type"] == "seed" and not node["description"].strip():
            yield breach(node, "description-seed", "the seed has no description")


def check_personal_classification(project: Project) -> Iterator[str]:
    for node in project.models():
        if layer(node) != "marts":
            continue
        documented = {name.lower(): col for name, col in node["columns"].items()}
        for column in project.warehouse_columns(node) or list(documented):
            value = meta(documented.get(column, {})).get("personal")
            if not isinstance(value, bool):
                yield breach(node, "personal-classification",
                             f"column {column} has no meta personal: true/false (found {value!r})")


def check_group_owner(project: Project) -> Iterator[str]:
    groups = {g["name"]: g for g in project.manifest["groups"].values()}
    for node in project.models():
        group = node.get("group")
        if not group:
            yield breach(node, "group-owner", "the model is in no dbt group")
        elif not (groups.get(group, {}).get("owner") or {}).get("name") \
                or not groups[group]["owner"].get("email"):
            yield breach(node, "group-owner", f"group {group} has no owner with a name and an email")


def wanted_access(node: dict) -> tuple[str, str | None]:
    """The folder under models/ whose rule applies to the model, and the access it wants."""
    parts = Path(node["original_file_path"]).parts[1:-1]
    for depth in range(len(parts), 0, -1):
        folder = "/".join(parts[:depth])
        if folder in ACCESS:
            return folder, ACCESS[folder]
    return parts[0] if parts else "", None


def check_access(project: Project) -> Iterator[str]:
    for node in project.models():
        folder, wanted = wanted_access(node)
        if wanted and node.get("access") != wanted:
            yield breach(node, "access", f"access is {node.get('access')}, a model of models/{folder}/ "
                                         f"is {wanted}")


def mart_value_test_share(project: Project) -> tuple[int, int]:
    tested = total = 0
    for node in project.models():
        if layer(node) != "marts":
            continue
        tests = column_tests(project, node)
        for column in project.warehouse_columns(node):
            total += 1
            tested += bool(tests.get(column, set()) & VALUE_TESTS)
    return tested, total


def check_value_tests(project: Project) -> Iterator[str]:
    tested, total = mart_value_test_share(project)
    if total and tested / total < MIN_MART_VALUE_TEST_SHARE:
        # name the marts with the most untested columns, where a test helps most
        untested = []
        for node in project.models():
            if layer(node) == "marts":
                tests = column_tests(project, node)
                cols = project.warehouse_columns(node)
                untested.append((sum(1 for c in cols if not tests.get(c, set()) & VALUE_TESTS), node))
        worst = max(untested, key=lambda pair: pair[0])[1]
        yield breach(worst, "value-tests", f"{tested} of {total} mart columns ({tested / total:.0%}) have a "
                                           f"value test, below {MIN_MART_VALUE_TEST_SHARE:.0%}; this mart has "
                                           "the most untested columns")


def rule_features() -> set[str]:
    with open(RULES_SEED, newline="") as fh:
        return {row["feature_name"] for row in csv.DictReader(fh)}


def unit_tested_both_ways(project: Project, node: dict, column: str) -> bool:
    """A unit test of the model expects the column both true and false (dict-format expected rows)."""
    seen = set()
    for test in project.manifest.get("unit_tests", {}).values():
        rows = test["model"] == node["name"] and test["expect"].get("rows")
        if isinstance(rows, list):
            seen |= {row[column] for row in rows if isinstance(row.get(column), bool)}
    return seen == {True, False}


def check_rule_feature_tested(project: Project, features: set[str] | None = None) -> Iterator[str]:
    features = rule_features() if features is None else features
    homes = {}
    for node in project.models():
        if node["name"].startswith("int_lead_features_") and node["name"] != "int_lead_features_long":
            for column in project.warehouse_columns(node):
                homes[column] = node
    for feature in sorted(features):
        node = homes.get(feature)
        if node is None:
            yield breach({"name": "int_lead_features_*"}, "rule-feature-tested",
                         f"rule feature {feature} is a column of no family model")
            continue
        if column_tests(project, node).get(feature, set()) & VALUE_TESTS:
            continue
        if project.column_type(node, feature) == "BOOLEAN" and unit_tested_both_ways(project, node, feature):
            continue
        yield breach(node, "rule-feature-tested", f"column {feature}, read by a scoring rule, has no range, "
                                                  "accepted_values or relationships test (nor, for a flag, a "
                                                  "unit test expecting it true and false)")


def check_name_length(project: Project) -> Iterator[str]:
    nodes = [*project.manifest["nodes"].values(), *project.manifest.get("unit_tests", {}).values()]
    for node in nodes:
        if node["resource_type"] in {"model", "seed", "snapshot", "unit_test"} \
                and node["package_name"] == PROJECT and len(node["name"]) > MAX_NAME_LENGTH:
            yield breach(node, "name-length", f"the {node['resource_type']}'s name has {len(node['name'])} "
                                              f"characters, PostgreSQL keeps {MAX_NAME_LENGTH}")


RULES: dict[str, Callable[[Project], Iterator[str]]] = {
    "name-prefix": check_name_prefix,
    "layer-dependency": check_layer_dependency,
    "source-outside-staging": check_source_outside_staging,
    "primary-key": check_primary_key,
    "descriptions": check_descriptions,
    "personal-classification": check_personal_classification,
    "group-owner": check_group_owner,
    "access": check_access,
    "value-tests": check_value_tests,
    "rule-feature-tested": check_rule_feature_tested,
    "name-length": check_name_length,
}


# -------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def project(built_warehouse, tmp_path_factory) -> Project:
    """manifest.json and catalog.json of the project, documented against a copy of the built warehouse."""
    db = copy_warehouse(built_warehouse, tmp_path_factory.mktemp("conventions"))
    dbt(db, "parse")  # manifest.json: `docs generate --no-compile` writes only the catalog
    dbt(db, "docs", "generate", "--no-compile")
    target = _TARGETS[warehouse.PROJECT_ROOT]
    return Project(json.loads((target / "manifest.json").read_text()),
                   json.loads((target / "catalog.json").read_text()))


@pytest.fixture()
def planted(project) -> Project:
    """A copy of the artifacts a test may break."""
    return copy.deepcopy(project)


# --------------------------------------------------------------------------------- the project
@pytest.mark.parametrize("rule", RULES)
def test_project_keeps_the_convention(project, rule):
    breaches = list(RULES[rule](project))
    assert not breaches, f"{len(breaches)} breaches of {rule}:\n" + "\n".join(breaches)


def test_every_rule_has_its_section_in_the_docs():
    headings = set(re.findall(r"^#+ ([a-z-]+)$", (warehouse.PROJECT_ROOT / DOC).read_text(), re.M))
    assert RULE_IDS <= headings, f"rules without a section in {DOC}: {sorted(RULE_IDS - headings)}"


def test_the_prefix_table_is_read_from_the_docs():
    assert {"stg_", "int_", "fct_", "dim_", "rpt_", "audit_"} <= set(PREFIXES)
    assert PREFIXES["stg_"].layer == "staging" and "source" in PREFIXES["stg_"].reads
    assert PREFIXES["fct_"].reads == {"int_", "seed", "snap_"}


def test_mart_value_test_coverage_is_reported(project):
    tested, total = mart_value_test_share(project)
    print(f"\nmart columns with a value test: {tested} of {total} ({tested / total:.0%})")
    assert total > 200, "the catalog lists the marts' columns"


# ------------------------------------------------------------------ each rule catches a planted breach
def caught(project: Project, rule: str, model: str) -> list[str]:
    found = [b for b in RULES[rule](project) if b.startswith(f"{model}: ")]
    assert found, f"{rule} did not name {model}"
    return found


def test_name_prefix_catches_an_unknown_prefix_and_a_wrong_folder(planted):
    node = planted.model("int_lead_scores_by_date")
    node["name"] = "lead_scores_by_date"
    assert "name starts with none of" in caught(planted, "name-prefix", "lead_scores_by_date")[0]
    other = planted.model("dim_leads")
    other["original_file_path"] = "models/intermediate/scoring/dim_leads.sql"
    assert "lives in models/marts/" in caught(planted, "name-prefix", "dim_leads")[0]


def test_name_length_catches_a_unit_test_postgres_would_cut(planted):
    tests = [t for t in planted.manifest["unit_tests"].values() if t["package_name"] == PROJECT]
    tests[0]["name"], tests[1]["name"] = "test_" + "x" * 59, "test_" + "y" * 58
    assert "64 characters" in caught(planted, "name-length", tests[0]["name"])[0]
    assert not [b for b in check_name_length(planted) if b.startswith(tests[1]["name"])], "63 is allowed"


def test_layer_dependency_catches_a_mart_reading_staging_and_an_undeclared_mart(planted):
    node = planted.model("fct_lead_score_contributions")
    node["depends_on"]["nodes"].append(f"model.{PROJECT}.stg_crm__leads")
    assert "reads stg_crm__leads (stg_)" in caught(planted, "layer-dependency", "fct_lead_score_contributions")[0]
    scores = planted.model("fct_lead_scores")
    scores["config"]["meta"]["reads_marts"] = []
    scores["meta"] = {}
    assert any("reads fct_lead_score_history (fct_)" in b
               for b in caught(planted, "layer-dependency", "fct_lead_scores"))


def test_layer_dependency_catches_staging_reading_intermediate(planted):
    planted.model("stg_crm__users")["depends_on"]["nodes"].append(f"model.{PROJECT}.int_identity_map")
    assert "reads int_identity_map (int_)" in caught(planted, "layer-dependency", "stg_crm__users")[0]


def test_source_outside_staging_catches_a_source_in_a_mart(planted):
    planted.model("dim_leads")["depends_on"]["nodes"].append(f"source.{PROJECT}.crm.leads")
    assert "reads crm.leads" in caught(planted, "source-outside-staging", "dim_leads")[0]


def test_primary_key_catches_a_model_without_one(planted):
    node = planted.model("fct_lead_scores")
    for test in list(planted.tests_on(node)):  # its key is (lead_id, scoring_model)
        if test["test_metadata"]["name"] in ("unique", "unique_column_combination"):
            del planted.manifest["nodes"][test["unique_id"]]
    assert caught(planted, "primary-key", "fct_lead_scores")


def test_primary_key_counts_composite_keys(planted):
    node = planted.model("int_identity_map")
    composite = [t for t in planted.tests_on(node) if t["test_metadata"]["name"] == "unique_column_combination"]
    assert composite, "int_identity_map's key is composite"
    assert not [b for b in check_primary_key(planted) if b.startswith("int_identity_map: ")]
    for test in composite:
        del planted.manifest["nodes"][test["unique_id"]]
    assert caught(planted, "primary-key", "int_identity_map")


def test_descriptions_catch_an_undescribed_model_column_macro_and_seed(planted):
    node = planted.model("fct_lead_scores")
    node["description"] = ""
    node["columns"]["total_score"]["description"] = " "
    planted.manifest["macros"][f"macro.{PROJECT}.duckdb__hash_bucket"]["description"] = ""
    planted.manifest["nodes"][f"seed.{PROJECT}.scoring_rules"]["description"] = ""
    found = list(check_descriptions(planted))
    assert any(b.startswith("fct_lead_scores: description-model:") for b in found)
    assert any(b.startswith("fct_lead_scores: description-column: column total_score") for b in found)
    assert any(b.startswith("duckdb__hash_bucket: description-macro:") for b in found)
    assert any(b.startswith("scoring_rules: description-seed:") for b in found)


def test_descriptions_catch_a_column_the_docs_do_not_know(planted):
    planted.catalog["nodes"][f"model.{PROJECT}.dim_leads"]["columns"]["shoe_size"] = {"name": "shoe_size"}
    assert "column shoe_size has no description" in caught(planted, "descriptions", "dim_leads")[0]


def test_personal_classification_catches_an_unclassified_mart_column(planted):
    column = planted.model("fct_lead_routing")["columns"]["email"]
    column["meta"], column["config"]["meta"] = {}, {}
    assert "column email has no meta personal" in caught(planted, "personal-classification", "fct_lead_routing")[0]
    column["config"]["meta"] = {"personal": "yes"}
    assert "found 'yes'" in caught(planted, "personal-classification", "fct_lead_routing")[0]


def test_group_owner_catches_a_model_without_group_and_a_group_without_owner(planted):
    planted.model("dim_leads")["group"] = None
    assert "in no dbt group" in caught(planted, "group-owner", "dim_leads")[0]
    group = next(g for g in planted.manifest["groups"].values() if g["name"] == planted.model("int_identity_map")["group"])
    group["owner"] = {"name": None, "email": None}
    assert "has no owner" in caught(planted, "group-owner", "int_identity_map")[0]


def test_access_catches_a_public_intermediate_model(planted):
    planted.model("int_lead_scores_by_date")["access"] = "public"
    assert "access is public" in caught(planted, "access", "int_lead_scores_by_date")[0]


def test_value_tests_catch_coverage_below_the_floor(planted):
    for uid, node in list(planted.manifest["nodes"].items()):
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in VALUE_TESTS \
                and node.get("attached_node", "").startswith(f"model.{PROJECT}.fct_lead_routing"):
            del planted.manifest["nodes"][uid]
    tested, total = mart_value_test_share(planted)
    planted.catalog["nodes"][f"model.{PROJECT}.fct_lead_routing"]["columns"].update(
        {f"padding_{i}": {"name": f"padding_{i}"} for i in range(2 * total)})
    assert "below 60%" in caught(planted, "value-tests", "fct_lead_routing")[0]


def test_rule_feature_tested_catches_an_untested_rule_feature(planted):
    node = planted.model("int_lead_features_web")
    for test in list(planted.tests_on(node)):
        if test.get("column_name") == "web_pricing_page_views_30d":
            del planted.manifest["nodes"][test["unique_id"]]
    found = list(check_rule_feature_tested(planted, {"web_pricing_page_views_30d", "web_no_such_feature"}))
    assert any(b.startswith("int_lead_features_web: rule-feature-tested: column web_pricing_page_views_30d")
               for b in found)
    assert any("web_no_such_feature is a column of no family model" in b for b in found)


def test_rule_feature_tested_takes_a_unit_test_for_a_flag_until_it_is_removed(planted):
    flag = {"negative_is_test_name"}
    assert not list(check_rule_feature_tested(planted, flag)), "a unit test expects the flag true and false"
    for uid, test in list(planted.manifest["unit_tests"].items()):
        if test["model"] == "int_lead_features_negative":
            del planted.manifest["unit_tests"][uid]
    assert any(b.startswith("int_lead_features_negative: rule-feature-tested: column negative_is_test_name")
               for b in check_rule_feature_tested(planted, flag))
