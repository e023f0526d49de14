#!/bin/sh
# Installs the Debian packages borderflow needs to build, run and test,
# when they are missing. As root it runs apt-get; otherwise it prints the
# exact command to run and fails.
set -eu

PACKAGES="cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
libcmocka-dev libcurl4-openssl-dev curl libglpk-dev sqlite3 libpq-dev jq"

# The tests run the store on PostgreSQL too: scripts/with-postgres.sh starts a
# throwaway server from Debian's postgresql package (psql comes with it).
PACKAGES="$PACKAGES postgresql"

# "bench" adds what the benchmarks compare with, and wrk, which drives the
# load benchmark (bench/load_bench.sh).
if [ "${1:-}" = bench ]; then
	PACKAGES="$PACKAGES python3 python3-simpy3 wrk"
fi

# The fuzz test (tests/fuzz) builds its harnesses with clang; libFuzzer and
# the sanitizers' runtimes are in libclang-rt-14-dev, which clang only
# recommends.
PACKAGES="$PACKAGES clang libclang-rt-14-dev"

# The dashboard's browser tests drive Debian's chromium (with playwright-core
# from npm); fonts-wqy-zenhei draws the Chinese text in their screenshots.
PACKAGES="$PACKAGES chromium fonts-wqy-zenhei"

# The TLS test (tests/cli/test_tls.sh) makes its CA and certificates with
# openssl at run time.
PACKAGES="$PACKAGES openssl"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# Node.js and npm bundle the dashboard. Any node with its npm will do (some
# machines have one from elsewhere than Debian), so they are looked for as
# commands; Debian's own are installed when there are none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "borderflow: installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "borderflow: these Debian packages are missing:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
