#!/usr/bin/env bash
# Regenerate run_stats.csv from a real Locust run against server.py on 127.0.0.1 (~8 s).
#   pip install locust   (in the project venv)
set -eu
cd "$(dirname "$0")"
VENV=${VENV:-../../../.venv}
PORT=${PORT:-18089}
"$VENV/bin/python" server.py "$PORT" &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
"$VENV/bin/locust" -f locustfile.py --headless -u 10 -r 10 -t 6s --only-summary \
  --host "http://127.0.0.1:$PORT" --csv run --loglevel WARNING || true
rm -f run_failures.csv run_exceptions.csv run_stats_history.csv
"$VENV/bin/locust" --version > locust-version.txt
