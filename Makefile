# kafka-emit — the README's first two commands are `make demo` and `make test`.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BIN_DEBUG = .build/debug
BIN_RELEASE = .build/release
PREFIX ?= /usr/local

.PHONY: all deps build release demo test unit smoke bench clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## The seed scenario against the embedded mock cluster: 100 records, one every 100 ms.
demo: build
	$(BIN_DEBUG)/kafka-emit --mock --topic order-events --every 100ms --count 100 --value 'order-{i}'

## Every test: unit, in-process mock cluster, CLI, smoke with kcat, examples.
test: deps
	$(SWIFT) build
	$(SWIFT) test
	tests/smoke/run.sh $(BIN_DEBUG)

unit: deps
	$(SWIFT) test

smoke: build
	tests/smoke/run.sh $(BIN_DEBUG)

bench: deps release
	scripts/ensure-deps.sh gnuplot
	bench/run.sh $(BIN_RELEASE)

clean:
	rm -rf .build
