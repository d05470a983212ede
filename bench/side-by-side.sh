# Sourced by bench/upstream-protocol.sh, bench/builds.sh and bench/journal-lag.sh, which compare gateways side by side
# outside the bench runner: the simulator `bash bench/run.sh` published, and gateways configured as the runner
# configures its own (SQLite in a fresh directory, the priced bench/echo model on a keyless provider, warnings only).
# The caller is at the repository's root and has set `work` (a temporary directory) and `pids` (an array it kills
# on exit) before sourcing.

management=sk-sb-v1-be4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4c
declare -A url gateway

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 150); do curl -s -o /dev/null "$1" && return; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks (100 a second)

# Starts the simulator: HTTP/1.1 on $sim1, cleartext HTTP/2 on $sim2. Writes the bench's catalog: one keyless
# provider "sim" serving bench/echo, priced, so credits are reserved and settled.
start_simulator() {
    [ -f artifacts/bench/simulator/Switchboard.Simulator.dll ] || { echo "run bash bench/run.sh first: it publishes the simulator" >&2; exit 1; }
    sim1=$(port); sim2=$(port)
    dotnet artifacts/bench/simulator/Switchboard.Simulator.dll --urls "http://127.0.0.1:$sim1" --h2c-urls "http://127.0.0.1:$sim2" --no-record \
        > "$work/simulator.log" 2>&1 & pids+=($!)
    wait_for "http://127.0.0.1:$sim1/"
    cat > "$work/catalog.json" <<'EOF'
{"updated":"2026-01-01","providers":[{"slug":"sim","name":"Simulator","base_url":"http://127.0.0.1:1/sim/v1","protocol":"openai",
 "api_key_env":null,"api_key_optional":true,"enabled":true,"collects_data":false,"headquarters":null,"datacenters":[],
 "privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null}],
 "models":[{"id":"bench/echo","canonical_slug":"bench/echo","hugging_face_id":null,"name":"Bench","created":"2026-01-01",
 "description":"Benchmark model.","context_length":32768,"input_modalities":["text"],"output_modalities":["text"],"tokenizer":"Other",
 "instruct_type":null,"knowledge_cutoff":null,"endpoints":[{"provider":"sim","upstream_model":"echo","context_length":32768,
 "max_completion_tokens":null,"quantization":null,"pricing":{"prompt":0.1,"completion":0.2},"supported_parameters":["max_tokens"]}]}]}
EOF
}

# start_gateway NAME DLL HTTP2: a gateway reaching the simulator over h2c (HTTP2=true) or HTTP/1.1, with an inference
# key of its own. Sets url[NAME] and gateway[NAME] (its pid) and writes $work/NAME.lua, a wrk script posting a short
# chat completion with that key.
start_gateway() {
    local name=$1 dll=$2 http2=$3 upstream=$sim1 p key
    [ "$http2" = true ] && upstream=$sim2
    p=$(port)
    env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        Switchboard__CatalogPath="$work/catalog.json" Switchboard__Demo=false \
        Switchboard__Providers__sim__BaseUrl="http://127.0.0.1:$upstream/sim/v1" Switchboard__Providers__sim__Http2=$http2 \
        Switchboard__Database__DataDirectory="$work/data-$name" Switchboard__Admin__InitialManagementKey=$management \
        Switchboard__Admin__InitialCredits=1000000 \
        dotnet "$dll" --urls "http://127.0.0.1:$p" > "$work/$name.log" 2>&1 & pids+=($!)
    gateway[$name]=$!
    url[$name]=http://127.0.0.1:$p
    wait_for "${url[$name]}/healthz"
    key=$(curl -sf -X POST -H "Authorization: Bearer $management" -H 'Content-Type: application/json' -d "{\"name\":\"$name\"}" \
        "${url[$name]}/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
    cat > "$work/$name.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
wrk.body = [[{"model":"bench/echo","messages":[{"role":"user","content":"Say something short. <simulator>{\"tokens\":8}</simulator>"}]}]]
EOF
}

# start_builds COMMIT...: a gateway of each commit, as start_gateway starts one (h2c), named by the commit's short hash
# and published once into artifacts/builds/<commit> by bench/publish-build.sh. Sets builds: the names, in order.
start_builds() {
    local rev build
    builds=()
    for rev in "$@"; do
        bash bench/publish-build.sh "$rev" > /dev/null
        builds+=("$(git rev-parse --short=7 "$rev^{commit}")")
    done
    for build in "${builds[@]}"; do start_gateway "$build" "$PWD/artifacts/builds/$build/Switchboard.dll" true; done
}
