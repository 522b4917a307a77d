#!/usr/bin/env bash
# The session path on this machine, side by side in one run: embedded (one process), then cluster mode through a separate
# front door with one silo and with two silos (same PostgreSQL, Redis and simulator settings), then the time until
# sessions answer again after kill -9 of a silo. PostgreSQL and Redis come from Debian's packages and run in a temp folder on loopback ports.
# Usage: bash bench/cluster.sh [bench options, e.g. --concurrency 16 --requests 800 --ttft-ms 20 --itl-ms 2 --tokens 32]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q -nologo >/dev/null

. bench/cluster-env.sh

# Embedded first, before the cluster settings below are exported: the bench hosts the embedded grid in its own process.
echo; echo "=== embedded (one process: silo + front door)"
dotnet bench/AgentGrid.Bench/bin/Release/net10.0/AgentGrid.Bench.dll --suite sessions "$@" \
  | sed '/^AgentGrid is running/,/^Press Ctrl+C/d; /^AgentGrid bench/d'

cluster_settings

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
