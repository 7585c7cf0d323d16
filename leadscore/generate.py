"""Generate realistic raw sources (see docs/generator.md). STUB: only --empty works yet."""

from __future__ import annotations

import argparse

from leadscore import schema, warehouse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--empty", action="store_true", help="Only create the empty raw tables.")


def run(args: argparse.Namespace) -> int:
    with warehouse.connect() as con:
        schema.create_raw_tables(con)
    if not args.empty:
        raise NotImplementedError("generator not written yet")
    return 0
