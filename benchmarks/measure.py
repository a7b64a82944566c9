"""How a figure is measured and stated: medians of both sides, their ratio, and the target it is held to.

Every figure times gongkai and a baseline in the same invocation, alternating them run by run, and
compares the medians, so a machine that is slower or busier than another moves both sides alike.
Work that runs in a subprocess reports its own time and peak memory as one JSON line; start-up figures time the whole process from the outside.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the repository: where ``-m benchmarks.worker`` is found


@dataclass(frozen=True)
class Target:
    """``ratio`` compared with ``limit``: "at_least" (a speed-up, a share of throughput) or "at_most"."""

    text: str
    limit: float
    sense: str  # at_least | at_most

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.sense == "at_least" else ratio <= self.limit


@dataclass
class Figure:
    name: str
    title: str
    gongkai: float  # seconds (median)
    baseline: float  # seconds (median), for the same amount of work
    ratio: float
    ratio_text: str  # what the ratio is: "faster ×", "time ×", "throughput share"
    target: Target
    met: bool
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, list[float]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "gongkai_seconds": self.gongkai,
                "baseline_seconds": self.baseline, "ratio": self.ratio, "ratio_means": self.ratio_text,
                "target": self.target.text, "met": self.met, "note": self.note, **self.extra,
                "runs": self.runs}


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``th percentile: the smallest value at least ``p``% of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, the calling thread's CPU seconds (what a busy machine's other processes do
    not add to), and the result."""
    start, cpu = time.perf_counter(), time.thread_time()
    result = fn()
    return time.perf_counter() - start, time.thread_time() - cpu, result


def wall(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``command`` to its exit, output captured (as a pipe reads it); it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return seconds


def worker(task: str, **args: Any) -> dict[str, Any]:
    """Run ``benchmarks.worker TASK`` in a fresh interpreter; its JSON report (seconds, peak_mb, …)."""
    command = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark worker {task} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    """This process's peak resident memory, in MB.

    Linux keeps ``ru_maxrss`` across ``exec``, so a worker started by a large parent would report the
    parent's size; the high-water mark of the process's own memory (``VmHWM``) starts afresh.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux, bytes on macOS


def report(**values: Any) -> None:
    """A worker's one line of JSON, with its peak memory."""
    sys.stdout.write(json.dumps({**values, "peak_mb": round(peak_mb(), 1)}, default=str) + "\n")
