#!/usr/bin/env bash
# Install the Debian packages that some tests need, when they are missing and we can.
# Chromium runs axe-core on the HTML report, npm installs axe-core (tools/axe), poppler-utils
# gives pdfsig/pdftoppm, PostgreSQL serves the ledger tests, Prometheus the collect tests, and
# python3-venv/python3-dev let `make test-oldest` build a virtualenv with Debian's own /usr/bin/python3 (the oldest Python
# the project supports). Without root or apt, the tests needing them are skipped with a reason;
# with CI=true they fail instead (tests/services.py). CI runs as root, so there they run.
set -uo pipefail
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need+=(npm)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
  inc=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
  [ -f "${inc:-/nonexistent}/Python.h" ] || need+=(python3-dev)
fi
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} (not root or no apt-get): the tests needing them are" \
    "skipped (with CI=true they fail)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: could not install ${need[*]}" >&2
exit 0
