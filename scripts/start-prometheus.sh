#!/usr/bin/env bash
# A throwaway Prometheus on 127.0.0.1 scraping a small exporter with known values, for the
# collect tests.
#
#   eval "$(bash scripts/start-prometheus.sh start)"  # exports P0GATE_TEST_PROMETHEUS_URL, P0GATE_PROM_DIR
#   bash scripts/start-prometheus.sh stop "$P0GATE_PROM_DIR"
#
# `start` installs Debian's prometheus when missing (as root, with apt-get), starts the exporter
# (tests/collect/exporter.py, with $PYTHON, default .venv/bin/python) and Prometheus on free
# loopback ports in a fresh temporary folder, waits until the exporter's series are scraped,
# and prints the export lines on stdout (messages go to stderr). When Prometheus cannot be had,
# it prints nothing: the tests then skip locally and fail in CI.
set -uo pipefail

say() { echo "start-prometheus: $*" >&2; }
PYTHON=${PYTHON:-.venv/bin/python}
HERE=$(cd "$(dirname "$0")/.." && pwd)

install_prometheus() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing prometheus with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
    >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

scraped() {  # the exporter's histogram is in Prometheus
  python3 - "$1" <<'EOF' >/dev/null 2>&1
import json, sys, urllib.request
url = sys.argv[1] + "/api/v1/query?query=crisis_latency_seconds_bucket"
doc = json.load(urllib.request.urlopen(url, timeout=2))
sys.exit(0 if doc["data"]["result"] else 1)
EOF
}

start() {
  if [ -n "${P0GATE_TEST_PROMETHEUS_URL:-}" ]; then
    say "using the server at P0GATE_TEST_PROMETHEUS_URL"; return 0
  fi
  command -v prometheus >/dev/null 2>&1 || install_prometheus || true
  if ! command -v prometheus >/dev/null 2>&1; then
    say "no prometheus: the Prometheus tests will be skipped (they fail in CI)"; return 0
  fi
  local dir exporter_port port
  dir=$(mktemp -d /tmp/p0gate-prom.XXXXXX)
  exporter_port=$(free_port) && port=$(free_port)
  "$PYTHON" "$HERE/tests/collect/exporter.py" "$exporter_port" >"$dir/exporter.log" 2>&1 &
  echo $! >"$dir/exporter.pid"
  cat >"$dir/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: p0gate-exporter
    static_configs: [{targets: ["127.0.0.1:$exporter_port"]}]
EOF
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  echo $! >"$dir/prometheus.pid"
  for _ in $(seq 1 60); do
    if scraped "http://127.0.0.1:$port"; then
      sleep 2  # a few more scrapes, so a range query finds points
      say "Prometheus on 127.0.0.1:$port scraping 127.0.0.1:$exporter_port (in $dir)"
      echo "export P0GATE_TEST_PROMETHEUS_URL=http://127.0.0.1:$port"
      echo "export P0GATE_PROM_DIR=$dir"
      return 0
    fi
    sleep 0.5
  done
  say "Prometheus did not scrape the exporter in time (see $dir/*.log)"
  stop "$dir"
}

stop() {
  local dir=${1:-} pid
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for name in prometheus exporter; do
    pid=$(cat "$dir/$name.pid" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
