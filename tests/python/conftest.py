"""Shared fixtures: temporary warehouses with generated data, and dbt driven in-process."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
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
# Tests join generator_truth on md5(email) = lead_id: the suite builds unkeyed unless a test sets a key
os.environ.pop("LEADSCORE_ID_KEY", None)


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


class DbtRun:
    """Outcome of one dbt command: success, and per node its status and message (run_results.json)."""

    def __init__(self, returncode: int, results: list[dict], output: str):
        self.success = returncode == 0
        self.results = results
        self.output = output

    def names(self, status: str) -> set[str]:
        return {r["unique_id"].split(".")[2] for r in self.results if r["status"] == status}

    def messages(self, status: str = "error") -> str:
        return "\n".join(str(r.get("message")) for r in self.results if r["status"] == status)


# project dir -> the target dir of its last dbt run (manifest.json, run_results.json, compiled SQL)
_TARGETS: dict[Path, Path] = {}
# (project dir, vars, profile) -> a target dir whose partial parse state (partial_parse.msgpack) fits them: dbt
# parses the whole project again (10-15 s) whenever the vars or the profile change
_PARSE_STATES: dict[tuple, Path] = {}
# what the profile reads from the environment, besides the warehouse's path (see _fixed_warehouse_path)
_PROFILE_ENV_PREFIXES = ("DBT_TARGET", "LEADSCORE_DBT_", "LEADSCORE_MEMORY_LIMIT", "LEADSCORE_DUCKDB_THREADS",
                         "LEADSCORE_PG_", "LEADSCORE_SPARK_")


def _target_dir(project_dir: Path, vars_: dict, env: dict, warehouse_name: str) -> Path:
    profile = sorted((k, v) for k, v in env.items() if k.startswith(_PROFILE_ENV_PREFIXES))
    key = (project_dir, json.dumps(vars_, sort_keys=True), json.dumps(profile), warehouse_name)
    target = _PARSE_STATES.setdefault(key, Path(tempfile.mkdtemp(prefix="dbt-target-")))
    _TARGETS[project_dir] = target
    return target


class _fixed_warehouse_path:
    """The warehouse's path is part of dbt's profile, and a changed profile makes dbt parse the whole project
    again. So every DuckDB dbt run of this process works in one folder: the test's warehouse file (and its
    write-ahead log) is moved there for the run, under its own name (DuckDB names the database after the
    file, and compiled SQL names the database), and back afterwards, also when dbt created it."""

    _folder: Path | None = None

    def __init__(self, path: Path):
        if _fixed_warehouse_path._folder is None:
            _fixed_warehouse_path._folder = Path(tempfile.mkdtemp(prefix="dbt-warehouse-"))
        self.path, self.slot = path, _fixed_warehouse_path._folder / path.name

    @staticmethod
    def _move(src: Path, dst: Path) -> None:
        for suffix in ("", ".wal"):
            source, destination = src.with_name(src.name + suffix), dst.with_name(dst.name + suffix)
            destination.unlink(missing_ok=True)
            if source.exists():
                shutil.move(source, destination)

    def __enter__(self) -> Path:
        self._move(self.path, self.slot)
        return self.slot

    def __exit__(self, *exc) -> None:
        self._move(self.slot, self.path)


def dbt(path: Path, *args: str, vars_: dict | None = None, project_dir: Path | None = None,
        check: bool = True, env: dict | None = None) -> DbtRun:
    """Run dbt (a subprocess, so the warehouse file is closed and complete afterwards) against the
    warehouse at `path`, from the project or a copy of it; raise if it fails unless check=False.
    `env`: more environment variables (e.g. DBT_TARGET for another engine). Runs with the same project,
    vars and profile share a target dir, so dbt parses only what changed since the last of them."""
    project_dir = project_dir or warehouse.PROJECT_ROOT
    merged = {"as_of_date": TEST_AS_OF, **(vars_ or {})}
    env = {**os.environ, **(env or {})}
    on_duckdb = env.get("DBT_TARGET", "duckdb") == "duckdb"
    target = _target_dir(project_dir, merged, env, path.name if on_duckdb else "")
    cmd = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(project_dir),
           "--profiles-dir", str(warehouse.PROFILES_DIR), "--target-path", str(target),
           "--vars", json.dumps(merged)]
    artifact = target / ("sources.json" if args[:2] == ("source", "freshness") else "run_results.json")
    artifact.unlink(missing_ok=True)  # the target dir is shared: never read an earlier run's results
    with (_fixed_warehouse_path(path) if on_duckdb else contextlib.nullcontext(path)) as at:
        env.update({warehouse.PATH_ENV: str(at), "DBT_LOG_PATH": str(target / "logs")})
        proc = subprocess.run(cmd, cwd=warehouse.PROJECT_ROOT, env=env, capture_output=True, text=True)
    results = json.loads(artifact.read_text())["results"] if artifact.exists() else []
    run = DbtRun(proc.returncode, results, proc.stdout + proc.stderr)
    if check and not run.success:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{run.output[-5000:]}")
    return run


def copy_project(dst: Path) -> Path:
    """A copy of the dbt project (models, seeds, macros, tests, ...) that a test may edit."""
    root = warehouse.PROJECT_ROOT
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("dbt_project.yml", "selectors.yml", "models", "seeds", "snapshots", "macros", "tests", "analyses"):
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("python", "__pycache__"))
        elif src.exists():
            shutil.copy(src, dst / name)
    return dst


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def copy_warehouse(src: Path, dst_dir: Path, name: str = "copy.duckdb") -> Path:
    """Copy a warehouse file (with its write-ahead log, if any)."""
    dst = dst_dir / name
    shutil.copy(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copy(wal, dst.with_name(dst.name + ".wal"))
    return dst


# Test files in the order pytest-xdist hands them out (`make test` runs two workers, whole files each,
# `--no-loadscope-reorder`): the evaluation module, which builds its own warehouse, starts on one worker
# while the other builds the shared one that most of the other files read.
FILE_ORDER = ["test_spark.py", "test_evaluation.py", "test_postgres.py", "test_as_of_dates.py", "test_dashboard.py",
              "test_foreign_export.py", "test_bench.py", "test_generator.py", "test_features.py", "test_scoring.py",
              "test_scoring_models.py", "test_lifecycle_resets.py", "test_accounts.py", "test_score_changes.py",
              "test_learning.py", "test_feedback.py", "test_orchestration.py", "test_metrics.py", "test_staging.py",
              "test_build.py", "test_faults.py", "test_load.py", "test_sources.py", "test_conventions.py"]


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(FILE_ORDER)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def shared_resource(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """A read-only resource of the session, made once per test run: `make(directory)` returns its path.
    Under pytest-xdist the first worker that needs it makes it while holding a lock; the others wait
    and reuse it (the directory is shared by the run's workers)."""
    if worker_id == "master":
        return make(tmp_path_factory.mktemp(name))
    directory = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    directory.mkdir(exist_ok=True)
    made = directory / "made"
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if made.exists():
                return Path(made.read_text())
            path = make(directory)
            made.write_text(str(path))
            return path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory, worker_id) -> Path:
    """A warehouse holding freshly generated raw sources (TEST_LEADS leads). Do not modify: copy it."""
    def make(directory: Path) -> Path:
        path = directory / "raw.duckdb"
        generate_into(path)
        return path
    return shared_resource(tmp_path_factory, worker_id, "generated", make)


@pytest.fixture(scope="session")
def engine_duckdb_side(tmp_path_factory, worker_id) -> Path:
    """What the PostgreSQL and Spark suites compare with: their data through DuckDB (engines.duckdb_side),
    made once for both. Do not modify."""
    def make(directory: Path) -> Path:
        import engines
        return engines.duckdb_side(directory)
    return shared_resource(tmp_path_factory, worker_id, "engine-duckdb-side", make)


@pytest.fixture(scope="session")
def built_warehouse(generated_warehouse, tmp_path_factory, worker_id) -> Path:
    """The generated warehouse after a full `dbt build` as of TEST_AS_OF. Do not modify: copy it."""
    def make(directory: Path) -> Path:
        path = copy_warehouse(generated_warehouse, directory, "built.duckdb")
        dbt(path, "build")
        return path
    return shared_resource(tmp_path_factory, worker_id, "built", make)


@pytest.fixture()
def scratch_warehouse(built_warehouse, tmp_path) -> Iterator[Path]:
    """A private copy of the built warehouse a test may change."""
    yield copy_warehouse(built_warehouse, tmp_path, "scratch.duckdb")
