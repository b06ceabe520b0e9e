#!/usr/bin/env bash
# Regenerate run_stats.csv and run_methods_stats.csv from real Locust runs against server.py on
# 127.0.0.1 (~16 s).
#   pip install locust   (in the project venv)
set -eu
cd "$(dirname "$0")"
VENV=${VENV:-../../../.venv}
PORT=${PORT:-18089}
"$VENV/bin/python" server.py "$PORT" &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
for scenario in run:locustfile.py run_methods:locustfile_methods.py; do
  "$VENV/bin/locust" -f "${scenario#*:}" --headless -u 10 -r 10 -t 6s --only-summary \
    --host "http://127.0.0.1:$PORT" --csv "${scenario%%:*}" --loglevel WARNING || true
  rm -f "${scenario%%:*}"_failures.csv "${scenario%%:*}"_exceptions.csv \
    "${scenario%%:*}"_stats_history.csv
done
"$VENV/bin/locust" --version | cut -d" " -f1-2 > locust-version.txt
