# kafka-emit — the README's first two commands are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BIN_DEBUG = .build/debug
# Our own code builds without a single warning (dependencies keep theirs: SwiftPM silences them).
STRICT = -Xswiftc -warnings-as-errors
BIN_RELEASE = .build/release
PREFIX ?= /usr/local

.PHONY: all deps build release demo docs test unit smoke matrix smoke-release bench clean man completions install install-files uninstall fuzz fuzz-build sanitize

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build $(STRICT)

## Release link: lld lays out the functions typical runs execute (scripts/hot-symbols.txt, made
## by scripts/hot-symbols.sh) next to each other and, with glibc >= 2.36, packs the relative
## relocations (DT_RELR): a run maps ~1.8 MB fewer pages of kafka-emit's own binary.
RELEASE_LINK = -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
  -Xlinker --symbol-ordering-file=$(CURDIR)/scripts/hot-symbols.txt -Xlinker --no-warn-symbol-ordering
RELR := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ split($$2, v, "."); if (v[1] > 2 || (v[1] == 2 && v[2] >= 36)) print "yes" }')
ifeq ($(RELR),yes)
RELEASE_LINK += -Xlinker -z -Xlinker pack-relative-relocs
endif
release: deps
	@# SwiftPM rebuilds nothing when only flags or the order file change: start over then.
	@stamp='$(RELEASE_LINK) '"$$(cksum < scripts/hot-symbols.txt)"; \
	if [ "$$(cat .build/release-flags 2>/dev/null)" != "$$stamp" ]; then \
	  rm -rf .build/$$(uname -m)-unknown-linux-gnu/release; mkdir -p .build; echo "$$stamp" > .build/release-flags; fi
	$(SWIFT) build -c release --static-swift-stdlib $(RELEASE_LINK)

## The seed scenario against the embedded mock cluster: 100 records, one every 100 ms.
demo: build
	$(BIN_DEBUG)/kafka-emit --mock --topic order-events --every 100ms --count 100 --value 'order-{i}'

## Every test: unit, in-process mock cluster, CLI, then the smoke tests and examples in each
## cell of the compatibility matrix (system librdkafka × mock cluster, librdkafka 2.16 × mock
## cluster, librdkafka 2.16 × Tansu: tests/matrix.sh), then a few seconds of fuzzing per parser.
test: deps
	$(SWIFT) build $(STRICT)
	$(SWIFT) test $(STRICT)
	tests/matrix.sh $(BIN_DEBUG)
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

## The compatibility matrix alone (the smoke tests in its three cells).
matrix: build
	tests/matrix.sh $(BIN_DEBUG)

## Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of every parser of outside input,
## FUZZ_SECONDS per target, from the seeds in fuzz/corpus; new inputs go to .build-fuzz/corpus.
## A crash leaves its input in .build-fuzz/crash-*: add it to fuzz/corpus/TARGET (the unit
## tests replay that corpus) and fix the parser.
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 4
FUZZ_TARGETS = templates durations escapes config envelope format timestamps topics avro avrotemplate jsonschema protobuf rateprofile argv
FUZZ_BIN = .build-fuzz/debug/kafka-emit-fuzz
fuzz-build: deps
	$(SWIFT) build -c debug --sanitize=fuzzer --sanitize=address --product kafka-emit-fuzz --scratch-path .build-fuzz \
	  -Xswiftc -use-ld=lld -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  KAFKA_EMIT_FUZZ_TARGET=$$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=64 \
	    $(FUZZ_BIN) .build-fuzz/corpus/$$t fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	      -max_len=65536 -timeout=10 -artifact_prefix=.build-fuzz/ -print_final_stats=1 2>&1 \
	    | grep -E '^(stat::number_of_executed_units|stat::new_units_added|==.*ERROR|SUMMARY)' | sed "s/^/  $$t: /"; \
	  test $${PIPESTATUS[0]} -eq 0 || { echo "fuzz: $$t FAILED, input in .build-fuzz/"; exit 1; }; \
	done

