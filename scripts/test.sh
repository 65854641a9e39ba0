#!/usr/bin/env bash
# The whole test suite: system packages, throw-away PostgreSQL + Redis, lint, contracts, unit,
# integration (SQLite and PostgreSQL), browser tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# shellcheck source=services.sh
source scripts/services.sh start
trap 'stop_services "$AG_SERVICES_DIR"' EXIT
export AG_REQUIRE_PG=1

echo "== lint"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
echo "== import contracts"
"$BIN/lint-imports"
echo "== unit and integration (SQLite + PostgreSQL)"
"$BIN/pytest" -n 2 tests/unit tests/integration
# Each app build bakes its port into .web, so the SQLite app and the PostgreSQL + Redis app run in
# separate pytest processes, one after the other.
echo "== browser (SQLite, one worker)"
"$BIN/pytest" -p no:xdist -m "not cluster" tests/e2e
echo "== browser (PostgreSQL + Redis, two workers)"
"$BIN/pytest" -p no:xdist -m cluster tests/e2e
