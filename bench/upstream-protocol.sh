#!/usr/bin/env bash
# The gateway reaching the simulator over HTTP/1.1 against cleartext HTTP/2, same build, same machine, interleaved:
# saturated throughput and CPU per request (wrk, 64 connections) and latency one request at a time, then allocation
# per request, one request at a time.
# Uses what `bash bench/run.sh` published to artifacts/bench (run that first), through bench/side-by-side.sh. See
# docs/benchmarks.md, "Upstream protocol".
#
#   bash bench/upstream-protocol.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-4}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/side-by-side.sh
start_simulator
start_gateway http1 artifacts/bench/gateway/Switchboard.dll false
start_gateway h2c artifacts/bench/gateway/Switchboard.dll true

allocated() { curl -s -H "Authorization: Bearer $management" "$1/api/v1/admin/runtime" | python3 -c 'import json,sys; print(json.load(sys.stdin)["allocated_bytes"])'; }

echo "warming up (30 s each)"
for protocol in http1 h2c; do wrk -t2 -c64 -d30s -s "$work/$protocol.lua" "${url[$protocol]}/api/v1/chat/completions" > /dev/null; done
for round in $(seq "$rounds"); do
    for protocol in http1 h2c; do
        before=$(cpu "${gateway[$protocol]}")
        out=$(wrk -t2 -c64 -d10s --latency -s "$work/$protocol.lua" "${url[$protocol]}/api/v1/chat/completions")
        after=$(cpu "${gateway[$protocol]}")
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        printf 'round %s %-5s %8.0f req/s   p50 %8s   CPU %4d us/request\n' "$round" $protocol \
            "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
            $(( (after - before) * 10000 / requests ))
    done
    for protocol in http1 h2c; do
        out=$(wrk -t1 -c1 -d5s --latency -s "$work/$protocol.lua" "${url[$protocol]}/api/v1/chat/completions")
        printf 'round %s %-5s one at a time   p50 %8s   p99 %8s\n' "$round" $protocol \
            "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
    done
done
for protocol in http1 h2c; do
    # The runtime's allocation count is not exact across a collection: a turn that reads less at its end than at
    # its start is measured again (the bench drops such rounds the same way).
    for _ in 1 2 3; do
        before=$(allocated "${url[$protocol]}")
        requests=$(wrk -t1 -c1 -d8s -s "$work/$protocol.lua" "${url[$protocol]}/api/v1/chat/completions" | awk '/requests in/ {print $1}')
        after=$(allocated "${url[$protocol]}")
        [ "$after" -gt "$before" ] && break
    done
    printf 'one at a time %-5s %6d B allocated/request\n' $protocol $(( (after - before) / requests ))
done
