# enquire: a static site generator for school alliance knowledge bases.
#
#   make            build ./enquire and render content-example/ into _site/
#   make test       unit tests, Mustache spec, end-to-end tests
#   make asan       the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind   the end-to-end build under valgrind
#   make deps       install the Debian packages a fresh machine lacks

PKGS      = libcmark-gfm yaml-0.1 libgit2 lua5.4
TEST_PKGS = cmocka
DEB_DEPS  = build-essential pkg-config git libcmark-gfm-dev \
            libcmark-gfm-extensions-dev libyaml-dev libgit2-dev liblua5.4-dev \
            libcmocka-dev

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 \
           -Wundef -Wvla -Wold-style-definition -Wno-unused-parameter
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             $(CFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -pthread
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lm -pthread
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

LIB_SRC  = $(filter-out generator/main.c,$(wildcard generator/*.c))
LIB_OBJ  = $(LIB_SRC:generator/%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: _site

enquire: $(BUILD)/libenquire.a $(BUILD)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/main.o $(BUILD)/libenquire.a $(LIBS)

$(BUILD)/libenquire.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/%.o: generator/%.c generator/*.h | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(BUILD)/libenquire.a | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(BUILD)/libenquire.a $(LIBS) $(TEST_LIBS)

$(BUILD)/.dir:
	mkdir -p $(BUILD)/tests
	touch $@

# The example site. Rebuilt whenever the binary or anything it reads changes;
# enquire itself reads the committed content, so commit before looking.
_site: enquire
	./enquire build content-example --out _site

unit: $(UNIT_BIN)

test: enquire $(UNIT_BIN)
	sh tests/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

valgrind: enquire
	sh tests/valgrind.sh

deps:
	sh tests/install-deps.sh

clean:
	rm -rf build build-asan enquire _site

.PHONY: all unit test asan valgrind deps clean _site
