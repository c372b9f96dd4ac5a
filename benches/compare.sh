#!/usr/bin/env bash
# Times rngcheck beside xmllint --relaxng and jing (whichever are installed),
# in one run, and prints ratios:
#   1. libvirt's 2263 domain documents against domain.rng;
#   2. the whole libvirt corpus (every manifest line: 2963 documents, each
#      against its own schema; one run per schema, times added up).
# rngcheck runs multi-threaded (its default) and, when the binary has
# `--jobs`, also with `--jobs 1`.
# Machines here are shared and noisy: each run is repeated (BENCH_RUNS, 5 by
# default), the tools taking turns within each round so that load from
# elsewhere falls on all of them alike; the best time of each is kept, and
# only ratios are meant to be compared. Never asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
require_files "$L/manifest.tsv"
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

# corpus_times FILTER TOOL...: for each TOOL (one line each, in order), its
# best time over BENCH_RUNS rounds, run once per schema over that schema's
# documents (FILTER: a schema path, or "" for all), times added up. Each
# schema's commands are started by benches/timeit.py directly, not through a
# shell, taking turns within each round.
corpus_times() {
  local filter=$1 list totals t i
  shift
  list=$(mktemp)
  totals=()
  for _ in "$@"; do totals+=(0); done
  mapfile -t SCHEMAS < <(awk -F'\t' -v f="$filter" 'f == "" || $1 == f { print $1 }' "$L/manifest.tsv" | sort -u)
  for s in "${SCHEMAS[@]}"; do
    awk -F'\t' -v L="$L" -v s="$s" '$1 == s { print L "/" $2 }' "$L/manifest.tsv" > "$list"
    local args=()
    for tool in "$@"; do
      # shellcheck disable=SC2207 # the command's words are meant to split
      args+=(-- $(tool_command "$tool" "$L/$s"))
    done
    mapfile -t t < <(python3 benches/timeit.py "${BENCH_RUNS:-5}" "$list" "${args[@]}")
    for i in "${!t[@]}"; do
      totals[i]=$(echo "${totals[i]} + ${t[i]}" | bc -l)
    done
  done
  rm -f "$list"
  printf '%s\n' "${totals[@]}"
}

TOOLS=(rngcheck)
$HAS_JOBS && TOOLS+=(rngcheck-j1)
$HAS_XMLLINT && TOOLS+=(xmllint)
$HAS_JING && TOOLS+=(jing)

report() {
  local title=$1 filter=$2
  echo "== $title"
  declare -A T
  local times i
  mapfile -t times < <(corpus_times "$filter" "${TOOLS[@]}")
  for i in "${!TOOLS[@]}"; do
    T[${TOOLS[i]}]=${times[i]}
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
