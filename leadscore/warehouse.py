"""Where the embedded DuckDB warehouse lives and how to run dbt against it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROFILES_DIR = PROJECT_ROOT / "profiles"
DEFAULT_DUCKDB_PATH = "warehouse/leadscore.duckdb"
PATH_ENV = "LEADSCORE_DUCKDB_PATH"


def duckdb_path() -> Path:
    """The warehouse file: $LEADSCORE_DUCKDB_PATH, relative paths taken from the project root."""
    path = Path(os.environ.get(PATH_ENV, DEFAULT_DUCKDB_PATH))
    return path if path.is_absolute() else PROJECT_ROOT / path


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = path or duckdb_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def run_dbt(args: Sequence[str], vars_: dict | None = None, project_dir: Path | None = None,
            check: bool = True) -> "object":
    """Run dbt in-process from the project root (or a copy of the project); raise if it fails and `check`."""
    import json

    from dbt.cli.main import dbtRunner

    project_dir = project_dir or PROJECT_ROOT
    cli_args = list(args) + ["--project-dir", str(project_dir), "--profiles-dir", str(PROFILES_DIR)]
    if vars_:
        cli_args += ["--vars", json.dumps(vars_)]
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)  # the profile's relative warehouse path is taken from here
    try:
        result = dbtRunner().invoke(cli_args)
    finally:
        os.chdir(cwd)
    if check and not result.success:
        raise RuntimeError(f"dbt {' '.join(args)} failed: {result.exception or 'see log above'}")
    return result
