#!/usr/bin/env bash
# Start (or stop) throw-away PostgreSQL and Redis servers on 127.0.0.1 for tests.
#   source scripts/services.sh start   -> exports AG_TEST_PG_URL, AG_TEST_REDIS_URL, AG_SERVICES_DIR
#   scripts/services.sh stop DIR
set -euo pipefail

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_services() {
  local dir pgbin pgport redisport
  dir=$(mktemp -d /tmp/ag-services.XXXXXX)
  chmod 755 "$dir"
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pgport=$(free_port)
  mkdir -p "$dir/pg" "$dir/pglog" && chown postgres:postgres "$dir/pg" "$dir/pglog"
  runuser -u postgres -- "$pgbin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pglog/pg.log" -w \
    -o "-h 127.0.0.1 -p $pgport -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres ag_test
  redisport=$(free_port)
  redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  echo "$pgbin" >"$dir/pgbin"
  echo "$redisport" >"$dir/redisport"
  export AG_SERVICES_DIR="$dir"
  export AG_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$pgport/ag_test"
  export AG_TEST_PG_ADMIN_URL="postgresql+psycopg://postgres@127.0.0.1:$pgport/postgres"
  export AG_TEST_REDIS_URL="redis://127.0.0.1:$redisport/0"
}

stop_services() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/pgbin" ]; then
    runuser -u postgres -- "$(cat "$dir/pgbin")/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/redisport" ]; then
    redis-cli -p "$(cat "$dir/redisport")" shutdown nosave >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start_services ;;
  stop) stop_services "${2:?services dir}" ;;
  *) echo "usage: source scripts/services.sh start | scripts/services.sh stop DIR" >&2; return 2 2>/dev/null || exit 2 ;;
esac
