#!/usr/bin/env bash
# Regenerate the committed bandit SARIF files from a real bandit run (pip install 'bandit[sarif]').
# bandit exits 1 when it finds issues; that is expected for the vulnerable sample.
set -u
cd "$(dirname "$0")"
BANDIT=${BANDIT:-../../../.venv/bin/bandit}
"$BANDIT" -q -r vulnerable -f sarif -o bandit-vulnerable.sarif || true
"$BANDIT" -q -r clean -f sarif -o bandit-clean.sarif || true
"$BANDIT" --version | head -1 > bandit-version.txt
