#!/usr/bin/env python3
"""Best wall-clock time of a command over several runs, in seconds.

    timeit.py RUNS DOCLIST -- COMMAND...

Runs COMMAND followed by every path listed in DOCLIST (one per line), RUNS
times, and prints the best time. The command is started directly, not
through a shell, so that a shell parsing thousands of arguments is not
counted against the tool being timed. Output is discarded; the exit status
is ignored (invalid documents are part of the corpus).
"""
import subprocess
import sys
import time


def main() -> None:
    runs = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        docs = [line.rstrip("\n") for line in f if line.strip()]
    sep = sys.argv.index("--")
    command = sys.argv[sep + 1 :] + docs
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    print(f"{best:.6f}")


if __name__ == "__main__":
    main()
