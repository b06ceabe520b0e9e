#!/usr/bin/env bash
# Regenerate the committed SARIF files from real scanner runs.
#   bandit  (pip install 'bandit[sarif]', a dev dependency)     bandit-*.sarif
#   ruff    (a dev dependency)                                   ruff-vulnerable.sarif
#   semgrep (pip install semgrep; SEMGREP=path)                  semgrep-vulnerable.sarif
#   ESLint + @microsoft/eslint-formatter-sarif (npm, js/)        eslint-*.sarif
# Scanners exit non-zero when they find issues; that is expected. A tool that is not
# installed is skipped and its files are left as they are. The scans run in a scratch copy
# (semgrep only scans files outside git), so locations name that copy.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/../../../.venv/bin"
BANDIT=${BANDIT:-$venv/bandit}
RUFF=${RUFF:-$venv/ruff}
SEMGREP=${SEMGREP:-$(command -v semgrep || true)}
work=/tmp/p0gate-sarif-fixtures
rm -rf "$work" && mkdir -p "$work" && cp -r "$here"/vulnerable "$here"/clean "$here"/broken \
  "$here"/semgrep-rules.yaml "$here"/js "$work"/
cd "$work"

"$BANDIT" -q -r vulnerable -f sarif -o "$here"/bandit-vulnerable.sarif || true
"$BANDIT" -q -r clean -f sarif -o "$here"/bandit-clean.sarif || true
"$BANDIT" --version | head -1 > "$here"/bandit-version.txt

"$RUFF" check --isolated --no-cache --select S --output-format sarif vulnerable \
  > "$here"/ruff-vulnerable.sarif || true
"$RUFF" --version > "$here"/ruff-version.txt

if [ -n "$SEMGREP" ]; then
  "$SEMGREP" scan --metrics=off --disable-version-check --config semgrep-rules.yaml --sarif \
    -o "$here"/semgrep-vulnerable.sarif vulnerable || true
  "$SEMGREP" --version > "$here"/semgrep-version.txt
fi

if command -v npm >/dev/null; then
  (cd js && npm install --silent --no-audit --no-fund >/dev/null &&
    npx eslint -f @microsoft/eslint-formatter-sarif -o "$here"/eslint-vulnerable.sarif src/app.js
    npx eslint -f @microsoft/eslint-formatter-sarif -o "$here"/eslint-failed.sarif src
    npx eslint --version > "$here"/eslint-version.txt) || true
fi
