# rngcheck developer targets. `make test` is the fast gate (format, lints,
# unit and integration tests); `make conformance` runs the data-driven
# suites over ../shared in release mode and prints their scoreboards.

CARGO ?= cargo

.PHONY: build test conformance clean

build:
	$(CARGO) build --release

# Unit tests, the binary's tests, tests/tests.rs and doc tests; not the
# conformance runners (they need ../shared and a release build).
test:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --lib --bins --test tests
	$(CARGO) test --doc

# Every data-driven runner that exists; all of them run even when one fails,
# so every scoreboard is printed, and the target fails if any failed.
conformance:
	@status=0; \
	$(CARGO) test --release --test conformance || status=1; \
	if [ -f tests/xsd_conformance.rs ]; then \
		$(CARGO) test --release --test xsd_conformance || status=1; \
	fi; \
	exit $$status

clean:
	$(CARGO) clean
