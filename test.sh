#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "N passed, N failed".
# Tests start real Kestrel servers on loopback (gateway and upstream simulator) and a headless Chromium.
set -uo pipefail
cd "$(dirname "$0")"

# The web app's tests drive Debian's Chromium through Playwright, which never downloads a browser of its own.
if [ -z "${SWITCHBOARD_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  echo "installing chromium with apt-get (for the web app's browser tests)"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# The PostgreSQL tests run against a throwaway server of their own (a Unix socket, no TCP port), unless
# SWITCHBOARD_TEST_POSTGRES already names one. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
pgdir=""
stop_postgres() {
  if [ -n "$pgdir" ]; then
    "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
}
if [ -z "${SWITCHBOARD_TEST_POSTGRES:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pgbin" ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    echo "installing postgresql with apt-get (for the PostgreSQL tests)"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pgdir=$(mktemp -d)
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pgdir"
    as_postgres=(runuser -u postgres --)
  fi
  port=$((20000 + RANDOM % 20000))
  "${as_postgres[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U switchboard >/dev/null
  "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-k $pgdir -p $port -c listen_addresses='' -c fsync=off" start >/dev/null
  export SWITCHBOARD_TEST_POSTGRES="Host=$pgdir;Port=$port;Username=switchboard;Database=postgres"
fi

log=$(mktemp)
trap 'rm -f "$log"; stop_postgres' EXIT

dotnet test Switchboard.slnx -c Release --blame-hang-timeout 5m 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed! - Failed: N, Passed: N, ..." line per test assembly.
passed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Passed: +[0-9]+' | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Failed: +[0-9]+' | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or the test host failed before any test could report
fi
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ]; then
  exit 1
fi
exit "$status"
