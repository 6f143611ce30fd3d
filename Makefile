# Proxima build. GNU make + pkg-config; gcc or clang (CC=clang).
#   make            release binary: build/proxima
#   make run        install what is missing, build, init + demo, serve on 127.0.0.1:8080
#   make test       install what is missing, build under ASan+UBSan, run every test
#   make lint       clang-format check, cppcheck, format-string check
#   make bench      benchmarks (not part of the tests), see docs/performance.md
#   make valgrind   unit, test-http and e2e suites under valgrind (debug build)
#   make po         refresh po/proxima.pot and merge it into po/*.po

MODE ?= release
CC ?= cc
PKGS := libmicrohttpd sqlite3 libpq libsodium jansson cairo pangocairo xlsxwriter liboath libcurl
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
GEN_OBJ := $(GEN)/assets.o $(GEN)/migrations.o $(GEN)/migrations_pg.o $(GEN)/catalogs.o
ASSETS := $(sort $(wildcard assets/*))
MIGRATIONS := $(sort $(wildcard db/migrations/*.sql))
# PostgreSQL's twins: the same names, PostgreSQL's types.
MIGRATIONS_PG := $(sort $(wildcard db/migrations/pg/*.sql))
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

$(GEN)/migrations_pg.c: build/tools/embed $(MIGRATIONS_PG)
	@mkdir -p $(dir $@)
	build/tools/embed embedded_migrations_pg $@ $(MIGRATIONS_PG)

# A language's catalogue is po/LANG.po plus any po/parts/LANG-*.po (parts
# let modules add their messages without touching one shared file).
.SECONDEXPANSION:
$(GEN)/mo/%.mo: po/%.po $$(wildcard po/parts/$$*-*.po)
	@mkdir -p $(dir $@)
	msgcat --use-first -o $@.po $^
	msgfmt --check -o $@ $@.po

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
	@$(MAKE) --no-print-directory -j$$(nproc) MODE=asan tests
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

# The write ceiling (bench/writes.sh): the API's write path as a plain C loop.
$(BUILD)/bench/write_ceiling: bench/write_ceiling.c $(BUILD)/libproxima.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MODE_LDFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libproxima.a $(LDLIBS_ALL)

# The dashboard benchmark (bench/dashboard.sh): act.* over aggregates and raw tables.
$(BUILD)/bench/dashboard: bench/dashboard.c $(BUILD)/libproxima.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MODE_LDFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libproxima.a $(LDLIBS_ALL)

# The comparison benchmark (bench/compare.sh): one pass against one report per territory.
$(BUILD)/bench/compare: bench/compare.c tests/support/report_cmp.c $(BUILD)/libproxima.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests $(MODE_LDFLAGS) $(LDFLAGS) -o $@ $< tests/support/report_cmp.c \
		$(BUILD)/libproxima.a $(LDLIBS_ALL)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench/write_ceiling
	@bench/run.sh $(BUILD)/proxima
	@bench/writes.sh $(BUILD)/proxima $(BUILD)/bench/write_ceiling
	@$(MAKE) --no-print-directory $(BUILD)/bench/dashboard
	@bench/dashboard.sh $(BUILD)/proxima $(BUILD)/bench/dashboard
	@$(MAKE) --no-print-directory $(BUILD)/bench/compare
	@bench/compare.sh $(BUILD)/bench/compare
	@BENCH_ACTIVITIES=$${BENCH_ACTIVITIES:-100000} bench/import.sh $(BUILD)/proxima

valgrind:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory MODE=debug tests
	@VALGRIND=1 BROWSER=0 tests/run.sh build/debug

po:
	xgettext --from-code=UTF-8 --language=C --keyword=TR:2 --keyword=N_ \
		--keyword=i18n_tr:2 --keyword=i18n_trn:2,3 --add-comments=TRANSLATORS \
		--package-name=proxima --msgid-bugs-address=none \
		-o po/proxima.pot $(SRC) src/reports/indicators.def
	for p in $(PO); do msgmerge --quiet --update --backup=none $$p po/proxima.pot; done

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- Fuzzing (clang's libFuzzer), see docs/fuzzing.md. Not part of `make test`.
#   make fuzz                 build the fuzzers into build/fuzz/
#   make fuzz-run             run each for FUZZ_SECONDS (default 60)
#   make fuzz-cov             line coverage reached by the corpora
#   tests/fuzz/run_corpus.sh  replay the corpora and regressions once
FUZZ_CC := clang
FUZZ_BUILD := build/fuzz
FUZZ_GEN := $(FUZZ_BUILD)/gen
FUZZ_SECONDS ?= 60
FUZZ_SAN := address,undefined
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
              -fno-sanitize-recover=all -Isrc -MMD -MP $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
FUZZ_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) \
            $(FUZZ_GEN)/assets.o $(FUZZ_GEN)/migrations.o $(FUZZ_GEN)/migrations_pg.o \
            $(FUZZ_GEN)/catalogs.o
FUZZ_TARGETS := fuzz_request fuzz_form fuzz_import
FUZZ_BIN := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-run

fuzz: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

$(FUZZ_BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

$(FUZZ_GEN)/assets.c: $(FUZZ_BUILD)/tools/embed $(ASSETS)
	@mkdir -p $(dir $@)
	$(FUZZ_BUILD)/tools/embed embedded_assets $@ $(ASSETS)

$(FUZZ_GEN)/migrations.c: $(FUZZ_BUILD)/tools/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	$(FUZZ_BUILD)/tools/embed embedded_migrations $@ $(MIGRATIONS)

$(FUZZ_GEN)/migrations_pg.c: $(FUZZ_BUILD)/tools/embed $(MIGRATIONS_PG)
	@mkdir -p $(dir $@)
	$(FUZZ_BUILD)/tools/embed embedded_migrations_pg $@ $(MIGRATIONS_PG)

$(FUZZ_GEN)/mo/%.mo: po/%.po $$(wildcard po/parts/$$*-*.po)
	@mkdir -p $(dir $@)
	msgcat --use-first -o $@.po $^
	msgfmt --check -o $@ $@.po

$(FUZZ_GEN)/catalogs.c: $(FUZZ_BUILD)/tools/embed $(PO:po/%.po=$(FUZZ_GEN)/mo/%.mo)
	@mkdir -p $(dir $@)
	$(FUZZ_BUILD)/tools/embed embedded_catalogs $@ $(PO:po/%.po=$(FUZZ_GEN)/mo/%.mo)

$(FUZZ_GEN)/%.o: $(FUZZ_GEN)/%.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -fsanitize=$(FUZZ_SAN) -c -o $@ $<

$(FUZZ_BUILD)/libproxima.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The harnesses: compiled and linked with the fuzzer runtime (it has main).
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libproxima.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -Itests -fsanitize=fuzzer,$(FUZZ_SAN) \
		-o $@ $< $(FUZZ_BUILD)/libproxima.a $(LDLIBS_ALL)

# Each fuzzer on its corpus (new inputs go to build/fuzz/corpus/, the seeds
# in tests/fuzz/corpus/ are only read); crashes land in build/fuzz/artifacts/.
fuzz-run: fuzz
	@mkdir -p $(FUZZ_BUILD)/artifacts
	@for t in request form import; do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		echo "== fuzz_$$t for $(FUZZ_SECONDS)s"; \
		$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-dict=tests/fuzz/$$t.dict \
			-artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- \
			$(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# Line coverage that the corpora reach (clang source-based coverage, no
# sanitizers): build/fuzz-cov/report.txt, per file of src/.
FUZZ_COV := build/fuzz-cov
FUZZ_COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_OBJ := $(LIB_SRC:%.c=$(FUZZ_COV)/obj/%.o) \
                $(FUZZ_COV)/gen/assets.o $(FUZZ_COV)/gen/migrations.o $(FUZZ_COV)/gen/catalogs.o

.PHONY: fuzz-cov

$(FUZZ_COV)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV_FLAGS) -c -o $@ $<

$(FUZZ_COV)/gen/%.o: $(FUZZ_GEN)/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(FUZZ_COV)/libproxima.a: $(FUZZ_COV_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_COV)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COV)/libproxima.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -Itests -fsanitize=fuzzer $(FUZZ_COV_FLAGS) \
		-o $@ $< $(FUZZ_COV)/libproxima.a $(LDLIBS_ALL)

fuzz-cov: $(FUZZ_TARGETS:%=$(FUZZ_COV)/%)
	@rm -f $(FUZZ_COV)/*.profraw
	@for t in request form import; do \
		dirs=""; for d in $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t; do \
			[ -d $$d ] && dirs="$$dirs $$d"; done; \
		LLVM_PROFILE_FILE=$(FUZZ_COV)/$$t.profraw FUZZ_ALLOW_500=1 FUZZ_ALLOW_DB_ERROR=1 \
			$(FUZZ_COV)/fuzz_$$t -runs=0 $$dirs >$(FUZZ_COV)/$$t.log 2>&1 || exit 1; \
	done
	llvm-profdata merge -sparse -o $(FUZZ_COV)/all.profdata $(FUZZ_COV)/*.profraw
	llvm-cov report $(FUZZ_COV)/fuzz_request -object $(FUZZ_COV)/fuzz_form \
		-object $(FUZZ_COV)/fuzz_import -instr-profile=$(FUZZ_COV)/all.profdata \
		$(LIB_SRC) >$(FUZZ_COV)/report.txt
	@for t in request form import; do \
		llvm-profdata merge -sparse -o $(FUZZ_COV)/$$t.profdata $(FUZZ_COV)/$$t.profraw; \
		printf '%s: ' $$t; llvm-cov report $(FUZZ_COV)/fuzz_$$t -instr-profile=$(FUZZ_COV)/$$t.profdata \
			$(LIB_SRC) | tail -n 1; done
	@tail -n 1 $(FUZZ_COV)/report.txt