## The in-process tests under ThreadSanitizer and AddressSanitizer (separate build folders).
## TSan runs with tests/sanitize/thrd_shim.c preloaded: it maps glibc's C11 threads and locks,
## which librdkafka uses, onto the pthread calls TSan intercepts (else TSan cannot see them).
CLANG ?= $(dir $(SWIFT))clang
sanitize: build
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(CLANG) -shared -fPIC -O2 -o .build-tsan/libthrdshim.so tests/sanitize/thrd_shim.c -lpthread
	LD_PRELOAD=$(CURDIR)/.build-tsan/libthrdshim.so .build-tsan/debug/kafka-emitPackageTests.xctest --testing-library swift-testing $(SANITIZE_ARGS)
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan -Xswiftc -use-ld=lld
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitize/lsan.supp .build-asan/debug/kafka-emitPackageTests.xctest --testing-library swift-testing $(SANITIZE_ARGS)

unit: deps
	$(SWIFT) test $(STRICT)

smoke: build
	tests/smoke/run.sh $(BIN_DEBUG)

## The release build (what `make install` ships) through the smoke tests that exercise the most
## code paths: optimisation changes object lifetimes, and a crash at exit showed only there.
## run_ends (~40 s, mostly waiting) runs beside the others.
RELEASE_SMOKE = load stdin_roundtrip transactions signals hostile json_roundtrip resources
smoke-release: release
	@log=$$(mktemp); tests/smoke/run.sh $(BIN_RELEASE) run_ends > $$log 2>&1 & lane=$$!; \
	tests/smoke/run.sh $(BIN_RELEASE) $(RELEASE_SMOKE); rc=$$?; \
	wait $$lane || rc=1; cat $$log; rm -f $$log; exit $$rc

bench: deps release
	scripts/ensure-deps.sh gnuplot
	bench/run.sh $(BIN_RELEASE)
	bench/profile.sh $(BIN_RELEASE) bench/results
	bench/sender.sh $(BIN_RELEASE)
	bench/schema.sh $(BIN_RELEASE)

## The library's documentation (DocC, every public symbol) in .build/docs; warnings fail it.
docs: deps
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target KafkaEmit \
	  --warnings-as-errors --output-path .build/docs --transform-for-static-hosting

SHARE = .build/share
## Man page from the option table (kafka-emit --generate-manual writes mdoc).
man: build
	mkdir -p $(SHARE)/man/man1
	$(BIN_DEBUG)/kafka-emit --generate-manual > $(SHARE)/man/man1/kafka-emit.1

completions: build
	mkdir -p $(SHARE)/completions
	$(BIN_DEBUG)/kafka-emit --generate-completion-script bash > $(SHARE)/completions/kafka-emit.bash
	$(BIN_DEBUG)/kafka-emit --generate-completion-script zsh > $(SHARE)/completions/_kafka-emit
	$(BIN_DEBUG)/kafka-emit --generate-completion-script fish > $(SHARE)/completions/kafka-emit.fish

## make install PREFIX=/usr/local: binary, man page and shell completions.
install: release man completions
	$(MAKE) install-files BIN_DIR=$(BIN_RELEASE)

BIN_DIR ?= $(BIN_RELEASE)
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN_DIR)/kafka-emit $(DESTDIR)$(PREFIX)/bin/kafka-emit
	install -m 644 $(SHARE)/man/man1/kafka-emit.1 $(DESTDIR)$(PREFIX)/share/man/man1/kafka-emit.1
	install -m 644 $(SHARE)/completions/kafka-emit.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kafka-emit
	install -m 644 $(SHARE)/completions/_kafka-emit $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_kafka-emit
	install -m 644 $(SHARE)/completions/kafka-emit.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/kafka-emit.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kafka-emit $(DESTDIR)$(PREFIX)/share/man/man1/kafka-emit.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kafka-emit \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_kafka-emit \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/kafka-emit.fish

clean:
	rm -rf .build .build-fuzz .build-tsan .build-asan
