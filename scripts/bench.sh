#!/usr/bin/env bash
# The performance benchmark (./portal bench). See bench/README.md.
#
#   scripts/bench.sh [--clients N] [--quick] [--duration SECONDS] [--warmup SECONDS] [--conditions TEXT] [--out FILE]
#                    [--no-build] [--keep-db] [--running N]
#                    [--only assign,clientlist,completions,smtp,coldstart,limit,practice,workflows]
#
# 1. A dedicated PostgreSQL cluster for the run (created fresh every time, fixed settings, pg_stat_statements),
#    stopped and deleted on exit or Ctrl-C.
# 2. The host built like the Dockerfile does: a scratch copy of src/, `codegen write` (Wolverine + Marten code
#    generated ahead of time), `dotnet publish -c Release`; it then runs with ASPNETCORE_ENVIRONMENT=Production
#    and Portal__TypeLoadMode=Static.
# 3. bench/Portal.Benchmark (Release) seeds the volume, runs the scenarios, pgbench and the raw Npgsql writer,
#    prints a Markdown table and writes the JSON to bench/results/ (or --out).
# BENCH_POOL=N sets the connection pool of the host's store and of the benchmark (Npgsql's Maximum Pool Size); unset,
# the host's store has its own default (32, PortalDatabase) and the benchmark Npgsql's (100); the host's client list
# keeps its own pool (Portal__Database__ListConnections, 4).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The benchmark charges through the sandbox gateway; Production refuses it without this opt-in (docs/configuration.md).
export Payments__AllowSandboxInProduction=true

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

build=1
keep_db=0
port=""
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --keep-db) keep_db=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) bench_args+=("$1") ;;
  esac
  shift
done

is_root=0; [[ "$(id -u)" == 0 ]] && is_root=1
work="$repo/.data/bench"
mkdir -p "$work"

# --- tools ----------------------------------------------------------------------------------
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" && -x "$d/pgbench" ]] && pgbin="$d"; done
if [[ -z "$pgbin" || ! -x /usr/bin/wrk ]]; then
  if [[ "$is_root" == 1 ]]; then
    log "installing postgresql and wrk (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || log "warning: apt-get update failed"
    apt-get install -y -q postgresql wrk >"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log" >&2; die "apt-get install failed"; }
    for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" && -x "$d/pgbench" ]] && pgbin="$d"; done
  fi
  [[ -n "$pgbin" ]] || die "PostgreSQL (initdb, pgbench) not found: sudo apt-get install postgresql"
  [[ -x /usr/bin/wrk ]] || die "wrk not found: sudo apt-get install wrk"
fi

# --- the bench cluster ----------------------------------------------------------------------
if [[ "$is_root" == 1 ]]; then
  pgbase="/var/tmp/portal-bench-$(printf '%s' "$repo" | sha256sum | cut -c1-10)"
  run_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  pgbase="$work/postgres"
  run_pg() { (cd / && "$@"); }
fi
pgdata="$pgbase/data"

host_pidfile="$work/host.pid"
runner_pid=""
stop_cluster() {
  if [[ -f "$pgdata/postmaster.pid" ]]; then
    run_pg "$pgbin/pg_ctl" stop -D "$pgdata" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf -- "$pgbase"
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The benchmark program stops the host itself when told to (SIGTERM); give it time, then make sure.
  if [[ -n "$runner_pid" ]] && kill -0 "$runner_pid" 2>/dev/null; then
    kill -TERM "$runner_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$runner_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$runner_pid" 2>/dev/null || true
  fi
  if [[ -s "$host_pidfile" ]]; then
    local pid; pid="$(cat "$host_pidfile")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -q Portal.Host "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$host_pidfile"
  fi
  if [[ "$keep_db" == 1 ]]; then
    log "kept the bench cluster for profiling: psql -h 127.0.0.1 -p $port -U portal portal_bench (the next run deletes it)"
  else
    stop_cluster
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Leftovers of an earlier run (killed with -9, say): its host, its cluster.
if [[ -s "$host_pidfile" ]]; then
  pid="$(cat "$host_pidfile")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && grep -q Portal.Host "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping the host left by an earlier run (pid $pid)"; kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$host_pidfile"
fi
stop_cluster

# Any socket on the port (a client connection or its TIME-WAIT blocks the bind too), not only a listener.
port_free() { [[ -z "$(ss -Htan "sport = :$1" 2>/dev/null)" ]]; }
port=""
for ((p = 55472; p < 55672; p++)); do port_free "$p" && { port="$p"; break; }; done
[[ -n "$port" ]] || die "no free port for PostgreSQL"

mkdir -p "$pgbase"
[[ "$is_root" == 1 ]] && chown postgres:postgres "$pgbase"
log "creating the bench cluster in $pgdata"
run_pg "$pgbin/initdb" -D "$pgdata" -U portal --auth=trust -E UTF8 --locale=C >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; die "initdb failed"; }
# The same settings for every part of the run (host scenarios, pgbench, raw Npgsql). Durable: fsync and
# synchronous_commit stay on, as in production.
cat >>"$pgdata/postgresql.conf" <<EOF

