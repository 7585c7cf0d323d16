"""The dbt source declarations match the raw-table contract exactly."""

from __future__ import annotations

from pathlib import Path

import yaml

from leadscore import schema
from leadscore.warehouse import PROJECT_ROOT


def _sources() -> dict[str, dict]:
    found = {}
    for path in (PROJECT_ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(Path(path).read_text())["sources"]:
            found[source["schema"]] = source
    return found


def test_every_raw_schema_is_a_source_with_freshness():
    sources = _sources()
    assert sorted(sources) == sorted(schema.RAW_SCHEMAS)
    for source in sources.values():
        assert source.get("description")
        config = source["config"]
        assert config["loaded_at_field"] == "_loaded_at"
        assert config["freshness"]["warn_after"] and config["freshness"]["error_after"]


def test_source_tables_and_columns_match_the_contract():
    sources = _sources()
    for table in schema.RAW_TABLES:
        declared = {t["name"]: t for t in sources[table.schema]["tables"]}
        assert table.name in declared, table.qualified_name
        entry = declared[table.name]
        assert entry.get("description"), table.qualified_name
        # custom fields are declared in seeds/crm_custom_fields.csv only, not in the sources YAML
        columns = [c for c in table.columns if c not in schema.CUSTOM_FIELDS]
        assert [c["name"] for c in entry["columns"]] == [c.name for c in columns], table.qualified_name
        for declared_col, col in zip(entry["columns"], columns):
            assert declared_col["data_type"] == col.type.lower(), (table.qualified_name, col.name)
            assert declared_col.get("description"), (table.qualified_name, col.name)
    for schema_name, source in sources.items():
        contract = {t.name for t in schema.RAW_TABLES if t.schema == schema_name}
        assert {t["name"] for t in source["tables"]} == contract
