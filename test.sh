#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "N passed, N failed".
# Tests start real Kestrel servers on loopback (gateway and upstream simulator) and a headless Chromium.
set -uo pipefail
cd "$(dirname "$0")"

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
apt_updated=
apt_update() {
  if [ -z "$apt_updated" ]; then
    "${sudo[@]}" apt-get update -qq
    apt_updated=1
  fi
}
apt_install() {
  apt_update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The web app's tests drive Debian's Chromium through Playwright, which never downloads a browser of its own.
if [ -z "${SWITCHBOARD_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium with apt-get (for the web app's browser tests)"
  apt_install chromium
fi

# The client conformance suite (tests/clients) runs the real npm clients under Node.js, installed exactly as its
# package-lock pins them. npm ci runs here, not inside a test's timeout, and only when the install is missing or
# older than the lockfile. (NodeSource's nodejs bundles npm; Debian's does not, hence the second step.)
if ! command -v node >/dev/null 2>&1; then
  echo "installing nodejs with apt-get (for the client conformance suite)"
  apt_install nodejs
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing npm with apt-get (for the client conformance suite)"
  apt_install npm
fi
if [ ! -e tests/clients/node_modules/.package-lock.json ] || [ tests/clients/package-lock.json -nt tests/clients/node_modules/.package-lock.json ]; then
  echo "installing the npm clients of tests/clients (npm ci)"
  (cd tests/clients && npm ci --no-audit --no-fund) || echo "npm ci failed in tests/clients: the client conformance tests will report it"
fi

# A real Prometheus scrapes the gateway in one telemetry test. Only its binary is needed, so Debian's package is
# unpacked into a cache, not installed: installing it would also start a Prometheus daemon from its init script.
if [ -z "${SWITCHBOARD_PROMETHEUS:-}" ]; then
  if command -v prometheus >/dev/null 2>&1; then
    SWITCHBOARD_PROMETHEUS=$(command -v prometheus)
  else
    prometheus_root="${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/prometheus"
    if [ ! -x "$prometheus_root/usr/bin/prometheus" ]; then
      echo "unpacking Debian's prometheus into $prometheus_root (for the metrics scrape test)"
      apt_update
      download=$(mktemp -d)
      mkdir -p "$prometheus_root"
      (cd "$download" && apt-get download -qq prometheus 2>/dev/null) && dpkg-deb -x "$download"/prometheus_*.deb "$prometheus_root" \
        || echo "could not unpack prometheus: the metrics scrape test will report it"
      rm -rf "$download"
    fi
    SWITCHBOARD_PROMETHEUS="$prometheus_root/usr/bin/prometheus"
  fi
  export SWITCHBOARD_PROMETHEUS
fi

# The PostgreSQL tests run against a throwaway server of their own, unless SWITCHBOARD_TEST_POSTGRES already
# names one. Durability is not under test there, so the server skips fsync.
source tools/throwaway-postgres.sh
log=$(mktemp)
trap 'rm -f "$log"; stop_throwaway_postgres' EXIT
if [ -z "${SWITCHBOARD_TEST_POSTGRES:-}" ]; then
  start_throwaway_postgres -c fsync=off
  export SWITCHBOARD_TEST_POSTGRES="$THROWAWAY_POSTGRES"
fi

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
