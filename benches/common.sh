# Sourced by the bench scripts: where the data and the binary are, and the
# one rule for missing data (say SKIPPED; under CI=true that is a failure,
# as for the conformance runners).
L=${LIBVIRT:-../shared/libvirt-9.0.0}
BIN=${RNGCHECK:-target/release/rngcheck}

# require_files FILE...: skip the whole bench unless every FILE exists.
require_files() {
  local f
  for f in "$@"; do
    if [ ! -f "$f" ]; then
      echo "SKIPPED: $f not found"
      [ "${CI:-}" = true ] && exit 1
      exit 0
    fi
  done
}
