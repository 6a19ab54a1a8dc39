# http_common.sh: what the HTTP benchmarks (http.sh, auth_http.sh, metrics.sh, startup.sh) share, sourced after they set
# root, build and the tools they need (bench_tools): the tool check, the graphgate build, the CPU
# split (servers on CPU 0, load generators on CPU 1), a temporary directory and the servers'
# cleanup (pids), free_port and the { __typename } request.
for tool in "${bench_tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" server/graphgate >/dev/null
cpus=$(nproc)
server_cpu=0
client_cpu=$((cpus > 1 ? 1 : 0))

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The { __typename } request of the throughput benchmarks and its expected answer: $request and
# $response, with the request body in $tmp/body.json (h2load -d) and $tmp/post.lua (wrk -s).
request='{"query":"{ __typename }"}'
response='{"data":{"__typename":"Query"}}'
printf '%s' "$request" >"$tmp/body.json"
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request'
wrk.headers["Content-Type"] = "application/json"
LUA
