#!/usr/bin/env bash
# The test suite: set-up (idempotent), type check, then every *.test.ts under test/
# (Node 20's --test does not expand globs itself). Pass folders to narrow it down:
#   bash scripts/test.sh test/unit
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
npx tsc -p tsconfig.json --noEmit
roots=("$@"); [ ${#roots[@]} -gt 0 ] || roots=(test)
mapfile -t files < <(find "${roots[@]}" -name '*.test.ts' | sort)
[ ${#files[@]} -gt 0 ] || { echo "no test files under ${roots[*]}" >&2; exit 1; }
# A backstop, not a budget: a test (or suite) that hangs fails after 15 min instead of
# running into CI's 90-min limit. Tests set their own, tighter bounds.
exec node --import tsx --test --test-concurrency=2 --test-timeout=900000 "${files[@]}"
