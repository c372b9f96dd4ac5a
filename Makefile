# rngcheck developer targets. `make test` is the fast gate (format, lints,
# unit and integration tests); `make conformance` runs the data-driven
# suites over ../shared in release mode and prints their scoreboards.

CARGO ?= cargo

.PHONY: build test conformance differential bench mutants clean install msrv

PREFIX ?= /usr/local
BIN ?= target/release/rngcheck

build:
	$(CARGO) build --release

# Unit tests, the binary's tests, tests/tests.rs and doc tests; not the
# conformance runners (they need ../shared and a release build). Lints
# cover the `internals` targets too; the library alone (no `cli` feature)
# must build and pass its doctests; rustdoc must not warn.
test:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets --features internals -- -D warnings
	$(CARGO) clippy --lib -- -D warnings
	$(CARGO) check --lib --no-default-features
	$(CARGO) test --doc --no-default-features
	$(CARGO) test --lib --bins --test tests
	$(CARGO) test --doc
	RUSTDOCFLAGS=-Dwarnings $(CARGO) doc --no-deps --lib

# Every data-driven runner that exists; all of them run even when one fails,
# so every scoreboard is printed, and the target fails if any failed. All
# with the `internals` feature (two runners need it), so the release build
# is made once.
conformance:
	@status=0; \
	$(CARGO) test --release --features internals --test conformance || status=1; \
	$(CARGO) test --release --features internals --test xsd_conformance || status=1; \
	$(CARGO) test --release --features internals --test compact_conformance || status=1; \
	$(CARGO) test --release --features internals --test workflows || status=1; \
	exit $$status

# rngcheck's verdicts against jing's over seeded mutants of documents,
# schemas and datatype values (not part of `make test`: it needs jing, which
# it installs with apt-get if missing, and Debian packages it downloads into
# a cache). DIFFERENTIAL_ARGS, e.g. `--count 20000 --seed 7`.
DIFFERENTIAL_ARGS ?=
differential:
	$(CARGO) run --quiet --features internals --example differential -- $(DIFFERENTIAL_ARGS)

# Mutation testing of the core (docs/mutants.md); not part of CI. Needs
# `cargo install cargo-mutants --locked`. `--cargo-arg=--lib` builds and runs
# only the unit tests (`-- --lib` would still build every test target).
MUTANTS_FILES ?= -f src/derive.rs -f 'src/pattern/*.rs' -f 'src/simplify/*.rs' -f 'src/validate/*.rs'
MUTANTS_ARGS ?=
mutants:
	$(CARGO) mutants $(MUTANTS_FILES) --cargo-arg=--lib --timeout 20 $(MUTANTS_ARGS)

# Benchmarks; each prints times and ratios, none asserts a timing
# (BENCH_HUGE=1 adds the 1000 MB streaming case to the scaling run).
# rngcheck beside xmllint and jing (domain set and whole corpus); in-process
# corpus vs the roxmltree parse-only floor, and streaming agreement; schema
# compile and the (a|aa)*b regex; pathological schemas at growing N; scaling
# in document size with peak RSS; the cost of --coverage and --expected-errors.
bench: build
	bash benches/compare.sh
	$(CARGO) bench --bench corpus -- --mode all
	$(CARGO) bench --features internals --bench compile
	$(CARGO) bench --bench explode
	bash benches/scaling.sh
	bash benches/coverage.sh

# The binary, its man page and shell completions (bash, zsh, fish), under
# $(DESTDIR)$(PREFIX); builds the release binary first unless BIN names one.
install:
	test -x $(BIN) || $(MAKE) build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rngcheck
	$(BIN) --man > $(DESTDIR)$(PREFIX)/share/man/man1/rngcheck.1
	$(BIN) --completions bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rngcheck
	$(BIN) --completions zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rngcheck
	$(BIN) --completions fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/rngcheck.fish

# The library and binary build with the oldest supported toolchain (the
# `rust-version` in Cargo.toml), in a target directory of its own. A machine
# that cannot install that toolchain says so and skips, loudly: the check is
# about the toolchain, not about any document's verdict.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
msrv:
	@if rustup run $(MSRV) cargo --version >/dev/null 2>&1; then \
		echo "CARGO_TARGET_DIR=target/msrv cargo +$(MSRV) check --locked --lib --bins"; \
		CARGO_TARGET_DIR=target/msrv $(CARGO) +$(MSRV) check --locked --lib --bins; \
	else \
		echo "msrv: SKIPPED: toolchain $(MSRV) is not installed and could not be installed"; \
	fi

clean:
	$(CARGO) clean
