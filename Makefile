# borderflow: the two commands of the README.
#   make run    install what is missing, build, start the server on 127.0.0.1:8080
#   make check  install what is missing, build with sanitizers, run every test
# CMake does the building; this file only chains the steps.

BUILD      ?= build
TEST_BUILD ?= build-check
DB         ?= borderflow.db
PORT       ?= 8080
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build run check lint bench clean

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/borderflow serve --db $(DB) --port $(PORT)

# AddressSanitizer and UndefinedBehaviorSanitizer; leaks fail the run. The
# tests that use a database run on SQLite and again on a throwaway
# PostgreSQL server (scripts/with-postgres.sh), removed afterwards.
check: deps
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBF_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer on the threaded tests (the writer pool, the server's
# threads, the peer puller, the simulation runner), in build-tsan; any
# report fails. See scripts/tsan-check.sh.
.PHONY: tsan
tsan:
	sh scripts/install-deps.sh
	JOBS=$(JOBS) bash scripts/tsan-check.sh

# Benchmarks, optimised and without sanitizers; each prints its figures.
BENCH_BUILD ?= build-bench
# The simulator's reference is SimPy 3, Debian's python3-simpy3. The load
# benchmark drives `borderflow serve` with wrk; BENCH_DB=postgres://... runs
# it on PostgreSQL instead of a fresh SQLite file.
BENCH_DB ?=
bench: deps
	@sh scripts/install-deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target plan_bench sim_bench ledger_bench sync_bench borderflow
	./$(BENCH_BUILD)/bench/plan_bench
	./$(BENCH_BUILD)/bench/sim_bench bench/mmc_simpy.py
	./$(BENCH_BUILD)/bench/ledger_bench 1000000 $(BENCH_BUILD)/ledger-bench.db
	BF_TMP=$(BENCH_BUILD) ./$(BENCH_BUILD)/bench/sync_bench 1000000
	bench/load_bench.sh --binary $(BENCH_BUILD)/borderflow $(if $(BENCH_DB),--db '$(BENCH_DB)')

# Static checks CI runs beside the tests: cppcheck on the sources, and the
# tree's one formatting (.clang-format).
lint:
	cppcheck --enable=warning,performance,portability --error-exitcode=1 --quiet \
		--inline-suppr -I src src
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')
	@cmake -S . -B build-lint -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build-lint --target bf_service >/dev/null
	clang-tidy -p build-lint --quiet --extra-arg=-Wno-unknown-warning-option \
		$$(git ls-files 'src/*.c')
	@cmake --build build-lint --target borderflow >/dev/null
	bash scripts/check-layers.sh src build-lint

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(BENCH_BUILD) build-lint build-tsan
