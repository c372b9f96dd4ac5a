#!/usr/bin/env bash
# Scaling in document size: generated domain-like documents of 1, 10 and
# 100 MB (and 1000 MB with BENCH_HUGE=1), validated against libvirt's
# domain.rng in tree mode (validate_text) and streaming mode
# (validate_reader): wall time, MB/s and peak RSS (/usr/bin/time -f %M).
# Documents are written to a temporary directory, deleted afterwards.
# Prints numbers and ratios only; never asserts a timing.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
SCHEMA="$L/src/conf/schemas/domain.rng"
TEMPLATE="$L/tests/qemuxml2argvdata/disk-backing-chains-noindex.xml"
require_files "$SCHEMA" "$TEMPLATE"
if [ ! -x /usr/bin/time ]; then
  echo "SKIPPED: /usr/bin/time not installed"
  exit 0
fi
cargo bench --bench stream --no-run >/dev/null 2>&1
BIN=$(cargo bench --bench stream --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*\/stream-[^"]*\)".*/\1/p' | tail -1)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

SIZES="1 10 100"
[ "${BENCH_HUGE:-}" = 1 ] && SIZES="$SIZES 1000"

# A domain document whose <devices> repeats the template's disks (paths
# made distinct per copy, so values are not all the same string) until it
# is about N MB.
generate() {
  python3 - "$TEMPLATE" "$1" "$2" <<'PY'
import sys
template, mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(template, encoding="utf-8").read()
start = text.index("<disk ")
end = text.rindex("</disk>") + len("</disk>")
head, unit, tail = text[:start], text[start:end], text[end:]
target = mb * 1_000_000
with open(out, "w", encoding="utf-8") as f:
    f.write(head)
    written, i = len(head), 0
    while written < target:
        chunk = unit.replace("/tmp/", "/tmp/%d/" % i)
        f.write(chunk)
        written += len(chunk)
        i += 1
    f.write(tail)
PY
}

printf '%-8s %-7s %9s %9s %10s\n' size mode seconds "MB/s" "peak RSS"
declare -A T
for mb in $SIZES; do
  doc="$TMP/domain-$mb.xml"
  generate "$mb" "$doc"
  modes="stream"
  [ "$mb" -le 100 ] && modes="tree stream"
  for mode in $modes; do
    /usr/bin/time -o "$TMP/time" -f '%e %M' "$BIN" "$SCHEMA" "$doc" "$mode" > "$TMP/out" || true
    read -r secs kb < <(tail -1 "$TMP/time")
    verdict=$(sed -n 's/^[a-z]*: [0-9.]* s, //p' "$TMP/out")
    T[$mode-$mb]=$secs
    printf '%-8s %-7s %9.2f %9.1f %8.1f MB  %s\n' "${mb}MB" "$mode" "$secs" \
      "$(echo "$mb / ($secs + 0.001)" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$verdict"
  done
  rm -f "$doc"
done
echo "linearity (time ratio for 10x the size; 10 = linear):"
prev=""
for mb in $SIZES; do
  if [ -n "$prev" ]; then
    printf '  stream %sMB/%sMB: %.1f\n' "$mb" "$prev" "$(echo "${T[stream-$mb]} / (${T[stream-$prev]} + 0.001)" | bc -l)"
  fi
  prev=$mb
done
