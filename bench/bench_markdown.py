"""Markdown rendering: the worst time per adversarial shape at 20,000 characters, and its growth.

Usage:
  PYTHONPATH=. .venv/bin/python bench/bench_markdown.py [--length 20000] [--random 200]
                                                         [--repeat 3] [--seed 1]

For each shape of the property test (commonweal/core/tests/test_security_markdown.py):
hand-written worst cases (a token repeated to the length) and `--random` runs of its tokens
drawn with a fixed seed, repeated to the length. Each text is rendered `--repeat` times by
`commonweal.core.markdown.render` (cmark-gfm, depth and table-width bounds, nh3) and its
median CPU time kept (the machine is shared; wall time is shown beside it); the table
gives the slowest text of each shape, its time at a quarter and a
half of the length (near-linear doubles each step) and its output size. It exits non-zero
when an output carries `<script` or nests deeper than MAX_DEPTH, never because it was slow.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")

from commonweal.core.markdown import MAX_DEPTH, render
from commonweal.core.tests.test_security_markdown import SHAPES, shape_of

WORST = {
    "nesting": [">", "> ", "- ", "1. ", "> - ", "- > ", "* + ", "- a\n  "],
    "brackets": ["[", "![", "[a](", "](", "[a]", "[]("],
    "emphasis": ["*", "*a", "**a", "_a", "~~a", "*a **b ", "_*"],
    "links": ["[a](", "www.a ", "http://", "<http://a", "a@b.c "],
    "lists": ["- ", "-\n", "1. ", "- a\n", "10) "],
    "quotes": [">", ">\n", "> a\n>\n", ">\n\n"],
    "code": ["`", "`a", "``a`", "```\n", "    a\n"],
    "tables": ["|", "|a", "|-", "a\n", "|a|\n|-|\n", "|a" * 8 + "|\n" + "|-" * 8 + "|\n" + "a\n"],
    "html": ["<", "&", "<a", "<script>", "<img src=x onerror=alert(1)>"],
}


def repeated(run: str, length: int) -> str:
    return (run * (length // len(run) + 1))[:length]


def timed(text: str, repeat: int) -> tuple[float, float, str]:
    """Median CPU seconds of this process (the machine is shared) and wall seconds."""
    cpu, wall, html = [], [], ""
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        html = render(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu), statistics.median(wall), html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=20_000)
    parser.add_argument("--random", type=int, default=200, help="random runs per shape")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    wrong = False
    print(
        f"{'shape':<10} {'slowest text (its run)':<34} {'1/4 cpu ms':>10} {'1/2 cpu ms':>10} "
        f"{'cpu ms':>7} {'wall ms':>7} {'out KB':>7}"
    )
    for shape, tokens in SHAPES.items():
        runs = list(WORST.get(shape, []))
        runs += ["".join(rng.choices(tokens, k=rng.randint(1, 60))) for _ in range(args.random)]
        worst = (0.0, 0.0, "", "")
        for run in runs:
            cpu, wall, html = timed(repeated(run, args.length), args.repeat)
            drawn = shape_of(html)
            if "<script" in html.lower() or drawn.deepest > MAX_DEPTH or drawn.problems:
                print(f"WRONG: {shape} {run!r}: {drawn.problems[:3]} depth {drawn.deepest}")
                wrong = True
            worst = max(worst, (cpu, wall, run, html))
        cpu, wall, run, html = worst
        quarter, _, _ = timed(repeated(run, args.length // 4), args.repeat)
        half, _, _ = timed(repeated(run, args.length // 2), args.repeat)
        print(
            f"{shape:<10} {run[:32]!r:<34} {quarter * 1000:10.1f} {half * 1000:10.1f} "
            f"{cpu * 1000:7.1f} {wall * 1000:7.1f} {len(html) / 1000:7.1f}"
        )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
