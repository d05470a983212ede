#!/usr/bin/env bash
# Switchboard benchmark, one command:  bash bench/run.sh [--quick] [options]
#
# Installs nginx and wrk with apt-get if they are missing, publishes the gateway and the simulator in
# Release to artifacts/bench/, then runs bench/Switchboard.Bench, which starts the simulator, nginx and
# the gateway on loopback ports, measures, prints the summary table and writes bench/results/<time>.txt.
# Options are passed through to the runner; `bash bench/run.sh --help` lists them. See docs/benchmarks.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# nginx lives in /usr/sbin, which is not on every user's PATH.
find_nginx() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }

missing=()
[[ -n "$(find_nginx)" ]] || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
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
echo "publishing gateway and simulator (Release) to $out"
dotnet publish src/Switchboard.Simulator -c Release -o "$out/simulator" --nologo -v quiet --disable-build-servers
dotnet publish src/Switchboard -c Release -o "$out/gateway" --nologo -v quiet --disable-build-servers
dotnet build bench/Switchboard.Bench -c Release -o "$out/runner" --nologo -v quiet --disable-build-servers

# Run the built runner directly rather than through `dotnet run`, so Ctrl+C and SIGTERM reach it and it can
# stop its child processes.
exec dotnet "$out/runner/Switchboard.Bench.dll" \
    --gateway "$out/gateway/Switchboard.dll" \
    --simulator "$out/simulator/Switchboard.Simulator.dll" \
    --results-dir "$repo/bench/results" \
    --nginx "$nginx" \
    "$@"
