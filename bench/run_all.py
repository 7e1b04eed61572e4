"""Run every benchmark under bench/ (what `make bench` does), one subprocess each.

Usage: .venv/bin/python bench/run_all.py [name ...]    e.g. `run_all.py tally record`

Each `bench/bench_<name>.py` runs with its own defaults and prints its own figures; this
prints them as they come, then a summary, and fails if any benchmark failed.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    wanted = set(sys.argv[1:])
    scripts = sorted(BENCH.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    if not scripts:
        print(f"No benchmark matches {sorted(wanted)}", file=sys.stderr)
        return 2
    # The benchmarks import `commonweal` from this checkout, installed or not.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")])
        ),
    }
    results = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent, env=env).returncode
        results.append((script.name, code, time.monotonic() - started))
        print(flush=True)
    print("== Summary")
    for name, code, seconds in results:
        print(f"  {name:<28} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:7.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
