#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the ledger tests.
#
#   eval "$(bash scripts/start-postgres.sh start)"   # exports P0GATE_TEST_POSTGRES_URL, P0GATE_PG_DIR
#   bash scripts/start-postgres.sh stop "$P0GATE_PG_DIR"
#   bash scripts/start-postgres.sh halt|resume DIR   # stop the server keeping its data, restart it
#                                                    # (the ledger's fault tests)
#
# `start` installs Debian's postgresql when missing (as root, with apt-get), creates a cluster in
# a fresh temporary folder owned by a non-root user (initdb refuses root), starts it on a free
# loopback port with trust auth and prints the export lines on stdout (messages go to stderr).
# When PostgreSQL cannot be had, it prints nothing: the PostgreSQL tests are then skipped, or,
# with CI=true, fail (tests/services.py).
set -uo pipefail
# runuser and useradd live in /usr/sbin, which a CI runner's or sudo's PATH may lack: without
# it the server could not start and the PostgreSQL tests were skipped unnoticed.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

say() { echo "start-postgres: $*" >&2; }
missing() {
  if [ "${CI:-}" = true ]; then say "$*: the postgres tests will FAIL (CI=true)"
  else say "$*: the postgres tests will be skipped"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_pg() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing postgresql with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql \
    >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo 55432
}

as_owner() {  # run a command as the cluster's owner: runuser, else setpriv (util-linux)
  if [ "$(id -u)" != 0 ]; then "$@"
  elif command -v runuser >/dev/null 2>&1; then runuser -u "$OWNER" -- "$@"
  elif command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid="$(id -u "$OWNER")" --regid="$(id -g "$OWNER")" --init-groups -- "$@"
  else
    echo "start-postgres: neither runuser nor setpriv found to run as $OWNER" >&2; return 127
  fi
}

start() {
  if [ -n "${P0GATE_TEST_POSTGRES_URL:-}" ]; then
    say "using the server at P0GATE_TEST_POSTGRES_URL"; return 0
  fi
  local bin dir port
  bin=$(pg_bin) || { install_pg; bin=$(pg_bin); } || true
  if [ -z "${bin:-}" ]; then missing "no PostgreSQL"; return 0; fi
  OWNER=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    id -u "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home "$OWNER"
  fi
  dir=$(mktemp -d /tmp/p0gate-pg.XXXXXX) && chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown "$OWNER" "$dir"
  port=$(free_port)
  if ! as_owner "$bin/initdb" -D "$dir/data" -U p0gate -A trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || ! serve "$bin" "$dir" "$port"; then
    missing "could not start PostgreSQL (see $dir/*.log)"
    return 0
  fi
  echo "$port" >"$dir/port"
  say "PostgreSQL running on 127.0.0.1:$port (cluster in $dir)"
  echo "export P0GATE_TEST_POSTGRES_URL=postgresql://p0gate@127.0.0.1:$port/postgres"
  echo "export P0GATE_PG_DIR=$dir"
}

serve() {  # bin dir port: start the cluster's server, waiting until it accepts connections
  as_owner "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $3 -k $2 -c fsync=off -c max_connections=200" \
    start >/dev/null 2>&1
}

halt() {  # stop the server now, keep the cluster
  local dir=${1:-} bin
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 1
  bin=$(pg_bin) || return 1
  OWNER=$(stat -c %U "$dir/data")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
}

resume() {
  local dir=${1:-} bin
  [ -n "$dir" ] && [ -f "$dir/port" ] || return 1
  bin=$(pg_bin) || return 1
  OWNER=$(stat -c %U "$dir/data")
  serve "$bin" "$dir" "$(cat "$dir/port")"
}

stop() {
  local dir=${1:-} bin
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  bin=$(pg_bin) || return 0
  OWNER=$(stat -c %U "$dir/data")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  halt) halt "${2:-}" ;;
  resume) resume "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR | halt DIR | resume DIR" >&2; exit 2 ;;
esac
