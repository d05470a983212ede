#!/usr/bin/env bash
# Builds of the gateway from different commits, saturated in turn (wrk, 64 connections), each turn followed by the
# wait until the build's journal has written every generation of the turn to its SQLite file. Prints, per turn, how
# many generations were still unwritten when wrk stopped, how long the journal took to catch up, and the gateway's CPU
# per request over the turn alone and over the turn plus its catch-up. A build whose journal falls behind looks
# cheaper in a throughput figure than it is: the work it deferred runs after the turn, on the next target's time.
# See docs/benchmarks.md, "Builds side by side". Publishes each commit as bench/builds.sh does; the simulator is the
# one `bash bench/run.sh` published to artifacts/bench (run that first).
#
#   bash bench/journal-lag.sh [--rounds N] COMMIT [COMMIT...]     e.g. bash bench/journal-lag.sh 741b5b0 HEAD
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
if [ $# -lt 1 ]; then sed -n '2,10p' "$0"; exit 2; fi
command -v sqlite3 > /dev/null || { echo "needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/side-by-side.sh
start_simulator
start_builds "$@"

# Generation records in the build's store, read without a lock (SQLite's WAL lets a reader in beside the writer).
records() { sqlite3 "file:$work/data-$1/switchboard.db?mode=ro" 'SELECT count(*) FROM generations'; }

# One saturated turn and its catch-up. Every request of the turn makes one record, so the journal has caught up when
# the store holds as many more records as wrk made requests. A turn with any error stops the run: a build that
# refuses requests would look fast.
turn() {
    local build=$1 seconds=$2 pid=${gateway[$1]} before at_start at_end after out requests behind started waited
    before=$(records "$build")
    at_start=$(cpu "$pid")
    out=$(wrk -t2 -c64 -d"${seconds}s" -s "$work/$build.lua" "${url[$build]}/api/v1/chat/completions")
    at_end=$(cpu "$pid")
    if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "$out" >&2; echo "build $build answered with errors" >&2; exit 1; fi
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    behind=$(( before + requests - $(records "$build") ))
    started=$(date +%s%N)
    until [ "$(records "$build")" -ge $(( before + requests )) ]; do
        [ $(( $(date +%s%N) - started )) -lt 120000000000 ] || { echo "build $build: journal not caught up after 120 s" >&2; exit 1; }
        sleep 0.1
    done
    waited=$(( ($(date +%s%N) - started) / 1000000 ))
    after=$(cpu "$pid")
    printf '%-9s %8.0f req/s   unwritten at the end %7d   caught up after %6d ms   CPU %5.1f us/request, %5.1f with the catch-up\n' \
        "$build" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(( behind > 0 ? behind : 0 ))" "$waited" \
        "$(awk "BEGIN { print ($at_end - $at_start) * 10000 / $requests }")" "$(awk "BEGIN { print ($after - $at_start) * 10000 / $requests }")"
}

echo "warming up (10 s saturated each)"
for build in "${builds[@]}"; do turn "$build" 10 > /dev/null; done
for round in $(seq "$rounds"); do
    echo "round $round"
    for build in "${builds[@]}"; do turn "$build" 10; done
done
