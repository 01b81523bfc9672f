# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
# cmark-gfm renders markdown; Node.js runs KaTeX (formulas) and highlight.js (code) at build time;
# Graphviz's dot draws the family tree of the losses (`loss-family`).
SYSTEM_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev nodejs libjs-katex node-highlight.js graphviz
# The browser tests drive Debian's chromium (Playwright never downloads a browser).
TEST_PACKAGES := chromium

.PHONY: site test browser-site-test fuzz-build browser-test fuzz deps check clean

## site: install what is missing, build lossbook in release mode (scripts/build-release.sh: its flags), write site/
site: deps
	SWIFT=$(SWIFT) scripts/build-release.sh
	.build/release/lossbook build --verbose

## test: install what is missing, run every test (all XCTest, in 2 shards at once: scripts/test-shards.py,
## which fails unless every listed test ran exactly once; the Swift Testing runner would only add an
## empty "0 tests" summary after them); then, side by side, the repository's site, built by the debug
## binary the tests just built (no second, release build) into .build/browser-site, in chromium (phone
## layout, search, plots, links, no-JS reading), and the fuzz driver's sanitized build into .build-fuzz
## (niced: the browser tests come first); then each fuzz target for FUZZ_SECONDS (default 20), two at
## a time, with libFuzzer (scripts/fuzz-all.sh; fails on any crash).
test: deps
	@scripts/install-deps.sh $(TEST_PACKAGES)
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/test-shards.py
	$(MAKE) --no-print-directory -j2 --output-sync=target browser-site-test fuzz-build
	scripts/fuzz-all.sh --no-build

# The two halves of `make test` that run side by side.
browser-site-test:
	.build/debug/lossbook build --output .build/browser-site --cache-dir .build/browser-cache
	LOSSBOOK_SITE_DIR=.build/browser-site scripts/browser-tests.sh
fuzz-build:
	SWIFT=$(SWIFT) nice -n 5 scripts/fuzz.sh --build

## browser-test: the built site in chromium (phone layout, search, plots' names, links, no-JS reading);
## builds site/ first when it is missing. Needs Debian's chromium; Playwright never downloads one.
browser-test:
	scripts/browser-tests.sh

## fuzz: each libFuzzer target for FUZZ_SECONDS (default 20; `make test` runs this too);
## one target for longer: scripts/fuzz.sh markdown 600
fuzz:
	scripts/fuzz-all.sh

## check: everything a build does except writing
check: deps
	SWIFT=$(SWIFT) scripts/build-release.sh
	.build/release/lossbook check

deps:
	@scripts/install-deps.sh $(SYSTEM_PACKAGES)

clean:
	rm -rf .build .build-fuzz site .cache
