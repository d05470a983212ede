#!/usr/bin/env bash
# Switchboard microbenchmarks (BenchmarkDotNet), one command:  bash bench/micro.sh [filter] [BenchmarkDotNet options]
#
# Builds bench/Switchboard.Microbench in Release and runs the benchmarks whose full name matches the filter
# (a glob, default '*'), e.g. 'SseForward*' or '*Routing*'. Anything after the filter goes to BenchmarkDotNet:
# '--job short' for a quick look, '--list flat' to list the benchmarks. Reports land in
# artifacts/microbench/results. See docs/benchmarks.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

filter="${1:-*}"
shift || true

dotnet build bench/Switchboard.Microbench -c Release --nologo -v quiet
dotnet bench/Switchboard.Microbench/bin/Release/net10.0/Switchboard.Microbench.dll \
    --inProcess --filter "$filter" --artifacts "$repo/artifacts/microbench" "$@"
