"""Running a benchmark step: a subprocess whose process tree's memory is polled while it runs."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from leadscore import warehouse

ROOT = warehouse.PROJECT_ROOT
POLL_S = 0.2
MIB = 1024 * 1024


@dataclass
class Measured:
    returncode: int
    wall_s: float
    peak_rss_mb: float
    peak_hwm_mb: float
    stdout: str = ""


def _vm_hwm_mb(pid: int) -> float:
    """Peak RSS of one process so far (Linux VmHWM), 0 where unavailable."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(cmd: list[str], env: dict[str, str], log_path: Path, verbose: bool = False) -> Measured:
    """Run `cmd`, polling the RSS summed over its process tree every POLL_S; keep the maximum.

    Also keeps the largest per-process VmHWM seen (exact peak of the biggest single process,
    which catches spikes shorter than the poll interval)."""
    import psutil

    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1)
        peak = {"rss": 0, "hwm": 0.0}
        done = threading.Event()

        def poll() -> None:
            try:
                root = psutil.Process(proc.pid)
            except psutil.NoSuchProcess:
                return
            while not done.is_set():
                total = 0
                try:
                    procs = [root] + root.children(recursive=True)
                except psutil.NoSuchProcess:
                    break
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    peak["hwm"] = max(peak["hwm"], _vm_hwm_mb(p.pid))
                peak["rss"] = max(peak["rss"], total)
                done.wait(POLL_S)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        out: list[str] = []
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            out.append(line)
            if verbose:
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait()
        wall = time.perf_counter() - start
        done.set()
        poller.join()
    return Measured(proc.returncode, wall, peak["rss"] / MIB, peak["hwm"], "".join(out))


@dataclass
class Step:
    name: str
    wall_s: float
    peak_rss_mb: float
    peak_hwm_mb: float
    rows: int | None = None          # raw rows the step processes (for rows/s)
    extra: dict = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall_s if self.rows is not None and self.wall_s > 0 else None

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall_s, 3), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "peak_hwm_mb": round(self.peak_hwm_mb, 1), "rows": self.rows,
                "rows_per_s": None if self.rows_per_s is None else round(self.rows_per_s), **self.extra}


class StepFailed(RuntimeError):
    pass
