# Proxima build. GNU make + pkg-config; gcc or clang (CC=clang).
#   make            release binary: build/proxima
#   make run        install what is missing, build, init + demo, serve on 127.0.0.1:8080
#   make test       install what is missing, build under ASan+UBSan, run every test
#   make lint       clang-format check, cppcheck, format-string check
#   make bench      benchmarks (not part of the tests), see docs/performance.md
#   make valgrind   unit and test-http suites under valgrind (release build)
#   make po         refresh po/proxima.pot and merge it into po/*.po

MODE ?= release
CC ?= cc
PKGS := libmicrohttpd sqlite3 libsodium jansson
TEST_PKGS := cmocka libcurl

ifeq ($(MODE),asan)
BUILD := build/asan
MODE_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
MODE_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(MODE),debug)
BUILD := build/debug
MODE_CFLAGS := -O0 -g
MODE_LDFLAGS :=
else
BUILD := build
MODE_CFLAGS := -O2 -g
MODE_LDFLAGS :=
endif

GEN := $(BUILD)/gen
WARN := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wvla -Wno-format-zero-length
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(WARN) $(MODE_CFLAGS) -Isrc -MMD -MP \
             $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS)) -lpthread -lm $(LDLIBS)

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
GEN_OBJ := $(GEN)/assets.o $(GEN)/migrations.o $(GEN)/catalogs.o
ASSETS := $(sort $(wildcard assets/*))
MIGRATIONS := $(sort $(wildcard db/migrations/*.sql))
PO := $(sort $(wildcard po/*.po))
MO := $(PO:po/%.po=$(GEN)/mo/%.mo)

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E_SRC := $(sort $(wildcard tests/http/e2e_*.c))
E2E_BIN := $(E2E_SRC:tests/http/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))

.PHONY: all run test check lint bench valgrind po clean deps tests
.DEFAULT_GOAL := all

all: $(BUILD)/proxima

$(BUILD)/proxima: $(BUILD)/obj/src/main.o $(BUILD)/libproxima.a
	$(CC) $(MODE_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libproxima.a: $(LIB_OBJ) $(GEN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# Build tools run on this machine, never sanitised.
build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

build/tools/fmtcheck: tools/fmtcheck.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

$(GEN)/assets.c: build/tools/embed $(ASSETS)
	@mkdir -p $(dir $@)
	build/tools/embed embedded_assets $@ $(ASSETS)

$(GEN)/migrations.c: build/tools/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	build/tools/embed embedded_migrations $@ $(MIGRATIONS)

$(GEN)/mo/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(GEN)/catalogs.c: build/tools/embed $(MO)
	@mkdir -p $(dir $@)
	build/tools/embed embedded_catalogs $@ $(MO)

$(GEN)/%.o: $(GEN)/%.c
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -c -o $@ $<

# Tests link the library; e2e tests also get the path of the binary.
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS)) -Itests
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS))

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TEST_SUPPORT) $(BUILD)/libproxima.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -Wno-missing-prototypes $(MODE_LDFLAGS) -o $@ \
		$< $(TEST_SUPPORT) $(BUILD)/libproxima.a $(TEST_LIBS) $(LDLIBS_ALL)

$(BUILD)/tests/e2e_%: tests/http/e2e_%.c $(TEST_SUPPORT) $(BUILD)/libproxima.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -Wno-missing-prototypes $(MODE_LDFLAGS) -o $@ \
		$< $(TEST_SUPPORT) $(BUILD)/libproxima.a $(TEST_LIBS) $(LDLIBS_ALL)

tests: $(BUILD)/proxima $(UNIT_BIN) $(E2E_BIN)

deps:
	@scripts/deps.sh build

# The README's test command.
test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory MODE=asan check

check: tests
	@tests/run.sh $(BUILD)

# The README's run command.
run:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/run.sh build/proxima

lint: build/tools/fmtcheck
	@scripts/lint.sh

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh build/proxima

valgrind:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory MODE=debug tests
	@VALGRIND=1 BROWSER=0 tests/run.sh build/debug

po:
	xgettext --from-code=UTF-8 --language=C --keyword=TR:2 --keyword=N_ \
		--keyword=i18n_tr:2 --keyword=i18n_trn:2,3 --add-comments=TRANSLATORS \
		--package-name=proxima --msgid-bugs-address=none \
		-o po/proxima.pot $(SRC)
	for p in $(PO); do msgmerge --quiet --update --backup=none $$p po/proxima.pot; done

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
