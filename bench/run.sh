#!/usr/bin/env bash
# Switchboard benchmark, one command:  bash bench/run.sh [--quick] [options]
#
# Installs nginx, wrk, Node.js and PostgreSQL with apt-get if they are missing and Portkey's gateway with npm ci
# (pinned by bench/portkey/package-lock.json), publishes the gateway and the simulator in Release to artifacts/bench/,
# then runs bench/Switchboard.Bench, which starts the simulator, nginx, the gateway and Portkey on loopback
# ports, measures, prints the summary table and the targets, and writes bench/results/<time>.txt. It exits
# non-zero when the run fails or a target is missed.
# Options are passed through to the runner; `bash bench/run.sh --help` lists them. See docs/benchmarks.md.
# One is this script's own: --reference COMMIT publishes the gateway of COMMIT (bench/publish-build.sh) and measures
# it as the target switchboard-reference, beside this tree's; add that target to --targets.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

args=()
reference=""
while (($# > 0)); do
    if [[ "$1" == --reference ]]; then
        [[ $# -ge 2 ]] || { echo "--reference needs a commit" >&2; exit 2; }
        reference=$2
        shift 2
    else
        args+=("$1")
        shift
    fi
done

# nginx lives in /usr/sbin, which is not on every user's PATH.
find_nginx() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }

missing=()
[[ -n "$(find_nginx)" ]] || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
    echo "installing ${missing[*]} with apt-get"
    "${sudo[@]}" apt-get update -qq
    # Debian's packaging may start a system nginx on port 80; the bench runs its own on a free loopback port.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nginx="$(find_nginx)"

out="$repo/artifacts/bench"

# Portkey: reinstalled only when the pinned lock file changes. --ignore-scripts skips the package's postinstall
# (patch-package, which has nothing to patch in the published build).
portkey="$out/portkey"
if ! cmp -s bench/portkey/package-lock.json "$portkey/package-lock.json" || [[ ! -d "$portkey/node_modules" ]]; then
    echo "installing Portkey's gateway with npm ci into $portkey"
    rm -rf "$portkey"
    mkdir -p "$portkey"
    cp bench/portkey/package.json bench/portkey/package-lock.json "$portkey/"
    (cd "$portkey" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
cp bench/portkey/loopback.mjs "$portkey/"

# Scenario (d) holds thousands of connections open at once; every process started from here inherits this.
hard_limit="$(ulimit -Hn)"
[[ "$hard_limit" == unlimited ]] && hard_limit=1048576
ulimit -n "$hard_limit"

echo "publishing gateway and simulator (Release) to $out"
dotnet publish src/Switchboard.Simulator -c Release -o "$out/simulator" --nologo -v quiet --disable-build-servers
dotnet publish src/Switchboard -c Release -o "$out/gateway" --nologo -v quiet --disable-build-servers
dotnet build bench/Switchboard.Bench -c Release -o "$out/runner" --nologo -v quiet --disable-build-servers
if [[ -n "$reference" ]]; then
    args+=(--reference-gateway "$(bash bench/publish-build.sh "$reference")")
fi

# Phase (f) measures the journal on PostgreSQL too: on a throwaway server with PostgreSQL's default durability
# (fsync and synchronous commit on, as in production). A --journal-postgres given to this script names another
# server instead, since the runner takes the last value given.
source tools/throwaway-postgres.sh
trap stop_throwaway_postgres EXIT
start_throwaway_postgres
postgres=(--journal-postgres "$THROWAWAY_POSTGRES")

# The runner runs in the background and this script forwards Ctrl+C and SIGTERM to it, so it can stop its child
# processes, and then stops PostgreSQL.
dotnet "$out/runner/Switchboard.Bench.dll" \
    --gateway "$out/gateway/Switchboard.dll" \
    --simulator "$out/simulator/Switchboard.Simulator.dll" \
    --results-dir "$repo/bench/results" \
    --nginx "$nginx" \
    --portkey "$portkey" \
    "${postgres[@]}" \
    "${args[@]}" &
runner=$!
trap 'kill -TERM "$runner" 2>/dev/null' INT TERM
status=0
wait "$runner" || status=$?
while kill -0 "$runner" 2>/dev/null; do
    wait "$runner" || status=$?
done
exit "$status"
