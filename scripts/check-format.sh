#!/usr/bin/env bash
# Checks that every C source and header follows the house style (.clang-format).
#   scripts/check-format.sh          report the files that differ (exit 1 if any)
#   scripts/check-format.sh --fix    rewrite them in place
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
cf=
for c in clang-format clang-format-14 clang-format-15 clang-format-16; do
  if command -v "$c" >/dev/null 2>&1; then cf=$c; break; fi
done
[ -n "$cf" ] || { echo "check-format: clang-format is not installed (scripts/deps.sh installs it)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = --fix ]; then
  "$cf" -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$cf" "$f" | cmp -s - "$f"; then
    echo "check-format: $f differs from .clang-format (scripts/check-format.sh --fix)"; bad=1
  fi
done
[ $bad = 0 ] && echo "check-format: ${#files[@]} files follow .clang-format"
exit $bad
