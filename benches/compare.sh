#!/usr/bin/env bash
# Times rngcheck beside xmllint --relaxng and jing (whichever are installed),
# in one run, and prints ratios:
#   1. libvirt's 2263 domain documents against domain.rng;
#   2. the whole libvirt corpus (every manifest line: 2963 documents, each
#      against its own schema; one run per schema, times added up).
# rngcheck runs multi-threaded (its default) and, when the binary has
# `--jobs`, also with `--jobs 1`.
# Machines here are shared and noisy: each run is repeated 3 times, the best
# time kept, and only ratios are meant to be compared. Never asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
L=${LIBVIRT:-../shared/libvirt-9.0.0}
BIN=${RNGCHECK:-target/release/rngcheck}
if [ ! -f "$L/manifest.tsv" ]; then
  echo "SKIPPED: $L/manifest.tsv not found"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
HAS_JOBS=false
"$BIN" --help 2>/dev/null | grep -q -- '--jobs' && HAS_JOBS=true
HAS_JING=false
[ -f /usr/share/java/jing.jar ] && command -v java >/dev/null && HAS_JING=true
HAS_XMLLINT=false
command -v xmllint >/dev/null && HAS_XMLLINT=true

now() { date +%s.%N; }

# best_of_3 CMD...: the best wall-clock time of three runs.
best_of_3() {
  local best=""
  for _ in 1 2 3; do
    local start end t
    start=$(now)
    "$@" >/dev/null 2>&1 || true
    end=$(now)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

# run_groups TOOL FILTER: best-of-3 of running TOOL once per schema over its
# documents (FILTER: a schema path, or "" for all), times added up.
run_tool() {
  local tool=$1 schema=$2
  shift 2
  case $tool in
    rngcheck) "$BIN" "$schema" "$@" ;;
    rngcheck-j1) "$BIN" --jobs 1 "$schema" "$@" ;;
    xmllint) xmllint --noout --relaxng "$schema" "$@" ;;
    jing) java -jar /usr/share/java/jing.jar "$schema" "$@" ;;
  esac
}
export -f run_tool
export BIN

corpus_time() {
  local tool=$1 filter=$2 total=0
  mapfile -t SCHEMAS < <(awk -F'\t' -v f="$filter" 'f == "" || $1 == f { print $1 }' "$L/manifest.tsv" | sort -u)
  for s in "${SCHEMAS[@]}"; do
    mapfile -t DOCS < <(awk -F'\t' -v L="$L" -v s="$s" '$1 == s { print L "/" $2 }' "$L/manifest.tsv")
    local t
    t=$(best_of_3 bash -c 'run_tool "$@"' _ "$tool" "$L/$s" "${DOCS[@]}")
    total=$(echo "$total + $t" | bc -l)
  done
  echo "$total"
}

TOOLS=(rngcheck)
$HAS_JOBS && TOOLS+=(rngcheck-j1)
$HAS_XMLLINT && TOOLS+=(xmllint)
$HAS_JING && TOOLS+=(jing)

report() {
  local title=$1 filter=$2
  echo "== $title"
  declare -A T
  for tool in "${TOOLS[@]}"; do
    T[$tool]=$(corpus_time "$tool" "$filter")
  done
  local base=${T[rngcheck]}
  for tool in "${TOOLS[@]}"; do
    printf '  %-12s %7.3fs  %6.2fx the time of rngcheck\n' "$tool" "${T[$tool]}" "$(echo "${T[$tool]} / $base" | bc -l)"
  done
  if [ -n "${T[rngcheck-j1]:-}" ]; then
    printf '  rngcheck multi-threaded is %.2fx faster than --jobs 1\n' "$(echo "${T[rngcheck-j1]} / $base" | bc -l)"
    [ -n "${T[xmllint]:-}" ] && printf '  single-threaded: xmllint takes %.2fx the time of rngcheck --jobs 1\n' "$(echo "${T[xmllint]} / ${T[rngcheck-j1]}" | bc -l)"
  fi
  return 0
}

$HAS_JOBS || echo "note: $BIN has no --jobs; only its default run is timed"
$HAS_XMLLINT || echo "xmllint: not installed"
$HAS_JING || echo "jing: not installed"
N=$(awk -F'\t' '$1 == "src/conf/schemas/domain.rng"' "$L/manifest.tsv" | wc -l)
report "$N domain documents against domain.rng" "src/conf/schemas/domain.rng"
N=$(wc -l < "$L/manifest.tsv")
report "whole libvirt corpus: $N documents, one run per schema" ""
