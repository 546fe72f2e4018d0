#!/usr/bin/env bash
# Starts (and on first use creates) a private PostgreSQL cluster for this clone and prints
# its Npgsql connection string as the only line on stdout. Everything else goes to stderr.
#
#   scripts/dev-postgres.sh [--fast] [DATABASE]   start if needed, create DATABASE (default: portal)
#   scripts/dev-postgres.sh [--fast] --stop       stop the cluster
#   scripts/dev-postgres.sh [--fast] --destroy    stop the cluster and delete its data
#
# The normal (dev) cluster keeps your data safely. --fast (or PORTAL_PG_FAST=1) selects a separate,
# disposable test cluster run with fsync=off, synchronous_commit=off, full_page_writes=off.
# If ConnectionStrings__Portal is already set, it is printed and nothing else happens.
set -euo pipefail

log() { printf 'dev-postgres: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

fast=0; action=start; db=portal
case "${PORTAL_PG_FAST:-0}" in 1|true|yes) fast=1 ;; esac
for arg in "$@"; do
  case "$arg" in
    --fast) fast=1 ;;
    --stop) action=stop ;;
    --destroy) action=destroy ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) db="$arg" ;;
  esac
done
[[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "invalid database name: $db"

if [[ "$action" == start && -n "${ConnectionStrings__Portal:-}" ]]; then
  log "using ConnectionStrings__Portal from the environment"
  printf '%s\n' "$ConnectionStrings__Portal"
  exit 0
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
is_root=0; [[ "$(id -u)" == 0 ]] && is_root=1
suffix=""; [[ "$fast" == 1 ]] && suffix="-test"

# --- PostgreSQL binaries ------------------------------------------------------------------
find_pgbin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && echo "$d"; done | sort -V | tail -n1
}
pgbin="$(find_pgbin)"
if [[ -z "$pgbin" ]]; then
  [[ "$action" == start ]] || exit 0
  if [[ "$is_root" == 1 ]]; then
    log "PostgreSQL not found; installing Debian's postgresql package (apt)..."
    export DEBIAN_FRONTEND=noninteractive
    if [[ "${PORTAL_APT_UPDATED:-0}" != 1 ]]; then
      apt-get update -qq >&2 || log "warning: apt-get update failed"
      export PORTAL_APT_UPDATED=1
    fi
    aptlog="$(mktemp)"
    apt-get install -y -q postgresql >"$aptlog" 2>&1 || { tail -n 30 "$aptlog" >&2; die "apt-get install postgresql failed"; }
    rm -f "$aptlog"
    pgbin="$(find_pgbin)"
  fi
  [[ -n "$pgbin" ]] || die "no initdb found under /usr/lib/postgresql/*/bin; install PostgreSQL (e.g. sudo apt-get install postgresql) and retry"
fi

# --- where the cluster lives --------------------------------------------------------------
# As root the server runs as the 'postgres' OS user, which must traverse every parent folder.
postgres_can_reach() {
  local p="$1"
  while :; do
    runuser -u postgres -- test -x "$p" 2>/dev/null || return 1
    [[ "$p" == / ]] && return 0
    p="$(dirname "$p")"
  done
}
if [[ "$is_root" == 1 ]]; then
  id postgres >/dev/null 2>&1 || die "the 'postgres' OS user does not exist (is the postgresql package installed?)"
  # (the subshell closes fd 9, the lock below, so that the server does not inherit it)
  run_pg() { (exec 9>&- && cd / && runuser -u postgres -- "$@"); }
  owner=postgres
  if postgres_can_reach "$repo" && { [[ -d "$repo/.data" ]] || (umask 022 && mkdir -p "$repo/.data"); } \
      && postgres_can_reach "$repo/.data"; then
    base="$repo/.data/postgres$suffix"
  else
    base="/var/tmp/portal-pg-$(printf '%s' "$repo" | sha256sum | cut -c1-10)$suffix"
  fi
else
  run_pg() { (exec 9>&- && cd / && "$@"); }
  owner="$(id -un)"
  base="$repo/.data/postgres$suffix"
fi
pgdata="$base/data"
sockdir="$base/socket"
portfile="$base/port"
logfile="$base/server.log"

pg_running() { [[ -f "$pgdata/postmaster.pid" ]] && run_pg "$pgbin/pg_ctl" status -D "$pgdata" >/dev/null 2>&1; }

if [[ "$action" != start ]]; then
  [[ -d "$base" ]] || { log "no cluster at $base"; exit 0; }
  if pg_running; then
    log "stopping cluster at $base"
    run_pg "$pgbin/pg_ctl" stop -D "$pgdata" -m fast -w >&2 || true
  fi
  if [[ "$action" == destroy ]]; then
    log "deleting $base"
    rm -rf -- "$base"
  fi
  exit 0
fi

# Create the data area (private to the server's OS user).
if [[ ! -d "$base" ]]; then
  mkdir -p "$(dirname "$base")"
  mkdir -m 700 "$base" 2>/dev/null || [[ -d "$base" ]] || die "cannot create $base"
  [[ "$is_root" == 1 ]] && chown postgres:postgres "$base"
fi
[[ -L "$base" ]] && die "$base is a symlink; refusing to use it"
[[ "$(stat -c %U "$base")" == "$owner" ]] || die "$base is owned by $(stat -c %U "$base"), expected $owner; delete it or run as the same user as before"

# One invocation at a time per cluster (CI and a developer may race).
exec 9>>"$base/.lock"
flock -w 120 9 || die "timed out waiting for the lock on $base"

port_free() {
  local p="$1"
  if command -v ss >/dev/null 2>&1; then
    # Any socket on the port, not only a listener: a client connection (or its TIME-WAIT) with that local port
    # makes the bind fail too (the benchmark and the tests open thousands of local connections).
    [[ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]]
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
  fi
}
pick_port() {
  local p start=55432
  [[ "$fast" == 1 ]] && start=55442
  for ((p = start; p < start + 200; p++)); do
    port_free "$p" && { echo "$p"; return 0; }
  done
  die "no free TCP port found in $start..$((start + 199))"
}

# --- first initialisation -----------------------------------------------------------------
if [[ ! -f "$pgdata/PG_VERSION" ]]; then
  log "initialising a new cluster in $pgdata ($("$pgbin/postgres" --version))"
  tmpdata="$base/data.init"
  rm -rf -- "$tmpdata"
  pwfile="$base/.pwfile"
  printf 'portal\n' > "$pwfile"
  chmod 600 "$pwfile"
  [[ "$is_root" == 1 ]] && chown postgres:postgres "$pwfile"
  run_pg "$pgbin/initdb" -D "$tmpdata" -U portal --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-host=scram-sha-256 --auth-local=trust >"$base/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; cat "$base/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  cat >>"$tmpdata/postgresql.conf" <<'EOF'

# --- portal dev cluster (scripts/dev-postgres.sh); port is given on the pg_ctl command line ---
listen_addresses = '127.0.0.1'
password_encryption = 'scram-sha-256'
max_connections = 200
shared_buffers = 128MB
EOF
  mv "$tmpdata" "$pgdata"
  pick_port > "$portfile"
  log "cluster created; port $(cat "$portfile")"
fi
[[ -s "$portfile" ]] || pick_port > "$portfile"
port="$(cat "$portfile")"

# --- start --------------------------------------------------------------------------------
if ! pg_running; then
  if ! port_free "$port"; then
    old="$port"; port="$(pick_port)"; echo "$port" > "$portfile"
    log "port $old is taken by another program; using $port from now on"
  fi
  opts="-p $port -c listen_addresses=127.0.0.1"
  # A unix socket path must stay under ~107 bytes; skip the socket when the folder is too deep.
  if (( ${#sockdir} + 20 < 100 )) && [[ "$sockdir" != *[[:space:]\',]* ]]; then
    mkdir -p "$sockdir"; chmod 700 "$sockdir"
    [[ "$is_root" == 1 ]] && chown postgres:postgres "$sockdir"
    opts+=" -c unix_socket_directories=$sockdir"
  else
    opts+=" -c unix_socket_directories="
  fi
  if [[ "$fast" == 1 ]]; then
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  log "starting PostgreSQL on 127.0.0.1:$port (data $pgdata$([[ $fast == 1 ]] && echo ', fast/unsafe settings'))"
  [[ "$is_root" == 1 ]] && { touch "$logfile"; chown postgres:postgres "$logfile"; }
  if ! run_pg "$pgbin/pg_ctl" start -D "$pgdata" -l "$logfile" -w -t 60 -o "$opts" >/dev/null 2>"$base/pg_ctl.err"; then
    cat "$base/pg_ctl.err" >&2
    tail -n 20 "$logfile" >&2 || true
    die "PostgreSQL did not start (log: $logfile)"
  fi
fi

# --- database -----------------------------------------------------------------------------
export PGPASSWORD=portal PGCONNECT_TIMEOUT=5
psql_q() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U portal -d postgres -tA "$@"; }
for _ in $(seq 1 50); do
  "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
exists="$(psql_q -c "select 1 from pg_database where datname = '$db'")" || die "cannot connect to 127.0.0.1:$port"
if [[ "$exists" != 1 ]]; then
  log "creating database $db"
  psql_q -c "create database \"$db\"" >&2
fi

printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=portal;Password=portal\n' "$port" "$db"
