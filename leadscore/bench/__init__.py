"""Benchmark: generate sources at a scale, time a full build and a daily incremental against a floor.

`leadscore bench --scale S` (S=1: 1M leads, ~100M events) does, in a warehouse of its own
(bench/warehouse/bench-<S>/warehouse.duckdb unless --workdir says otherwise):

 1. generate   `leadscore generate --leads 1e6*S` (subprocess)
 2. floor      one plain DuckDB query that reads every column of every raw table once -> floor_s;
               and the write floor: one copy of every raw table written to a new file -> write_floor_s
 3. seed       `dbt seed --full-refresh`, then `dbt snapshot` (both are needed before `dbt run`)
 4. full run   `dbt run --full-refresh`                      -> full_run_s
 5. full build `dbt build --full-refresh` (seeds+models+tests, right after the run) -> full_build_s
 6. append     one more day of data (`leadscore generate --append-day`)
 7. increment  the daily job, `dbt build --selector daily`, as of the new day -> incremental_s
 8. verify     fingerprint every model table of the staging/intermediate/marts schemas, rebuild the
               daily job with `--full-refresh` in place (-> daily_full_refresh_s), fingerprint again
               and compare                                   -> incremental_equals_full

Every step runs in a subprocess whose process tree is polled for RSS every 0.2 s. Figures are
printed and written to bench/results/bench-<S>.json. See docs/benchmark.md.

Where each part is: `runner.Bench.run` calls the steps above in order, one method each; `measure` runs
a step's subprocess and polls its memory; `raw` reads the raw tables (counts, newest load, the floor
query); `compare` fingerprints and compares the model tables (step 8); `report` builds the results,
judges the targets and prints the summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leadscore.bench.compare import compare_fingerprints, compare_warehouses, fingerprint_warehouse
from leadscore.bench.measure import ROOT, Measured, Step, StepFailed, run_measured
from leadscore.bench.raw import floor_sql, raw_counts, raw_tables_in
from leadscore.bench.report import REQUIRED_KEYS, TARGETS, judge_targets
from leadscore.bench.runner import DEFAULT_MEMORY_LIMIT, DEFAULT_RESULTS_DIR, Bench

__all__ = ["REQUIRED_KEYS", "ROOT", "TARGETS", "Bench", "Measured", "Step", "StepFailed", "add_arguments",
           "compare_fingerprints", "compare_warehouses", "fingerprint_warehouse", "floor_sql", "judge_targets",
           "raw_counts", "raw_tables_in", "run", "run_measured"]


# --------------------------------------------------------------------------------------------- CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = 1M leads and ~100M events (default 1); 0.1, 0.01, ... scale down.")
    parser.add_argument("--seed", type=int, default=None, help="Generator seed (default: the generator's).")
    parser.add_argument("--start", default=None, help="Generator --start (default: the generator's).")
    parser.add_argument("--end", default=None, help="Generator --end (default: the generator's).")
    parser.add_argument("--as-of", default=None,
                        help="as_of_date of the full build (YYYY-MM-DD). Default: the day of the newest "
                             "_loaded_at in the raw tables; the incremental uses that of the appended data.")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="Where the benchmark warehouse, dbt target and logs go "
                             "(default bench/warehouse/bench-<scale>).")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR,
                        help="Where bench-<scale>.json is written (default bench/results).")
    parser.add_argument("--memory-limit", default=None,
                        help=f"DuckDB memory_limit (default $LEADSCORE_MEMORY_LIMIT or {DEFAULT_MEMORY_LIMIT}).")
    parser.add_argument("--threads", type=int, default=None,
                        help="DuckDB threads (default $LEADSCORE_DUCKDB_THREADS or 2).")
    parser.add_argument("--floor-repeat", type=int, default=2,
                        help="Run the floor query this many times and keep the fastest (default 2).")
    parser.add_argument("--from-built", type=Path, default=None, metavar="WAREHOUSE",
                        help="Start from a copy of this warehouse, already generated at this scale and fully built "
                             "as of --as-of: skips generate, seed, full run and full build (the test uses it).")
    parser.add_argument("--dbt-command", choices=("build", "run"), default="build",
                        help="dbt command of the daily incremental and the full refresh it is compared with "
                             "(default build; `run` skips the data tests, enough to check correctness).")
    parser.add_argument("--generate-memory-limit", default="4GB",
                        help="DuckDB memory_limit of the generator (default 4GB: it needs little, and its peak counts "
                             "towards the benchmark's peak memory).")
    parser.add_argument("--no-verify", action="store_true",
                        help="Skip step 8 (full refresh of a copy and comparison with the incremental).")
    parser.add_argument("--ignore-columns", default="",
                        help="Comma-separated column names left out of the comparison (default none: "
                             "models must be reproducible, see docs/architecture.md).")
    parser.add_argument("--profile", action="store_true",
                        help="Print the 10 slowest nodes of the full run, full build and incremental.")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the warehouse files (default: deleted at the end; target/ and logs stay).")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    parser.add_argument("-v", "--verbose", action="store_true", help="Stream generator and dbt output.")


def run(args: argparse.Namespace) -> int:
    if args.scale <= 0:
        raise SystemExit("--scale must be positive")
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        bench.cleanup()
