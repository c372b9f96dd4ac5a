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

# tool_command TOOL SCHEMA: the command line that validates against SCHEMA
# (the documents are appended by timeit.py).
tool_command() {
  case $1 in
    rngcheck) echo "$BIN" "$2" ;;
    rngcheck-j1) echo "$BIN" --jobs 1 "$2" ;;
    xmllint) echo xmllint --noout --relaxng "$2" ;;
    jing) echo java -jar /usr/share/java/jing.jar "$2" ;;
  esac
}

# corpus_time TOOL FILTER: best of 3 runs of TOOL, once per schema over its
# documents (FILTER: a schema path, or "" for all), times added up. Each run
# is started by benches/timeit.py directly, not through a shell.
corpus_time() {
  local tool=$1 filter=$2 total=0 list
  list=$(mktemp)
  mapfile -t SCHEMAS < <(awk -F'\t' -v f="$filter" 'f == "" || $1 == f { print $1 }' "$L/manifest.tsv" | sort -u)
  for s in "${SCHEMAS[@]}"; do
    awk -F'\t' -v L="$L" -v s="$s" '$1 == s { print L "/" $2 }' "$L/manifest.tsv" > "$list"
    local t
    # shellcheck disable=SC2046 # the command's words are meant to split
    t=$(python3 benches/timeit.py 3 "$list" -- $(tool_command "$tool" "$L/$s"))
    total=$(echo "$total + $t" | bc -l)
  done
  rm -f "$list"
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
