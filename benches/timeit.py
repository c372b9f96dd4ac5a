#!/usr/bin/env python3
"""Best wall-clock time of each of several commands, in seconds.

    timeit.py RUNS DOCLIST -- COMMAND... [-- COMMAND...]...

Runs each COMMAND followed by every path listed in DOCLIST (one per line),
RUNS rounds, the commands taking turns within each round (so that a burst of
load from elsewhere on a shared machine falls on all of them alike), and
prints the best time of each command, one per line, in the order given.
Commands are started directly, not through a shell, so that a shell parsing
thousands of arguments is not counted against the tool being timed. Output
is discarded; exit statuses are ignored (invalid documents are part of the
corpus).
"""
import subprocess
import sys
import time


def commands(argv: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for arg in argv:
        if arg == "--":
            groups.append([])
        elif groups:
            groups[-1].append(arg)
    return [g for g in groups if g]


def main() -> None:
    runs = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        docs = [line.rstrip("\n") for line in f if line.strip()]
    cmds = commands(sys.argv[3:])
    best = [float("inf")] * len(cmds)
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            subprocess.run(cmd + docs, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            best[i] = min(best[i], time.perf_counter() - start)
    for t in best:
        print(f"{t:.6f}")


if __name__ == "__main__":
    main()
