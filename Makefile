# enquire: a static site generator for school alliance knowledge bases.
#
#   make            install missing Debian packages, build ./enquire and
#                   render content-example/ (as committed) into _site/
#   make test       unit tests, the Mustache spec, end-to-end tests, browser
#                   tests (installs chromium, java and tests/browser's npm
#                   packages first when missing: make test-deps)
#   make asan       the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind   the tests under valgrind (memcheck)
#   make bench      the benchmark against Hugo (bench/run.sh)

PKGS      = libcmark-gfm yaml-0.1 libgit2 lua5.4 libxxhash zlib
TEST_PKGS = cmocka
DEB_DEPS  = build-essential pkg-config git libcmark-gfm-dev \
            libcmark-gfm-extensions-dev libyaml-dev libgit2-dev liblua5.4-dev \
            libcmocka-dev libstemmer-dev libunistring-dev libxxhash-dev zlib1g-dev
# Libraries without a pkg-config file: found by their headers.
NOPC_HEADERS = /usr/include/libstemmer.h /usr/include/unistr.h

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 \
           -Wundef -Wvla -Wold-style-definition -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             $(OPT) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -pthread
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lstemmer -lunistring -lm -pthread
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

LIB_SRC  = $(filter-out generator/main.c,$(wildcard generator/*.c))
LIB_OBJ  = $(LIB_SRC:generator/%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory site

# Installs the -dev packages when pkg-config cannot find them (apt-get as
# root, sudo otherwise).
deps:
	@if ! pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null || \
	    ! ls $(NOPC_HEADERS) >/dev/null 2>&1; then \
		echo "installing build dependencies: $(DEB_DEPS)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(DEB_DEPS); \
	fi

# The example site, from the committed content-example/.
site: enquire
	./enquire build content-example --out _site
	@echo "open _site/index.html, or serve it: python3 -m http.server -d _site"

enquire: $(BUILD)/enquire
	cp $(BUILD)/enquire $@

$(BUILD)/enquire: $(BUILD)/libenquire.a $(BUILD)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/main.o $(BUILD)/libenquire.a $(LIBS)

$(BUILD)/libenquire.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/%.o: generator/%.c generator/*.h | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libenquire.a | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(BUILD)/libenquire.a $(LIBS) $(TEST_LIBS)

$(BUILD)/.dir:
	mkdir -p $(BUILD)/tests
	touch $@

unit: $(UNIT_BIN)

# What the tests need beyond the build: for the browser tests, Debian's chromium and a Java runtime (for the
# Nu HTML Checker), node and npm, then tests/browser's locked npm packages;
# xmllint, which the feed tests validate with; python3 with yaml, which the
# claims tests recompute the plugin's figures with.
# Node.js only when npm is missing: a machine with NodeSource's nodejs (which
# bundles npm) cannot take Debian's npm package ("nodejs : Conflicts: npm").
TEST_DEBS = chromium default-jre-headless libxml2-utils python3 python3-yaml \
            $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v java >/dev/null || \
	    ! command -v npm >/dev/null || ! command -v xmllint >/dev/null || \
	    ! python3 -c 'import yaml' 2>/dev/null; then \
		echo "installing test dependencies: $(TEST_DEBS)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(TEST_DEBS); \
	fi
	@[ -d tests/browser/node_modules ] || \
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

test: $(BUILD)/enquire $(UNIT_BIN) test-deps
	ENQUIRE=$(CURDIR)/$(BUILD)/enquire sh tests/run.sh $(BUILD)

SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g $(SAN)" test

VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
valgrind: $(BUILD)/enquire $(UNIT_BIN) test-deps
	ENQUIRE=$(CURDIR)/$(BUILD)/enquire ENQUIRE_WRAP="$(VALGRIND)" \
	UNIT_WRAP="$(VALGRIND)" sh tests/run.sh $(BUILD)

bench: $(BUILD)/enquire
	sh bench/run.sh

clean:
	rm -rf build build-asan enquire _site

.PHONY: all deps site unit test-deps test asan valgrind bench clean
