#!/usr/bin/env bash
# Builds of the gateway from different commits, side by side on the same machine, interleaved: saturated throughput
# and CPU per request (wrk, 64 connections), then latency one request at a time. For telling what a change of code
# cost from what a change of machine did, which figures from runs days apart cannot. Each commit is published once
# to artifacts/builds/<commit>; the simulator is the one `bash bench/run.sh` published to artifacts/bench (run that
# first). See docs/benchmarks.md, "Builds side by side".
#
#   bash bench/builds.sh [--rounds N] COMMIT [COMMIT...]     e.g. bash bench/builds.sh 678042e HEAD
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=4
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
if [ $# -lt 1 ]; then sed -n '2,8p' "$0"; exit 2; fi
repo=$PWD
artifacts=$repo/artifacts
work=$(mktemp -d)
management=sk-sb-v1-be4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4c
pids=()
cleanup() {
    kill "${pids[@]}" 2>/dev/null || true
    git -C "$repo" worktree prune
    rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 150); do curl -s -o /dev/null "$1" && return; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

[ -f "$artifacts/bench/simulator/Switchboard.Simulator.dll" ] || { echo "run bash bench/run.sh first: it publishes the simulator" >&2; exit 1; }

# One published gateway per commit, kept across runs (a commit's build does not change).
builds=()
for rev in "$@"; do
    commit=$(git rev-parse --short=7 "$rev^{commit}")
    out=$artifacts/builds/$commit
    if [ ! -f "$out/Switchboard.dll" ]; then
        echo "publishing $commit ($rev)"
        git worktree add -q --detach "$work/src-$commit" "$commit"
        dotnet publish "$work/src-$commit/src/Switchboard" -c Release -o "$out" > "$work/publish-$commit.log" 2>&1 \
            || { tail -20 "$work/publish-$commit.log"; exit 1; }
        git worktree remove --force "$work/src-$commit"
    fi
    builds+=("$commit")
done

sim1=$(port); sim2=$(port)
dotnet "$artifacts/bench/simulator/Switchboard.Simulator.dll" --urls "http://127.0.0.1:$sim1" --h2c-urls "http://127.0.0.1:$sim2" --no-record \
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
# The floor every build is compared with: the simulator itself, over HTTP/1.1, as the bench's direct target.
url[direct]=http://127.0.0.1:$sim1/sim
cat > "$work/direct.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"model":"echo","messages":[{"role":"user","content":"Say something short. <simulator>{\"tokens\":8}</simulator>"}]}]]
EOF

# Every build as the bench runs its gateway: SQLite in a fresh directory, h2c to the simulator, warnings only.
for build in "${builds[@]}"; do
    p=$(port)
    env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        Switchboard__CatalogPath="$work/catalog.json" Switchboard__Demo=false \
        Switchboard__Providers__sim__BaseUrl="http://127.0.0.1:$sim2/sim/v1" Switchboard__Providers__sim__Http2=true \
        Switchboard__Database__DataDirectory="$work/data-$build" Switchboard__Admin__InitialManagementKey=$management \
        Switchboard__Admin__InitialCredits=1000000 \
        dotnet "$artifacts/builds/$build/Switchboard.dll" --urls "http://127.0.0.1:$p" > "$work/$build.log" 2>&1 & pids+=($!)
    gateway[$build]=$!
    url[$build]=http://127.0.0.1:$p
    wait_for "${url[$build]}/healthz"
    key=$(curl -sf -X POST -H "Authorization: Bearer $management" -H 'Content-Type: application/json' -d '{"name":"builds"}' \
        "${url[$build]}/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
    cat > "$work/$build.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
wrk.body = [[{"model":"bench/echo","messages":[{"role":"user","content":"Say something short. <simulator>{\"tokens\":8}</simulator>"}]}]]
EOF
done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks (100 a second)

# One wrk turn against a build: requests/s, p50, p99, the gateway's CPU per request. A turn with any error or non-2xx
# answer stops the run: a build that refuses requests would look fast.
turn() {
    local build=$1 connections=$2 seconds=$3 before after out requests threads=1
    [ "$connections" -gt 1 ] && threads=2
    local path=/api/v1/chat/completions pid=${gateway[$build]:-}
    [ "$build" = direct ] && path=/v1/chat/completions
    before=$([ -n "$pid" ] && cpu "$pid" || echo 0)
    out=$(wrk -t$threads -c"$connections" -d"${seconds}s" --latency -s "$work/$build.lua" "${url[$build]}$path")
    after=$([ -n "$pid" ] && cpu "$pid" || echo 0)
    if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "$out" >&2; echo "build $build answered with errors" >&2; exit 1; fi
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    printf '%-9s %3s conn  %8.0f req/s   p50 %9s   p99 %9s' "$build" "$connections" \
        "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
        "$(echo "$out" | awk '$1 == "99%" {print $2}')"
    if [ -n "$pid" ]; then printf '   CPU %4d us/request' $(( (after - before) * 10000 / requests )); fi
    printf '\n'
}

echo "warming up (15 s saturated, 5 s sequential each)"
for build in "${builds[@]}"; do turn "$build" 64 15 > /dev/null; turn "$build" 1 5 > /dev/null; done
for round in $(seq "$rounds"); do
    echo "round $round"
    for build in direct "${builds[@]}"; do turn "$build" 64 6; done
    for build in direct "${builds[@]}"; do turn "$build" 1 5; done
done
