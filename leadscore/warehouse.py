"""Where the embedded DuckDB warehouse lives and how to run dbt against it.

Every connection works in UTC whatever the machine's time zone (`now()`, `current_date` and casts
between TIMESTAMP and TIMESTAMPTZ), the warehouse file is created readable and writable by its owner
only (it holds raw emails, phones and messages), and a writer that finds the file locked by another
process (a build during a load, or the reverse) waits up to LEADSCORE_LOCK_TIMEOUT seconds, then
says which process holds it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROFILES_DIR = PROJECT_ROOT / "profiles"
DEFAULT_DUCKDB_PATH = "warehouse/leadscore.duckdb"
PATH_ENV = "LEADSCORE_DUCKDB_PATH"
LOCK_TIMEOUT_ENV = "LEADSCORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 60.0
FILE_MODE = 0o600  # owner read/write only


class WarehouseBusy(Exception):
    """Another process holds the warehouse file's lock for longer than the timeout."""


def duckdb_path() -> Path:
    """The warehouse file: $LEADSCORE_DUCKDB_PATH, relative paths taken from the project root."""
    path = Path(os.environ.get(PATH_ENV, DEFAULT_DUCKDB_PATH))
    return path if path.is_absolute() else PROJECT_ROOT / path


def lock_timeout() -> float:
    """Seconds to wait for another process's lock: $LEADSCORE_LOCK_TIMEOUT (default 60)."""
    value = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return max(0.0, float(value)) if value else DEFAULT_LOCK_TIMEOUT_S
    except ValueError:
        raise WarehouseBusy(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, got {value!r}") from None


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower() and ("conflicting" in str(exc).lower() or "could not set" in str(exc).lower())


def _lock_holder(exc: duckdb.Error) -> str:
    """'process 1234 (/usr/bin/python3 -m leadscore ...)' from DuckDB's lock message and /proc."""
    match = re.search(r"PID (\d+)", str(exc))
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        command = " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ").split())
    except OSError:
        command = ""
    return f"process {pid}" + (f" ({command[:200]})" if command else "")


def restrict_mode(path: Path) -> None:
    """Set the warehouse file and its WAL to owner-only, unless they belong to someone else."""
    for file in (path, path.with_name(path.name + ".wal")):
        if file.exists() and file.stat().st_mode & 0o777 != FILE_MODE:
            try:
                file.chmod(FILE_MODE)
            except PermissionError:
                pass  # not our file: the owner keeps their mode


def connect(path: Path | None = None, read_only: bool = False,
            timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """A connection in UTC to the warehouse file, created owner-only (0600); waits for a lock held by
    another process up to `timeout` seconds (default $LEADSCORE_LOCK_TIMEOUT), then raises WarehouseBusy."""
    path = path or duckdb_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    timeout = lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + timeout
    delay = 0.1
    old_umask = os.umask(0o077)  # a new file (and its WAL) is created 0600
    try:
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only, )
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"the warehouse {path} is busy: {_lock_holder(exc)} holds its lock "
                        f"(waited {timeout:g} s; a build or load is running). Try again when it has finished, "
                        f"or wait longer with {LOCK_TIMEOUT_ENV}=<seconds>."
                    ) from exc
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 2.0)
    finally:
        os.umask(old_umask)
    con.execute("set TimeZone = 'UTC'")
    if not read_only:
        restrict_mode(path)
    return con


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