# --- portal bench cluster (scripts/bench.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
shared_buffers = 512MB
effective_cache_size = 2GB
work_mem = 8MB
maintenance_work_mem = 128MB
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
fsync = on
synchronous_commit = on
full_page_writes = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 2000
pg_stat_statements.track = top
EOF
run_pg "$pgbin/pg_ctl" start -D "$pgdata" -l "$pgbase/server.log" -w -t 60 >/dev/null \
  || { tail -n 20 "$pgbase/server.log" >&2; die "PostgreSQL did not start"; }
psql=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U portal -d postgres)
"${psql[@]}" -c "create database portal_bench" -c "create database pgbench" >&2
"${psql[@]}" -d portal_bench -c "create extension pg_stat_statements" >&2
conn="Host=127.0.0.1;Port=$port;Database=portal_bench;Username=portal${BENCH_POOL:+;Maximum Pool Size=$BENCH_POOL}"

# --- build ----------------------------------------------------------------------------------
app="$work/app"
if [[ "$build" == 1 || ! -f "$app/Portal.Host.dll" ]]; then
  src="$work/src"
  log "copying the sources to $src (code generation writes into the copy, never into src/)"
  rm -rf -- "$src"; mkdir -p "$src"
  tar -C "$repo" --exclude='bin' --exclude='obj' --exclude='Internal/Generated' \
    -cf - Directory.Build.props Directory.Packages.props src | tar -C "$src" -xf -
  [[ -f "$repo/NuGet.config" ]] && cp "$repo/NuGet.config" "$src/"
  log "building the host (Release)"
  (cd "$src" && dotnet build src/Host/Portal.Host.csproj -c Release >"$work/build.log" 2>&1) \
    || { grep -E "error|Error" "$work/build.log" | tail -n 20 >&2; die "build failed (log: $work/build.log)"; }
  log "generating Wolverine and Marten code (codegen write)"
  (cd "$src" && ConnectionStrings__Portal="Host=unused;Database=unused" \
    dotnet run --project src/Host/Portal.Host.csproj -c Release --no-build --no-launch-profile -- codegen write >"$work/codegen.log" 2>&1) \
    || { grep -v -E "^Searching|PublicKeyToken|for commands|^commands" "$work/codegen.log" | tail -n 40 >&2
         die "codegen write failed (log: $work/codegen.log)"; }
  # ReadyToRun, as the Dockerfile publishes: the assemblies Portal.Host.csproj selects compiled ahead of time (start).
  case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
  log "publishing the host (Release, ReadyToRun $rid) to $app"
  rm -rf -- "$app"
  (cd "$src" && dotnet publish src/Host/Portal.Host.csproj -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$app" >"$work/publish.log" 2>&1) \
    || { tail -n 40 "$work/publish.log" >&2; die "publish failed (log: $work/publish.log)"; }
  log "building the benchmark program (Release)"
  dotnet build bench/Portal.Benchmark/Portal.Benchmark.csproj -c Release -o "$work/runner" >"$work/runner-build.log" 2>&1 \
    || { tail -n 40 "$work/runner-build.log" >&2; die "benchmark build failed (log: $work/runner-build.log)"; }
fi

# --- run ------------------------------------------------------------------------------------
log "running the benchmark"
# In the background with 'wait', so that Ctrl-C or a SIGTERM to this script runs the cleanup at once.
dotnet "$work/runner/Portal.Benchmark.dll" \
  --app "$app" --conn "$conn" --pgbin "$pgbin" --pg-port "$port" --host-pidfile "$host_pidfile" \
  --lua "$repo/bench/wrk" --results "$repo/bench/results" "${bench_args[@]}" &
runner_pid=$!
wait "$runner_pid"
