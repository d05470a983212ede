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
work=$(mktemp -d)
pids=()
cleanup() {
    kill "${pids[@]}" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
source bench/side-by-side.sh
start_simulator
# The floor every build is compared with: the simulator itself, over HTTP/1.1, as the bench's direct target.
url[direct]=http://127.0.0.1:$sim1/sim
cat > "$work/direct.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"model":"echo","messages":[{"role":"user","content":"Say something short. <simulator>{\"tokens\":8}</simulator>"}]}]]
EOF
# Every build as the bench runs its gateway, h2c to the simulator; published once per commit (a commit's build does
# not change).
start_builds "$@"

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
