#!/usr/bin/env bash
# Activity endpoints on a large SQLite store, one command:  bash bench/activity.sh [options]
#
#   --source DIR    the Switchboard source tree to build and measure (default: this repository), e.g. an older
#                   commit unpacked with `git archive <commit> | tar -x -C DIR`
#   --records N     generation records to insert (default 1000000), all of one account
#   --days N        spread over the last N UTC days (default 30)
#   --runs N        timed requests per endpoint, after one warm-up (default 5)
#
# Builds the gateway in Release into artifacts/activity-bench/, starts it on a fresh data directory (which creates
# the admin account and three inference keys), stops it and inserts the records with the sqlite3 CLI (several keys,
# models and providers, some requests no provider served). It then undoes the store's last migration
# (WebSettings, which added the daily_usage rollup) the way its Down() does, so the next start is an upgrade from
# the release before the rollup: the migration runs again and fills the rollup from the records, and the time to
# start is printed. Last, each endpoint is timed with curl: the median and fastest of --runs requests.
# Needs the .NET SDK, sqlite3 and curl.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$repo"
records=1000000
days=30
runs=5
while (($# > 0)); do
    case "$1" in
        --source) source_dir="$(cd "$2" && pwd)"; shift 2 ;;
        --records) records="$2"; shift 2 ;;
        --days) days="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done

out="$repo/artifacts/activity-bench"
bin="$out/bin-$(echo "$source_dir" | md5sum | cut -c1-8)"
data="$out/data"
db="$data/switchboard.db"
key="sk-sb-v1-$(printf '0123456789abcdef%.0s' {1..4})"
port=$((20000 + RANDOM % 20000))
url="http://127.0.0.1:$port"

echo "building $source_dir/src/Switchboard (Release) into $bin"
dotnet build "$source_dir/src/Switchboard" -c Release -o "$bin" -v quiet -nologo >/dev/null

gateway_pid=
stop_gateway() {
    if [[ -n "$gateway_pid" ]]; then
        kill "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
        gateway_pid=
    fi
}
trap stop_gateway EXIT

start_gateway() {
    local started=$EPOCHREALTIME
    Switchboard__Database__DataDirectory="$data" Switchboard__Admin__InitialManagementKey="$key" \
        Logging__LogLevel__Default=Warning dotnet "$bin/Switchboard.dll" --urls "$url" >>"$out/gateway.log" 2>&1 &
    gateway_pid=$!
    until curl -sf "$url/health" >/dev/null; do
        if ! kill -0 "$gateway_pid" 2>/dev/null; then
            echo "the gateway exited; see $out/gateway.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "gateway ready in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
}

rm -rf "$data" "$out/gateway.log"
mkdir -p "$data"
echo "first start: fresh store, admin account, three inference keys"
start_gateway
for name in web batch nightly; do
    curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{\"name\":\"$name\"}" "$url/api/v1/keys" >/dev/null
done
stop_gateway

account=$(sqlite3 "$db" "SELECT \"AccountId\" FROM api_keys WHERE \"Kind\" = 'Management' LIMIT 1")
keys=$(sqlite3 "$db" "SELECT group_concat(\"Id\") FROM api_keys WHERE \"AccountId\" = $account AND \"Kind\" = 'Inference'")
IFS=, read -r key1 key2 key3 <<<"$keys"
echo "inserting $records records of account $account over $days days"
insert_started=$(date +%s)
# Costs are whole nano-dollars written as decimal text, the form EF stores money in on SQLite.
sqlite3 "$db" >/dev/null <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $records),
r AS (
    -- h mixes the index so that key, model and provider vary independently of each other and of the day.
    SELECT i, h,
        strftime('%s', 'now') - (i % $days) * 86400 - (i * 7919 % 86400) AS at,
        CASE h % 3 WHEN 0 THEN $key1 WHEN 1 THEN $key2 ELSE $key3 END AS key,
        CASE h / 3 % 8 WHEN 0 THEN 'openai/gpt-4o-mini' WHEN 1 THEN 'openai/gpt-4o' WHEN 2 THEN 'anthropic/claude-sonnet-4'
            WHEN 3 THEN 'anthropic/claude-haiku-4' WHEN 4 THEN 'google/gemini-2.5-flash' WHEN 5 THEN 'google/gemini-2.5-pro'
            WHEN 6 THEN 'meta-llama/llama-3.3-70b-instruct' ELSE 'deepseek/deepseek-chat' END AS model,
        CASE WHEN h / 24 % 20 = 0 THEN NULL ELSE CASE h / 480 % 4 WHEN 0 THEN 'OpenAI' WHEN 1 THEN 'Anthropic' WHEN 2 THEN 'Google' ELSE 'Together' END END AS provider,
        (i % 997 + 1) * 123 AS nanos
    FROM (SELECT i, i * 2654435761 % 4294967296 AS h FROM n))
