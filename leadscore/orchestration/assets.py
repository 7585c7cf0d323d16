"""Assets: one per dbt model, seed and snapshot (dbt tests as their asset checks), the raw loads upstream of the
dbt sources, and the sources' freshness (`dbt source freshness`) as asset checks on the loads."""


import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    MaterializeResult,
    multi_asset,
    multi_asset_check,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from pydantic import Field

from leadscore import cli, load, warehouse

LOADS_GROUP = "raw_loads"


class Translator(DagsterDbtTranslator):
    """Assets grouped by the dbt group when a model has one, else by its layer (staging,
    intermediate, marts, seeds, snapshots), so the lineage view reads left to right."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        group = dbt_resource_props.get("config", {}).get("group")
        if group:
            return group
        if dbt_resource_props["resource_type"] in ("seed", "snapshot"):
            return dbt_resource_props["resource_type"] + "s"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "default"


TRANSLATOR = Translator()


def _check_date(name: str, value: str) -> None:
    """A clear error before dbt runs."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


class DbtBuildConfig(Config):
    """Run config of a dbt build: the project vars the jobs set."""

    as_of_date: str | None = Field(
        default=None, description="Score as of this day (YYYY-MM-DD); empty = today in UTC.")
    data_tests_on_new_loads_only: bool = Field(
        default=False, description="Test only the newly loaded rows of the big event models.")
    backtest_cutoff_dates: list[str] = Field(
        default_factory=list, description="Backtest cut-offs (YYYY-MM-DD) of the evaluation job.")

    def dbt_vars(self) -> dict[str, Any]:
        as_of = self.as_of_date or dt.datetime.now(dt.UTC).date().isoformat()
        for name, value in [("as_of_date", as_of), *(("backtest_cutoff_dates", c) for c in self.backtest_cutoff_dates)]:
            _check_date(name, value)
        out: dict[str, Any] = {"as_of_date": as_of,
                               "data_tests_on_new_loads_only": self.data_tests_on_new_loads_only}
        if self.backtest_cutoff_dates:
            out["backtest_cutoff_dates"] = list(self.backtest_cutoff_dates)
        return out


def _without_indirect_selection(definition: Any) -> Any:
    if isinstance(definition, dict):
        return {k: _without_indirect_selection(v) for k, v in definition.items() if k != "indirect_selection"}
    if isinstance(definition, list):
        return [_without_indirect_selection(v) for v in definition]
    return definition


