# Sourced by test.sh and bench/run.sh: starts a throwaway PostgreSQL server on a Unix socket (no TCP port) in a
# temporary directory, installing PostgreSQL with apt-get when it is missing. PostgreSQL refuses to run as root, so
# as root the server runs as `postgres`.
#
#   start_throwaway_postgres [server options...]   sets THROWAWAY_POSTGRES to a connection string (user switchboard,
#                                                  database postgres, trust authentication)
#   stop_throwaway_postgres                        stops it and deletes its directory (safe to call twice)

_throwaway_pgdir=""
_throwaway_as_postgres=()

start_throwaway_postgres() {
  local pgbin sudo=() port
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pgbin" ]; then
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    echo "installing postgresql with apt-get"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  _throwaway_pgbin="$pgbin"
  _throwaway_pgdir=$(mktemp -d)
  _throwaway_as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$_throwaway_pgdir"
    _throwaway_as_postgres=(runuser -u postgres --)
  fi
  port=$((20000 + RANDOM % 20000))
  "${_throwaway_as_postgres[@]}" "$pgbin/initdb" -D "$_throwaway_pgdir/data" -A trust -U switchboard >/dev/null
  "${_throwaway_as_postgres[@]}" "$pgbin/pg_ctl" -D "$_throwaway_pgdir/data" -l "$_throwaway_pgdir/server.log" -w \
    -o "-k $_throwaway_pgdir -p $port -c listen_addresses='' -c max_connections=300 $*" start >/dev/null
  THROWAWAY_POSTGRES="Host=$_throwaway_pgdir;Port=$port;Username=switchboard;Database=postgres"
}

stop_throwaway_postgres() {
  if [ -n "$_throwaway_pgdir" ]; then
    "${_throwaway_as_postgres[@]}" "$_throwaway_pgbin/pg_ctl" -D "$_throwaway_pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$_throwaway_pgdir"
    _throwaway_pgdir=""
  fi
}
