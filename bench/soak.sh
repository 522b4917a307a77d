#!/usr/bin/env bash
# Failover under load: a 2-silo cluster behind a separate front door, continuous session turns from 32 clients, and a
# silo killed with SIGKILL every 12 s, 20 times (alternately, each restarted at once). The bench then reads every
# session back: nothing acknowledged may be lost or stored twice, and every failure a client saw must be a 503 with
# Retry-After. Usage: bash bench/soak.sh [--kills 20] [--every 12]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=20 every=12
while [ $# -gt 0 ]; do case "$1" in --kills) kills=$2; shift 2;; --every) every=$2; shift 2;; *) echo "unknown option $1" >&2; exit 2;; esac; done
dotnet build -c Release -v q -nologo >/dev/null
. bench/cluster-env.sh
cluster_settings
# This run's silos by node id (restarted ones, started in the background, are not in pids).
silo_pids() { for p in $(pgrep -f agentgrid-silo.dll); do if tr '\0' '\n' </proc/$p/environ 2>/dev/null | grep -qx "AgentGrid__Gpu__NodeId=$1" \
  && tr '\0' '\n' </proc/$p/environ 2>/dev/null | grep -qx "AgentGrid__Cluster__Redis=127.0.0.1:56379"; then echo $p; fi; done; }
trap 'kill -9 $(silo_pids s1) $(silo_pids s2) 2>/dev/null || true; cleanup' EXIT
fresh_database
start_silo s1 11201 30201 5101
start_silo s2 11202 30202 5102
start_frontdoor

duration=$((kills * every + 10))
dotnet $bench --suite soak --grid-url http://127.0.0.1:5300 --simulator-port 18000 --concurrency 32 --duration-s $duration \
  --ttft-ms 5 --itl-ms 1 --tokens 16 >"$work/soak.out" 2>&1 & load=$!
sleep 5
for i in $(seq 1 "$kills"); do
  sleep "$every"
  if [ $((i % 2)) = 1 ]; then victim=s1 ports=(11201 30201 5101); else victim=s2 ports=(11202 30202 5102); fi
  pid=$(silo_pids "$victim")
  kill -9 $pid
  echo "kill $i: $victim (pid $pid) at $(date +%T)"
  # Restarted in the background, so the kills keep their pace even while a silo takes its time to start.
  ( start_silo "$victim" "${ports[@]}" ) &
done
status=0
wait $load || status=$?
grep -v "^AgentGrid bench" "$work/soak.out"
exit $status
