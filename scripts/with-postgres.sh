#!/usr/bin/env bash
# with-postgres.sh COMMAND [ARG...]
#
# Starts a throwaway PostgreSQL cluster (Debian's postgresql package) on a
# free loopback port, runs COMMAND with BF_TEST_PG_URL naming its server
# (postgres://borderflow@127.0.0.1:PORT/postgres; tests create their own
# databases there), then stops the cluster and removes it, and exits with
# COMMAND's status. The cluster runs as an unprivileged user: the caller,
# or "nobody" when the caller is root (PostgreSQL refuses to run as root).
# It listens on 127.0.0.1 only, with no Unix socket, and trusts that
# address: nothing but this machine's own processes can reach it.
set -eu

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
	bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi
if [ -z "$bindir" ]; then
	echo "with-postgres: no PostgreSQL server (initdb) found; install Debian's postgresql package" >&2
	exit 1
fi

# Under /tmp when root: "nobody" must reach the directory.
if [ "$(id -u)" -eq 0 ]; then tmp=/tmp; else tmp=${TMPDIR:-/tmp}; fi
dir=$(mktemp -d "$tmp/borderflow-pg.XXXXXX")
chmod 755 "$dir"
run_as=""
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$dir"
	run_as="runuser -u nobody --"
fi

cleanup() {
	$run_as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

$run_as "$bindir/initdb" -D "$dir/data" -U borderflow -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
	cat "$dir/initdb.log" >&2
	exit 1
}
# A port nothing listens on, from a start that differs run to run; one
# taken in between by another program is given up for the next. fsync
# stays on: the crash tests count on durable commits.
port=""
for i in $(seq 0 199); do
	p=$((20000 + ($$ * 7 + i * 97) % 30000))
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
	if $run_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$p -c unix_socket_directories='' -c max_connections=300" \
		start >/dev/null; then
		port=$p
		break
	fi
	grep -q "could not bind" "$dir/server.log" 2>/dev/null || break
done
if [ -z "$port" ]; then
	echo "with-postgres: the server did not start" >&2
	cat "$dir/server.log" >&2 2>/dev/null
	exit 1
fi

BF_TEST_PG_URL="postgres://borderflow@127.0.0.1:$port/postgres"
export BF_TEST_PG_URL
status=0
"$@" || status=$?
exit $status
