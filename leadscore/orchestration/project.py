"""The dbt project as Dagster sees it: where it is, and its manifest, made at definition load.

On a fresh clone there is no target directory: `manifest()` runs `dbt parse` (one process at a time)
into `target/dagster/` whenever the manifest is missing or older than a file of the project, so
`dagster definitions validate` and `dagster dev` work with nothing built first, and a changed model
is picked up at the next load.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from leadscore import warehouse

# Its own target directory, so Dagster's parse never races a developer's `dbt build` in target/.
TARGET_PATH = Path("target") / "dagster"
# What `dbt parse` reads: a file newer than the manifest means the manifest is stale.
PROJECT_INPUTS = ("dbt_project.yml", "selectors.yml", "models", "seeds", "snapshots", "macros", "tests",
                  "analyses")


# dbt from the same environment as Dagster (a venv's bin/ need not be on PATH).
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)


def dbt_project(project_dir: Path | None = None) -> DbtProject:
    return DbtProject(
        project_dir=project_dir or warehouse.PROJECT_ROOT,
        target_path=TARGET_PATH,
        profiles_dir=warehouse.PROFILES_DIR,
    )


def _newest_input(project_dir: Path) -> float:
    newest = 0.0
    for name in PROJECT_INPUTS:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and "python" not in child.relative_to(path).parts[:1]:
                    newest = max(newest, child.stat().st_mtime)
    return newest


def manifest(project: DbtProject) -> dict:
    """The parsed manifest, running `dbt parse` first when it is missing or stale."""
    path = project.manifest_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # one parse at a time per target directory (several processes may load the definitions at once)
    with open(path.parent / "parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists() or path.stat().st_mtime < _newest_input(project.project_dir):
            dbt_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    if not path.exists():
        raise RuntimeError(f"dbt parse did not write {path}: run `dbt parse` to see why")
    return json.loads(path.read_text())
