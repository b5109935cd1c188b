#!/usr/bin/env bash
# Installs what run-notebook needs, idempotently: npm packages, a project-local
# Python environment (.venv) with jupyter_server and ipykernel, and the build.
# A second run only compares stamps and returns within a second or two.
#   --test   also make sure headless Chromium is present (browser tests), and install
#            the gateways the scale-out tests drive: Kernel Gateway into .venv,
#            Enterprise Gateway into its own .venv-eg (its pins conflict with .venv's),
#            and python/requirements-test.txt (numpy, pandas, matplotlib: the --warm tests; ipywidgets)
#   --bench  also install the benchmark's Python packages (papermill, and the test ones)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0; want_bench=0
for a in "$@"; do
  case "$a" in
    --test) want_browser=1 ;;
    --bench) want_bench=1 ;;
  esac
done

say() { printf 'setup: %s\n' "$*" >&2; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# --- Python -----------------------------------------------------------------
PY="${RUN_NOTEBOOK_PYTHON:-$(command -v python3 || true)}"
if [ -z "$PY" ]; then
  say "Python 3 was not found: install python3 (3.9 or newer) and run this again."; exit 2
fi
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
  say "Python 3.9 or newer is needed, found $("$PY" --version 2>&1)."; exit 2
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv || { say "python3 -m venv failed: install your distribution's python3-venv package."; exit 2; }
fi
reqs=(python/requirements.txt)
[ "$want_browser" = 1 ] || [ "$want_bench" = 1 ] && reqs+=(python/requirements-test.txt)
[ "$want_bench" = 1 ] && reqs+=(python/requirements-bench.txt)
for r in "${reqs[@]}"; do
  stamp=".venv/.stamp-$(basename "$r")"
  h=$(hash_of "$r")
  if [ "$(cat "$stamp" 2>/dev/null)" != "$h" ]; then
    say "installing $r into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$r"
    echo "$h" > "$stamp"
  fi
done

# --- Gateways (tests only) ----------------------------------------------------
if [ "$want_browser" = 1 ]; then
  h=$(hash_of python/requirements.txt python/requirements-kg.txt)
  if [ "$(cat .venv/.stamp-kg 2>/dev/null)" != "$h" ]; then
    say "installing Kernel Gateway into .venv (tests)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r python/requirements.txt -r python/requirements-kg.txt
    echo "$h" > .venv/.stamp-kg
  fi
  h=$(hash_of python/requirements-eg.txt)
  if [ "$(cat .venv-eg/.stamp 2>/dev/null)" != "$h" ]; then
    say "installing Enterprise Gateway into .venv-eg (tests)"
    [ -x .venv-eg/bin/python ] || "$PY" -m venv .venv-eg
    .venv-eg/bin/python -m pip install --quiet --disable-pip-version-check -r python/requirements-eg.txt
    echo "$h" > .venv-eg/.stamp
  fi
fi

# --- Node -------------------------------------------------------------------
h=$(hash_of package.json package-lock.json)
if [ "$(cat node_modules/.stamp 2>/dev/null)" != "$h" ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$h" > node_modules/.stamp
fi
srch=$(find src -name '*.ts' -newer dist/.stamp 2>/dev/null | head -1 || true)
if [ ! -f dist/.stamp ] || [ -n "$srch" ]; then
  say "building dist/"
  npx tsc -p tsconfig.build.json
  touch dist/.stamp
fi

# --- Browser (tests only) ---------------------------------------------------
if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    say "chromium is missing and cannot be installed here: browser tests will fail. Install Debian's 'chromium' package."
  fi
fi

# --- IRkernel (tests only): the R notebook tests ----------------------------
if [ "$want_browser" = 1 ] && [ ! -f /usr/share/jupyter/kernels/ir/kernel.json ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's r-cran-irkernel for the R tests (at most 15 minutes)"
    if ! { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends r-cran-irkernel; } >/dev/null 2>&1; then
      say "r-cran-irkernel could not be installed: the R tests will be skipped"
    fi
  else
    say "IRkernel is missing and cannot be installed here (needs root and apt): the R tests will be skipped. Install Debian's 'r-cran-irkernel'."
  fi
fi
exit 0
