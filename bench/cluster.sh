#!/usr/bin/env bash
# The session path on this machine, side by side in one run: embedded (one process), then cluster mode through a separate
# front door with one silo and with two silos (same PostgreSQL, Redis and simulator settings), then the time until
# sessions answer again after kill -9 of a silo. PostgreSQL and Redis come from Debian's packages and run in a temp folder on loopback ports.
# Usage: bash bench/cluster.sh [bench options, e.g. --concurrency 16 --requests 800 --ttft-ms 20 --itl-ms 2 --tokens 32]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q -nologo >/dev/null

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
[ "$(id -u)" = 0 ] && chown postgres "$work"

as_pg "$pg_bin/initdb" -D "$work/pg" -U agentgrid --auth=trust --no-sync >/dev/null
as_pg "$pg_bin/postgres" -D "$work/pg" -p 55432 -k "$work" -c listen_addresses=127.0.0.1 -c fsync=off >"$work/pg.log" 2>&1 & pids+=($!)
redis-server --port 56379 --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)
until psql -h 127.0.0.1 -p 55432 -U agentgrid -d postgres -qc "select 1" >/dev/null 2>&1; do sleep 0.2; done

# Embedded first, before the cluster settings below are exported: the bench hosts the embedded grid in its own process.
echo; echo "=== embedded (one process: silo + front door)"
dotnet bench/AgentGrid.Bench/bin/Release/net10.0/AgentGrid.Bench.dll --suite sessions "$@" \
  | sed '/^AgentGrid is running/,/^Press Ctrl+C/d; /^AgentGrid bench/d'

export AgentGrid__Mode=Cluster AgentGrid__Cluster__Redis=127.0.0.1:56379 AgentGrid__Cluster__ProbeTimeout=00:00:01
export AgentGrid__Cluster__GrainCallTimeout=00:00:30
export AgentGrid__Inference__Models__bench__BaseUrl=http://127.0.0.1:18000/v1 AgentGrid__Inference__Models__bench__Model=agentgrid-simulator
# Each silo also runs the built-in simulator (model "simulator"), used by the recovery step once the bench has ended.
export AgentGrid__Inference__UseSimulator=true AgentGrid__Inference__DefaultModel=bench
export Logging__LogLevel__Default=Warning
# The front door's key hash secret and bootstrap admin key, as a cluster's secrets would give them.
export AgentGrid__Auth__HashKey=$(head -c 32 /dev/urandom | base64) AgentGrid__Auth__BootstrapKey="agk_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export AGENTGRID_API_KEY=$AgentGrid__Auth__BootstrapKey
auth=(-H "Authorization: Bearer $AGENTGRID_API_KEY")
silo=silo/AgentGrid.Silo/bin/Release/net10.0/agentgrid-silo.dll
frontdoor=client/AgentGrid.FrontDoor.Host/bin/Release/net10.0/agentgrid-frontdoor.dll
bench=bench/AgentGrid.Bench/bin/Release/net10.0/AgentGrid.Bench.dll

start_silo() { # name silo-port gateway-port http-port
  AgentGrid__Gpu__NodeId=$1 AgentGrid__Cluster__SiloPort=$2 AgentGrid__Cluster__GatewayPort=$3 Urls=http://127.0.0.1:$4 \
    dotnet $silo >"$work/silo-$1.log" 2>&1 & pids+=($!)
  until curl -sf "http://127.0.0.1:$4/healthz" >/dev/null; do sleep 0.2; done
}
start_frontdoor() { Urls=http://127.0.0.1:5300 dotnet $frontdoor >"$work/frontdoor.log" 2>&1 & pids+=($!); until curl -sf http://127.0.0.1:5300/readyz >/dev/null; do sleep 0.2; done; }
fresh_database() {
  psql -h 127.0.0.1 -p 55432 -U agentgrid -d postgres -qc "drop database if exists agentgrid" -c "create database agentgrid"
  redis-cli -p 56379 flushall >/dev/null
}
stop_grid() { for p in "${pids[@]:2}"; do kill "$p" 2>/dev/null || true; done; wait "${pids[@]:2}" 2>/dev/null || true; pids=("${pids[@]:0:2}"); }
export "AgentGrid__Cluster__Postgres=Host=127.0.0.1;Port=55432;Database=agentgrid;Username=agentgrid"

for silos in 1 2; do
  fresh_database
  start_silo s1 11201 30201 5101
  [ "$silos" = 2 ] && start_silo s2 11202 30202 5102
  start_frontdoor
  echo; echo "=== cluster mode, $silos silo(s), separate front door"
  dotnet $bench --suite sessions --grid-url http://127.0.0.1:5300 --simulator-port 18000 "$@" | grep -v "^AgentGrid bench"
  if [ "$silos" = 2 ]; then
    # Recovery: 8 sessions, kill -9 the second silo, time until every session answers again.
    agent=$(curl -s "${auth[@]}" -XPOST http://127.0.0.1:5300/api/agents -H 'content-type: application/json' -d '{"name":"recovery","model":"simulator"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
    sessions=()
    for i in 1 2 3 4 5 6 7 8; do
      s=$(curl -s "${auth[@]}" -XPOST http://127.0.0.1:5300/api/sessions -H 'content-type: application/json' -d "{\"agentId\":\"$agent\"}" | sed -E 's/.*"id":"([^"]+)".*/\1/')
      curl -sf "${auth[@]}" -o /dev/null -XPOST "http://127.0.0.1:5300/api/sessions/$s/messages" -H 'content-type: application/json' -d '{"content":"hello"}'
      sessions+=("$s")
    done
    kill -9 "${pids[3]}"
    start=$(date +%s.%N)
    # Each session retries on its own, as a client would: an attempt that hangs (it went through the dead silo's
    # gateway) is given up after 5 s and sent again, with the same messageId so the message is stored once.
    retries=()
    for s in "${sessions[@]}"; do
      ( timeout 120 bash -c 'until curl -sf -m 5 -H "Authorization: Bearer $AGENTGRID_API_KEY" -o /dev/null -XPOST "http://127.0.0.1:5300/api/sessions/$0/messages" -H "content-type: application/json" -d "{\"content\":\"still there?\",\"messageId\":\"recovery-check\"}"; do sleep 0.1; done' "$s" || exit 1
        awk "BEGIN { printf \"%.2f\\n\", $(date +%s.%N) - $start }" >"$work/recovered-$s" ) & retries+=($!)
    done
    wait "${retries[@]}" || true
    ls "$work"/recovered-* >/dev/null 2>&1 || { echo "recovery: no session answered within 120 s" >&2; exit 1; }
    sort -n "$work"/recovered-* | awk '{ t[NR] = $1 } END { printf "recovery after kill -9 of one of two silos (%d of 8 sessions): answering again after min %.1f s, median %.1f s, max %.1f s\n", NR, t[1], t[int((NR + 1) / 2)], t[NR] }'
  fi
  stop_grid
done
