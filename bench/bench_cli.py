#!/usr/bin/env python3
"""Benchmark (not a test): `taizhang-cli --version` from the bundle against the
same command from source, in one run (whole processes, median of N).

    python bench/bench_cli.py [--bundle dist/Taizhang] [--runs 20]

Uses hyperfine when it is installed, else a loop of subprocess runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def loop(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def hyperfine(cmds: list[list[str]], runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "h.json"
        subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out),
                        *[" ".join(c) for c in cmds]], capture_output=True, check=True)
        return [r["median"] for r in json.loads(out.read_text())["results"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "Taizhang")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    exe = args.bundle / ("taizhang-cli.exe" if sys.platform.startswith("win") else "taizhang-cli")
    source = [sys.executable, str(ROOT / "taizhang_cli.py"), "--version"]
    bundle = [str(exe), "--version"]
    if shutil.which("hyperfine") and " " not in "".join(source + bundle):
        how = "hyperfine"
        t_source, t_bundle = hyperfine([source, bundle], args.runs)
    else:
        how = "subprocess loop"
        t_source, t_bundle = loop(source, args.runs), loop(bundle, args.runs)
    print(f"median of {args.runs} ({how})")
    print(f"  from source  {' '.join(source[1:])}: {t_source * 1000:6.1f} ms   1.00×")
    print(f"  from bundle  {exe}: {t_bundle * 1000:6.1f} ms   {t_bundle / t_source:.2f}×  (goal ≤ 1.3×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
