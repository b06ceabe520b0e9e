#!/usr/bin/env bash
# Print the interpreter path of the oldest Python on this machine that the project supports
# (requires-python in pyproject.toml): on Debian 12, /usr/bin/python3 (3.11.2), whose stdlib
# lacks newer features such as tarfile's extraction filters. Candidates: /usr/bin/python3*,
# /usr/local/bin/python3*, pyenv's versions and every python3.N on PATH (those that do not
# run are ignored).
# Exits 1, with a message, when none is found.
set -uo pipefail
cd "$(dirname "$0")/.."
min=$(sed -n 's/^requires-python *= *">= *\([0-9][0-9.]*\)".*/\1/p' pyproject.toml)
min=${min:-3.11}
candidates=(/usr/bin/python3 /usr/bin/python3.[0-9]* /usr/local/bin/python3 /usr/local/bin/python3.[0-9]*
            "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3)
while read -r name; do candidates+=("$name"); done < <(compgen -c python3. | sort -u)
older() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]; }
best="" best_version=""
for candidate in "${candidates[@]}"; do
  case $candidate in *-config|*m-config|*\**) continue ;; esac
  line=$("$candidate" -c 'import sys; v = sys.version_info
print("%d.%d.%d" % v[:3], sys.executable)' 2>/dev/null) || continue
  version=${line%% *} executable=${line#* }
  [ -n "$executable" ] || continue
  older "$version" "$min" && continue  # not supported
  if [ -z "$best" ] || older "$version" "$best_version"; then
    best=$executable best_version=$version
  fi
done
if [ -z "$best" ]; then
  echo "oldest-python: no Python >= $min found" >&2
  exit 1
fi
echo "$best"
