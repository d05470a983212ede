#!/usr/bin/env bash
# Publishes the gateway as it was at COMMIT into artifacts/builds/<commit> (once: a commit's build does not change)
# and prints the path of its Switchboard.dll. Used by bench/builds.sh and by bench/run.sh --reference.
#
#   bash bench/publish-build.sh COMMIT
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { sed -n '2,5p' "$0" >&2; exit 2; }
repo=$PWD
commit=$(git rev-parse --short=7 "$1^{commit}")
out=$repo/artifacts/builds/$commit
if [ ! -f "$out/Switchboard.dll" ]; then
    echo "publishing $commit ($1)" >&2
    work=$(mktemp -d)
    trap 'git -C "$repo" worktree remove --force "$work/src" 2>/dev/null || true; git -C "$repo" worktree prune; rm -rf "$work"' EXIT
    git worktree add -q --detach "$work/src" "$commit"
    dotnet publish "$work/src/src/Switchboard" -c Release -o "$out" > "$work/publish.log" 2>&1 \
        || { tail -20 "$work/publish.log" >&2; rm -rf "$out"; exit 1; }
fi
echo "$out/Switchboard.dll"
