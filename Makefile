# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
# cmark-gfm renders markdown; Node.js runs KaTeX (formulas) and highlight.js (code) at build time.
SYSTEM_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev nodejs libjs-katex node-highlight.js

.PHONY: site test deps check clean

## site: install what is missing, build lossbook in release mode, write site/
site: deps
	$(SWIFT) build -c release --product lossbook
	.build/release/lossbook build --verbose

## test: install what is missing, run every test, then fuzz each entry point briefly (scripts/fuzz-all.sh) (all tests are XCTest; the Swift Testing runner would
## only add an empty "0 tests" summary after them)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	scripts/fuzz-all.sh

## check: everything a build does except writing
check: deps
	$(SWIFT) build -c release --product lossbook
	.build/release/lossbook check

deps:
	@scripts/install-deps.sh $(SYSTEM_PACKAGES)

clean:
	rm -rf .build .build-fuzz site .cache
