"""Command line: `leadscore <command>`; `leadscore <command> --help` for its options."""

from __future__ import annotations

import argparse
import importlib
import sys

# command name -> module that provides add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("leadscore.generate", "Generate sample raw sources into the warehouse."),
    "load": ("leadscore.load", "Load a folder of CSV/Parquet exports into the raw schemas."),
    "summary": ("leadscore.summary", "Print what the last build produced: top leads, MQLs."),
    "suggest-weights": ("leadscore.suggest", "Write the learned rule set (rules, caps, MQL threshold) as seed files."),
    "fit": ("leadscore.learn", "Fit the learned weights on PostgreSQL or Spark (DuckDB fits them in dbt build)."),
    "bench": ("leadscore.bench", "Benchmark generate + full build + daily incremental at a scale."),
    "dashboard": ("leadscore.dashboard.command", "Serve the dashboard (Streamlit) over the marts, read-only."),
}

# commands that write the raw tables (into the DuckDB landing file, then the active target's: leadscore.targets)
WRITES_RAW_TABLES = {"generate", "load"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="leadscore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(_module=module_name)
        # Import only the chosen command's module, so `leadscore generate` does not import dbt.
        if argv and argv[0] == name:
            importlib.import_module(module_name).add_arguments(sp)
    args = parser.parse_args(argv)
    rc = int(importlib.import_module(args._module).run(args) or 0)
    if rc == 0 and args.command in WRITES_RAW_TABLES:
        from leadscore import targets

        targets.publish_raw()  # on PostgreSQL or Spark ($DBT_TARGET): the raw tables copied there
    return rc


if __name__ == "__main__":
    sys.exit(main())
