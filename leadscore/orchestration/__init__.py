"""Dagster definitions of the project: `dagster definitions validate -m leadscore.orchestration`,
`dagster dev -m leadscore.orchestration`. Loading them parses the dbt project (`dbt parse`) when its
manifest is missing or stale."""

from leadscore.orchestration.definitions import build_definitions

defs = build_definitions()

__all__ = ["build_definitions", "defs"]