INSERT INTO generations ("Id", "AccountId", "ApiKeyId", "CreatedAt", "Day", "RequestedModel", "Model", "ProviderName", "ProviderSlug",
    "Attempts", "Status", "ErrorMessage", "TokensPrompt", "TokensCompletion", "TokensReasoning", "TokensCached", "TokensCacheWrite",
    "TokensEstimated", "Cost", "UpstreamCost", "IsByok", "LatencyMs", "Streamed", "Cancelled")
SELECT printf('gen-bench-%09d', i), $account, key, strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch'), strftime('%Y-%m-%d', at, 'unixepoch'),
    model, model, provider, lower(provider), '[]', CASE WHEN provider IS NULL THEN 502 ELSE 200 END,
    CASE WHEN provider IS NULL THEN 'Simulated upstream error' END,
    CASE WHEN provider IS NULL THEN 0 ELSE 50 + i % 900 END, CASE WHEN provider IS NULL THEN 0 ELSE 10 + i % 400 END,
    CASE WHEN i % 5 = 0 AND provider IS NOT NULL THEN i % 100 ELSE 0 END, 0, 0, 0,
    CASE WHEN provider IS NULL THEN '0.0' ELSE '0.' || printf('%09d', nanos) END,
    CASE WHEN i % 10 = 3 AND provider IS NOT NULL THEN '0.' || printf('%09d', nanos * 2) END,
    i % 10 = 3 AND provider IS NOT NULL, 300 + i % 2000, i % 2, 0
FROM r;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "inserted in $(($(date +%s) - insert_started)) s"

# WebSettings' Down(), so the next start applies it again as an upgrade would (its Up() fills daily_usage).
sqlite3 "$db" <<'SQL'
BEGIN;
DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_WebSettings';
DROP TABLE account_provider_keys;
DROP TABLE daily_usage;
DROP TABLE generation_contents;
DROP TABLE operator_settings;
DROP TABLE spend_alerts;
DROP INDEX "IX_accounts_SettingsUpdatedAt";
ALTER TABLE accounts DROP COLUMN "AlertThresholds";
ALTER TABLE accounts DROP COLUMN "AlertWebhookUrl";
ALTER TABLE accounts DROP COLUMN "CreditBaseline";
ALTER TABLE accounts DROP COLUMN "CreditBaselineAt";
ALTER TABLE accounts DROP COLUMN "DefaultModel";
ALTER TABLE accounts DROP COLUMN "ExcludeTrainingProviders";
ALTER TABLE accounts DROP COLUMN "SettingsUpdatedAt";
ALTER TABLE accounts DROP COLUMN "StorePrompts";
COMMIT;
SQL

echo "second start: upgrade (WebSettings migration applied to $records records)"
start_gateway
echo "daily_usage rows: $(sqlite3 "$db" 'SELECT count(*) FROM daily_usage')"

time_endpoint() {
    local path="$1" times
    curl -sf -o /dev/null -H "Authorization: Bearer $key" "$url$path" || { echo "GET $path failed" >&2; exit 1; }
    times=$(for _ in $(seq "$runs"); do
        curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $key" "$url$path"
    done | sort -n)
    printf '%-40s median %7.1f ms   fastest %7.1f ms\n' "GET $path" \
        "$(echo "$times" | sed -n "$(((runs + 1) / 2))p" | awk '{print $1 * 1000}')" "$(echo "$times" | head -1 | awk '{print $1 * 1000}')"
}

echo "timings ($runs runs each, after one warm-up):"
time_endpoint "/web/activity"
time_endpoint "/web/activity?group=key"
time_endpoint "/api/v1/activity"
time_endpoint "/web/generations"
