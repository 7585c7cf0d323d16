"""Shared fixtures: temporary warehouses with generated data, and dbt driven in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from leadscore import warehouse

# Small, fast, deterministic: the size every dbt-driven test builds on.
TEST_LEADS = 2000
TEST_SEED = 42
TEST_START = "2025-11-01"
TEST_END = "2026-10-31"
TEST_AS_OF = "2026-10-31"


def generate_into(path: Path, leads: int = TEST_LEADS, seed: int = TEST_SEED, **kwargs) -> None:
    """Run the `generate` command into the warehouse at `path`."""
    from leadscore import cli

    argv = ["generate", "--leads", str(leads), "--seed", str(seed), "--start", TEST_START, "--end", TEST_END]
    for key, value in kwargs.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    with use_warehouse(path):
        assert cli.main(argv) == 0


class use_warehouse:
    """Point LEADSCORE_DUCKDB_PATH at `path` for the duration of a with-block."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.old = os.environ.get(warehouse.PATH_ENV)
        os.environ[warehouse.PATH_ENV] = str(self.path)
        return self.path

    def __exit__(self, *exc):
        if self.old is None:
            os.environ.pop(warehouse.PATH_ENV, None)
        else:
            os.environ[warehouse.PATH_ENV] = self.old


def dbt(path: Path, *args: str, vars_: dict | None = None):
    """Run dbt against the warehouse at `path`; raises if dbt fails."""
    merged = {"as_of_date": TEST_AS_OF, **(vars_ or {})}
    with use_warehouse(path):
        return warehouse.run_dbt(list(args), vars_=merged)


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def copy_warehouse(src: Path, dst_dir: Path, name: str = "copy.duckdb") -> Path:
    dst = dst_dir / name
    shutil.copy(src, dst)
    return dst


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Path:
    """A warehouse holding freshly generated raw sources (TEST_LEADS leads). Do not modify: copy it."""
    path = tmp_path_factory.mktemp("generated") / "raw.duckdb"
    generate_into(path)
    return path


@pytest.fixture(scope="session")
def built_warehouse(generated_warehouse, tmp_path_factory) -> Path:
    """The generated warehouse after a full `dbt build` as of TEST_AS_OF. Do not modify: copy it."""
    path = copy_warehouse(generated_warehouse, tmp_path_factory.mktemp("built"), "built.duckdb")
    dbt(path, "build")
    return path


@pytest.fixture()
def scratch_warehouse(built_warehouse, tmp_path) -> Iterator[Path]:
    """A private copy of the built warehouse a test may change."""
    yield copy_warehouse(built_warehouse, tmp_path, "scratch.duckdb")
