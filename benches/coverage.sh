#!/usr/bin/env bash
# What schema coverage and pinned expected errors (issue 20) cost: libvirt's
# whole table (examples/libvirt/rngcheck.toml over ../shared/libvirt-9.0.0,
# 2963 documents) plain, with --coverage (text summary, JSON and lcov
# files), with the pinned errors (the config's expected_errors, the blessed
# examples/libvirt file), and with both in one run. The plain and
# --coverage runs read a copy of the config without expected_errors. Best of BENCH_RUNS rounds (5 by default), the runs
# taking turns within each round; prints times and ratios to the plain run.
# Never asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
require_files "$L/manifest.tsv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: > "$out/no-documents"
grep -v '^expected_errors' examples/libvirt/rngcheck.toml > "$out/rngcheck.toml"
plain=("$BIN" --quiet --config "$out/rngcheck.toml" --root "$L")
pins=("$BIN" --quiet --config examples/libvirt/rngcheck.toml --root "$L")
coverage=(--coverage --coverage-json "$out/c.json" --coverage-lcov "$out/c.info")
mapfile -t t < <(python3 benches/timeit.py "${BENCH_RUNS:-5}" "$out/no-documents" \
  -- "${plain[@]}" \
  -- "${plain[@]}" "${coverage[@]}" \
  -- "${pins[@]}" \
  -- "${pins[@]}" "${coverage[@]}")
echo "issue 20 overhead, libvirt 9.0.0 whole table (best of ${BENCH_RUNS:-5}):"
names=("plain" "--coverage (+json, lcov)" "expected_errors" "both")
for i in "${!t[@]}"; do
  awk -v n="${names[$i]}" -v s="${t[$i]}" -v b="${t[0]}" \
    'BEGIN { printf "  %-28s %7.3f s  %5.2fx the plain run\n", n, s, s / b }'
done
