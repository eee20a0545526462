#!/usr/bin/env python3
"""Benchmark (not a test): `taizhang-cli --version` from the bundle against the
same command from source, in one run (whole processes, median of N).

    python bench/bench_cli.py [--bundle dist/Taizhang] [--runs 20]

The two commands take turns (source, bundle, source, …) so that a change in the
machine's load, which is common on a shared machine, falls on both alike; the
ratio is of the two medians. The source side runs with a warm bytecode cache of
its own (PYTHONPYCACHEPREFIX in a temporary folder, PYTHONDONTWRITEBYTECODE
unset for it), as it would after its first run: a developer's
PYTHONDONTWRITEBYTECODE=1 would otherwise make it compile core/ on every run
and look slower than it is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - t


def interleaved(cmds: list[tuple[list[str], dict[str, str]]], runs: int, warmup: int = 3) -> list[float]:
    """Median wall time of each command, the commands taking turns run after run."""
    for _ in range(warmup):  # the file cache, and the source side's bytecode cache
        for cmd, env in cmds:
            _run(cmd, env)
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for (cmd, env), out in zip(cmds, times):
            out.append(_run(cmd, env))
    return [statistics.median(t) for t in times]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "Taizhang")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    exe = args.bundle / ("taizhang-cli.exe" if sys.platform.startswith("win") else "taizhang-cli")
    source = [sys.executable, str(ROOT / "taizhang_cli.py"), "--version"]
    bundle = [str(exe), "--version"]
    with tempfile.TemporaryDirectory() as cache:
        source_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        source_env["PYTHONPYCACHEPREFIX"] = cache
        t_source, t_bundle = interleaved([(source, source_env), (bundle, dict(os.environ))], args.runs)
    print(f"median of {args.runs} (taking turns; source with a warm bytecode cache)")
    print(f"  from source  {' '.join(source[1:])}: {t_source * 1000:6.1f} ms   1.00×")
    print(f"  from bundle  {exe}: {t_bundle * 1000:6.1f} ms   {t_bundle / t_source:.2f}×  (goal ≤ 1.3×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
