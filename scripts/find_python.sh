#!/usr/bin/env bash
# Print the first Python 3.11+ interpreter on PATH, or say clearly that there is none.
#
# $PYTHON, when set, is the only candidate: an explicit choice that is too old should
# fail loudly rather than be replaced silently by another interpreter.
# stdout: the interpreter (only on success). stderr: the explanation. Exit 1 when none.
set -euo pipefail

REQUIRED="3.11"

if [ -n "${PYTHON:-}" ]; then
    candidates=("$PYTHON")
else
    candidates=(python3 python3.14 python3.13 python3.12 python3.11 python)
fi

for candidate in "${candidates[@]}"; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        command -v "$candidate"
        exit 0
    fi
    found="$("$candidate" --version 2>&1 || true)"
    echo "find_python: $candidate is $found; this project needs Python $REQUIRED or newer." >&2
done

cat >&2 <<MSG
find_python: no Python $REQUIRED+ found (tried: ${candidates[*]}).
  Install one (Debian/Ubuntu: apt-get install python3; or https://www.python.org/downloads/),
  then run make again, or name it explicitly: make run PYTHON=/path/to/python3.12
MSG
exit 1
