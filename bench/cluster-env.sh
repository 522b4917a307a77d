# Shared by bench/cluster.sh and bench/soak.sh (sourced): PostgreSQL and Redis from Debian's packages in a temp folder on
# loopback ports, the cluster's settings, and functions to start silos and the front door. Process ids go in pids.
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

# The cluster's settings and helpers; cluster.sh first runs the embedded grid, which must not see them.
cluster_settings() {
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
}
