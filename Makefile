# kafka-emit — the README's first two commands are `make demo` and `make test`.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BIN_DEBUG = .build/debug
# Our own code builds without a single warning (dependencies keep theirs: SwiftPM silences them).
STRICT = -Xswiftc -warnings-as-errors
BIN_RELEASE = .build/release
PREFIX ?= /usr/local

.PHONY: all deps build release demo test unit smoke bench clean man completions install install-files uninstall

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build $(STRICT)

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## The seed scenario against the embedded mock cluster: 100 records, one every 100 ms.
demo: build
	$(BIN_DEBUG)/kafka-emit --mock --topic order-events --every 100ms --count 100 --value 'order-{i}'

## Every test: unit, in-process mock cluster, CLI, smoke with kcat, examples.
test: deps
	$(SWIFT) build $(STRICT)
	$(SWIFT) test $(STRICT)
	tests/smoke/run.sh $(BIN_DEBUG)

unit: deps
	$(SWIFT) test $(STRICT)

smoke: build
	tests/smoke/run.sh $(BIN_DEBUG)

bench: deps release
	scripts/ensure-deps.sh gnuplot
	bench/run.sh $(BIN_RELEASE)

SHARE = .build/share
## Man page from the command definition (swift-argument-parser's generate-manual plugin).
man: build
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --configuration debug --authors "kafka-emit developers" >/dev/null
	mkdir -p $(SHARE)/man/man1
	sed -e 's/^$$/.Pp/' -e '/^\.Ar subcommand$$/d' -e '/^\.It Em help$$/,/^\.El$$/d' \
	  .build/plugins/GenerateManual/outputs/kafka-emit/kafka-emit.1 > $(SHARE)/man/man1/kafka-emit.1

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
	rm -rf .build