def _ancestors(manifest: dict, unique_id: str) -> set[str]:
    seen: set[str] = set()
    stack = list(manifest["parent_map"].get(unique_id, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(manifest["parent_map"].get(node, []))
    return seen


def _attach_singular_tests(manifest: dict) -> dict:
    """Singular tests (tests/*.sql) reading several models become checks of the most downstream one
    (the other models are the check's extra dependencies), so the jobs run them as dbt's selectors do;
    dagster-dbt attaches only those that name a model in meta.dagster.ref."""
    nodes = dict(manifest["nodes"])
    for uid, test in manifest["nodes"].items():
        parents = [p for p in test.get("depends_on", {}).get("nodes", [])
                   if manifest["nodes"].get(p, {}).get("resource_type") in ("model", "seed")]
        meta = test.get("config", {}).get("meta", {})
        if test["resource_type"] != "test" or test.get("attached_node") or len(parents) < 2 or "dagster" in meta:
            continue
        target = max(sorted(parents), key=lambda p: len(_ancestors(manifest, p)))
        ref = {"name": manifest["nodes"][target]["name"]}
        nodes[uid] = {**test, "config": {**test["config"], "meta": {**meta, "dagster": {"ref": ref}}}}
    return {**manifest, "nodes": nodes}


def selectable_manifest(manifest: dict) -> dict:
    """The manifest as dagster-dbt should read it: singular tests attached to a model
    (_attach_singular_tests), and selectors (selectors.yml) usable for asset selection: dagster-dbt
    resolves selectors on a light copy of the manifest that cannot evaluate `indirect_selection:
    cautious`, and indirect selection only picks tests, which here are checks that follow their assets."""
    selectors = {name: {**sel, "definition": _without_indirect_selection(sel["definition"])}
                 for name, sel in manifest.get("selectors", {}).items()}
    return {**_attach_singular_tests(manifest), "selectors": selectors}


def _indirect_selection_args(context: AssetExecutionContext) -> list[str]:
    """When every check of the selected assets is selected (a job, or a whole-asset materialisation),
    dagster-dbt selects the models and leaves their tests to dbt's indirect selection, eager by default
    (also a test of a model outside the run, e.g. a relationship from an evaluation model to a seed of
    the daily job). Cautious runs only the tests whose every parent is in the run, as selectors.yml
    does. (With checks deselected, dagster-dbt names each test itself.)"""
    selected = context.selected_asset_keys
    checks = {spec.key for spec in context.assets_def.check_specs if spec.asset_key in selected}
    return ["--indirect-selection", "cautious"] if checks <= set(context.selected_asset_check_keys) else []


def build_dbt_assets(manifest: dict, project):
    @dbt_assets(manifest=selectable_manifest(manifest), project=project, dagster_dbt_translator=TRANSLATOR)
    def leadscore_dbt(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
        """`dbt build` of the selected models and seeds with their tests (unit tests are CI's)."""
        args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(config.dbt_vars()),
                *_indirect_selection_args(context)]
        yield from dbt.cli(args, context=context).stream()

    return leadscore_dbt


def source_tables(manifest: dict) -> list[dict]:
    """The dbt sources (the raw tables), sorted by asset key."""
    sources = [props for props in manifest["sources"].values()]
    return sorted(sources, key=lambda props: TRANSLATOR.get_asset_key(props).to_user_string())


class LoadConfig(Config):
    """Which load to run: a folder of exports (`leadscore load DIR`) or the demo's next day."""

    directory: str | None = Field(
        default=None, description="Folder of <schema>.<table>.csv|parquet exports; empty = demo data "
                                  "(`leadscore generate --append-day`).")
    mode: str = Field(default="append", description="append or replace (as `leadscore load --mode`); the demo's "
                                                    "next day always appends.")


def _row_counts(tables: list[dict]) -> dict[str, int]:
    """Rows per raw table (0 for a table, or a warehouse, that does not exist yet)."""
    counts = {props["unique_id"]: 0 for props in tables}
    if not warehouse.duckdb_path().exists():
        return counts
    with warehouse.connect(read_only=True) as con:
        existing = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
        for props in tables:
            if (props["schema"], props["identifier"]) in existing:
                relation = f'"{props["schema"]}"."{props["identifier"]}"'
                counts[props["unique_id"]] = con.execute(f"select count(*) from {relation}").fetchone()[0]
    return counts


def _run_load(config: LoadConfig) -> set[str] | None:
    """Run the load; the raw tables (schema.table) it loaded from files, None for the demo's next day."""
    if config.mode not in ("append", "replace"):
        raise ValueError(f"mode must be append or replace, got {config.mode!r}")
    if config.directory:  # as `leadscore load DIR --mode MODE`
        try:
            return set(load.load_directory(Path(config.directory), mode=config.mode))
        except load.LoadRefused as refusal:
            raise RuntimeError(f"load refused, nothing was loaded: {refusal}") from None
    code = cli.main(["generate", "--append-day", "--quiet"])
    if code != 0:
        raise RuntimeError(f"`leadscore generate --append-day` failed with exit code {code} (see its message above)")
    return None


def build_load_assets(manifest: dict):
    tables = source_tables(manifest)
    specs = [AssetSpec(TRANSLATOR.get_asset_key(props), group_name=LOADS_GROUP, skippable=True,
                       description=f"Raw table {props['schema']}.{props['identifier']}: {props['description']}",
                       kinds={"duckdb"})
             for props in tables]

    @multi_asset(specs=specs, name="raw_loads", can_subset=False)
    def raw_loads(context: AssetExecutionContext, config: LoadConfig) -> Iterator[MaterializeResult]:
        """Land new raw rows: every table loaded from a file, or (demo) that gained rows, is materialised."""
        before = _row_counts(tables)
        loaded = _run_load(config)
        after = _row_counts(tables)
        for props in tables:
            uid = props["unique_id"]
            from_file = loaded is not None and f"{props['schema']}.{props['identifier']}" in loaded
            if from_file or loaded is None and after[uid] != before[uid]:
                yield MaterializeResult(
                    asset_key=TRANSLATOR.get_asset_key(props),
                    metadata={"rows": after[uid], "rows_added": after[uid] - before[uid]})
        context.log.info(f"rows per table after the load: {after}")

    return raw_loads, tables


def _freshness_result(key: AssetKey, result: dict | None) -> AssetCheckResult:
    if result is None:  # no freshness configured, or dbt did not report it
        return AssetCheckResult(asset_key=key, check_name="source_freshness", passed=True,
                                metadata={"status": "not checked (no freshness set)"})
    status = result["status"]
    return AssetCheckResult(
        asset_key=key, check_name="source_freshness", passed=status == "pass",
        severity=AssetCheckSeverity.ERROR if status in ("error", "runtime error") else AssetCheckSeverity.WARN,
        metadata={"status": status, "max_loaded_at": str(result.get("max_loaded_at")),
                  "age_hours": round(float(result.get("max_loaded_at_time_ago_in_s") or 0) / 3600, 1)})


def build_freshness_checks(tables: list[dict]):
    checks = [AssetCheckSpec("source_freshness", asset=TRANSLATOR.get_asset_key(props), blocking=False,
                             description="dbt source freshness of the table's _loaded_at (warn/error after, "
                                         "from the sources' YAML)")
              for props in tables]

    @multi_asset_check(specs=checks, name="dbt_source_freshness")
    def dbt_source_freshness(dbt: DbtCliResource) -> Iterator[AssetCheckResult]:
        """`dbt source freshness`, one check result per raw table."""
        invocation = dbt.cli(["source", "freshness"], raise_on_error=False)
        invocation.wait()
        artifact = invocation.target_path / "sources.json"
        results = json.loads(artifact.read_text())["results"] if artifact.exists() else []
        by_id = {r["unique_id"]: r for r in results}
        if not results:
            raise RuntimeError("dbt source freshness wrote no results: see its log")
        for props in tables:
            yield _freshness_result(TRANSLATOR.get_asset_key(props), by_id.get(props["unique_id"]))

    return dbt_source_freshness
