#!/usr/bin/env bash
# The gateway reaching the simulator over HTTP/1.1 against cleartext HTTP/2, same build, same machine, interleaved:
# saturated throughput and CPU per request (wrk, 64 connections), then allocation per request, one request at a time.
# Uses what `bash bench/run.sh` published to artifacts/bench (run that first). See docs/benchmarks.md, "Upstream protocol".
#
#   bash bench/upstream-protocol.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-4}
artifacts=$PWD/artifacts/bench
work=$(mktemp -d)
management=sk-sb-v1-be4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4c
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 150); do curl -s -o /dev/null "$1" && return; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

sim1=$(port); sim2=$(port)
dotnet "$artifacts/simulator/Switchboard.Simulator.dll" --urls "http://127.0.0.1:$sim1" --h2c-urls "http://127.0.0.1:$sim2" --no-record \
    > "$work/simulator.log" 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$sim1/"

# The bench's catalog: one keyless provider "sim" serving bench/echo, priced, so credits are reserved and settled.
cat > "$work/catalog.json" <<'EOF'
{"updated":"2026-01-01","providers":[{"slug":"sim","name":"Simulator","base_url":"http://127.0.0.1:1/sim/v1","protocol":"openai",
 "api_key_env":null,"api_key_optional":true,"enabled":true,"collects_data":false,"headquarters":null,"datacenters":[],
 "privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null}],
 "models":[{"id":"bench/echo","canonical_slug":"bench/echo","hugging_face_id":null,"name":"Bench","created":"2026-01-01",
 "description":"Benchmark model.","context_length":32768,"input_modalities":["text"],"output_modalities":["text"],"tokenizer":"Other",
 "instruct_type":null,"knowledge_cutoff":null,"endpoints":[{"provider":"sim","upstream_model":"echo","context_length":32768,
 "max_completion_tokens":null,"quantization":null,"pricing":{"prompt":0.1,"completion":0.2},"supported_parameters":["max_tokens"]}]}]}
EOF

declare -A url gateway
for protocol in http1 h2c; do
    p=$(port)
    if [ $protocol = h2c ]; then upstream=$sim2; http2=true; else upstream=$sim1; http2=false; fi
    env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        Switchboard__CatalogPath="$work/catalog.json" Switchboard__Demo=false \
        Switchboard__Providers__sim__BaseUrl="http://127.0.0.1:$upstream/sim/v1" Switchboard__Providers__sim__Http2=$http2 \
        Switchboard__Database__DataDirectory="$work/$protocol" Switchboard__Admin__InitialManagementKey=$management \
        Switchboard__Admin__InitialCredits=1000000 \
        dotnet "$artifacts/gateway/Switchboard.dll" --urls "http://127.0.0.1:$p" > "$work/$protocol.log" 2>&1 & pids+=($!)
    gateway[$protocol]=$!
    url[$protocol]=http://127.0.0.1:$p
    wait_for "${url[$protocol]}/healthz"
    key=$(curl -sf -X POST -H "Authorization: Bearer $management" -H 'Content-Type: application/json' -d '{"name":"ab"}' \
        "${url[$protocol]}/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
    cat > "$work/$protocol.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
wrk.body = [[{"model":"bench/echo","messages":[{"role":"user","content":"Say something short. <simulator>{\"tokens\":8}</simulator>"}]}]]
EOF
done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks (100 a second)
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
