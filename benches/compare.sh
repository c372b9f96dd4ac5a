#!/usr/bin/env bash
# Times rngcheck beside xmllint --relaxng and jing (whichever are installed)
# on libvirt's 2263 domain documents, in one run, and prints ratios.
# Machines here are shared and noisy: each tool runs 3 times, best time kept,
# and only ratios are meant to be compared.
set -euo pipefail
cd "$(dirname "$0")/.."
L=${LIBVIRT:-../shared/libvirt-9.0.0}
BIN=${RNGCHECK:-target/release/rngcheck}
if [ ! -f "$L/manifest.tsv" ]; then
  echo "SKIPPED: $L/manifest.tsv not found"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
mapfile -t DOCS < <(awk -F'\t' -v L="$L" 'NR > 1 && $1 == "src/conf/schemas/domain.rng" { print L "/" $2 }' "$L/manifest.tsv")
SCHEMA="$L/src/conf/schemas/domain.rng"
echo "corpus: ${#DOCS[@]} domain documents against $SCHEMA"

best_of_3() {
  local best=""
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

declare -A TIMES
TIMES[rngcheck]=$(best_of_3 "$BIN" "$SCHEMA" "${DOCS[@]}")
if command -v xmllint >/dev/null; then
  TIMES[xmllint]=$(best_of_3 xmllint --noout --relaxng "$SCHEMA" "${DOCS[@]}")
fi
if [ -f /usr/share/java/jing.jar ] && command -v java >/dev/null; then
  TIMES[jing]=$(best_of_3 java -jar /usr/share/java/jing.jar "$SCHEMA" "${DOCS[@]}")
fi
base=${TIMES[rngcheck]}
for tool in rngcheck xmllint jing; do
  [ -n "${TIMES[$tool]:-}" ] || { echo "$tool: not installed"; continue; }
  printf '%-9s %7.3fs  %6.2fx the time of rngcheck\n' "$tool" "${TIMES[$tool]}" "$(echo "${TIMES[$tool]} / $base" | bc -l)"
done
