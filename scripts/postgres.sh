#!/usr/bin/env bash
# The project's own PostgreSQL 15 cluster: `scripts/postgres.sh start|stop|status|install` (make postgres-start/stop).
# Installs Debian's package when no PostgreSQL binaries are found, creates the cluster under
# $LEADSCORE_PG_DATA (default warehouse/postgres) listening on 127.0.0.1:$LEADSCORE_PG_PORT only, and the
# role $LEADSCORE_PG_USER with database $LEADSCORE_PG_DBNAME. With $LEADSCORE_PG_PASSWORD set, the role gets
# that password and connections need it (scram-sha-256); without it, local TCP connections are trusted
# (a throw-away test cluster that only 127.0.0.1 can reach). initdb refuses root: as root, the cluster
# runs as the `postgres` system user, which the package creates.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_ROOT=${LEADSCORE_PG_DATA:-warehouse/postgres}
mkdir -p "$DATA_ROOT"
DATA_ROOT=$(cd "$DATA_ROOT" && pwd)
DATA=$DATA_ROOT/data
PORT=${LEADSCORE_PG_PORT:-5432}
USER_NAME=${LEADSCORE_PG_USER:-leadscore}
DB_NAME=${LEADSCORE_PG_DBNAME:-leadscore}

find_bin() {
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
}
BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
    if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed: apt-get install postgresql-15 (as root)" >&2; exit 1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN=$(find_bin)
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$DATA_ROOT"
        # the postgres user must be able to reach the data directory
        dir=$DATA_ROOT; while [ "$dir" != / ]; do dir=$(dirname "$dir"); chmod o+x "$dir" 2>/dev/null || true; done
    fi
    if [ ! -s "$DATA/PG_VERSION" ]; then
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=trust \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        if [ -n "${LEADSCORE_PG_PASSWORD:-}" ]; then
            sed -i 's/^\(host.*\)trust$/\1scram-sha-256/' "$DATA/pg_hba.conf"
        fi
    fi
    if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        echo "PostgreSQL already running ($DATA)"
    else
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA_ROOT/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_ROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c TimeZone=UTC" >/dev/null \
            || { tail -5 "$DATA_ROOT/server.log" >&2; exit 1; }
        echo "PostgreSQL started on 127.0.0.1:$PORT ($DATA)"
    fi
    psql_() { as_owner "$BIN/psql" -h "$DATA_ROOT" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
    if [ "$(psql_ -c "select 1 from pg_roles where rolname = '$USER_NAME'")" != 1 ]; then
        psql_ -c "create role \"$USER_NAME\" login superuser"
    fi
    if [ -n "${LEADSCORE_PG_PASSWORD:-}" ]; then
        psql_ -v pw="$LEADSCORE_PG_PASSWORD" <<<"alter role \"$USER_NAME\" password :'pw'"
    fi
    if [ "$(psql_ -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
        psql_ -c "create database \"$DB_NAME\" owner \"$USER_NAME\""
    fi
}

case "${1:-}" in
    start) start ;;
    stop) if [ -s "$DATA/PG_VERSION" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 \
              && echo "PostgreSQL stopped" || echo "PostgreSQL was not running"; fi ;;
    status) as_owner "$BIN/pg_ctl" -D "$DATA" status ;;
    install) echo "PostgreSQL binaries in $BIN" ;;
    *) echo "usage: $0 start|stop|status|install" >&2; exit 2 ;;
esac
