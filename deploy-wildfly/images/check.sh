#!/usr/bin/env bash
# Checks the agent images by running them as the server will: `docker run -d --network host
# -e FLOW_AGENT_PORT=<port>`, then speaking the task protocol to 127.0.0.1:<port> with curl.
# Measures the cold start (docker run to the first 200 on /health). Removes its containers.
#
# Usage: check.sh [--quick] [--health-only] [--runs N] [image...]
#   --quick   one cold start and the basic protocol (health, echo, fail, unknown handler)
#   --health-only  only the cold start and /health (a user's agent has its own handlers)
#   --runs N  cold starts to measure (default 5; 1 with --quick)
#   images    default: agentainer/example-agent:latest agentainer/busybox-agent:latest
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

quick=false
health_only=false
runs=""
images=()
while (($#)); do
  case $1 in
    --quick) quick=true ;;
    --health-only) health_only=true ;;
    --runs) runs=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) images+=("$1") ;;
  esac
  shift
done
((${#images[@]})) || images=(agentainer/example-agent:latest agentainer/busybox-agent:latest)
[[ -n $runs ]] || { $quick && runs=1 || runs=5; }
command -v curl >/dev/null || die "curl: not installed"
docker info >/dev/null 2>&1 || die "docker: no engine answers"

tmp=$(mktemp -d)
containers=()
helpers=()
failures=0
cleanup() {
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }

# run_agent IMAGE PORT [docker run options...]: starts a container, sets $cid
run_agent() {
  local image=$1 port=$2
  shift 2
  cid=$(docker run -d --network host -e "FLOW_AGENT_PORT=$port" "$@" "$image") || die "$image: docker run failed"
  containers+=("$cid")
}

# wait_ready PORT: polls /health until 200, for 20 s at most
wait_ready() {
  local deadline=$(($(now_ms) + 20000))
  until [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$1/health" || true) == 200 ]]; do
    (($(now_ms) < deadline)) || return 1
    sleep 0.005
  done
}

# call METHOD PORT PATH [BODY]: sets $status and $body
call() {
  local args=(-s -m 30 -o "$tmp/body" -w '%{http_code}' -X "$1")
  [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  status=$(curl "${args[@]}" "http://127.0.0.1:$2$3" || true)
  body=$(cat "$tmp/body" 2>/dev/null || true)
}

# expect WHAT STATUS BODY: the last call answered STATUS and BODY: exactly, or as a glob when
# BODY holds a '*'
expect() {
  local matched=false
  if [[ $3 == *'*'* ]]; then
    # shellcheck disable=SC2053
    [[ $body == $3 ]] && matched=true
  else
    [[ $body == "$3" ]] && matched=true
  fi
  if [[ $status == "$2" ]] && $matched; then ok "$1"; else bad "$1: expected $2 $3, got $status $body"; fi
}

remove() { docker rm -f "$1" >/dev/null 2>&1 || true; }

check_basics() { # check_basics PORT
  local port=$1
  call GET "$port" /health
  expect "GET /health" 200 '{"status":"UP"}'
  call POST "$port" /task '{"jobId":"c1","workflowId":"w","stepId":"s","taskId":0,"attempt":1,"handler":"echo","input":{"a":[1,"b",{"c":null}],"t":"café \"q\""},"flow":{"api":null,"token":null,"traceparent":null}}'
  expect "POST /task echo" 200 '{"output":{"a":[1,"b",{"c":null}],"t":"café \"q\""}}'
  call POST "$port" /task '{"jobId":"c2","stepId":"x/fail","input":{"message":"broken on purpose"}}'
  expect "POST /task fail (handler from stepId)" 422 '*"message":"broken on purpose*"retryable":false*'
  call POST "$port" /task '{"jobId":"c3","handler":"nope","input":{}}'
  expect "POST /task unknown handler" 404 '*"type":"unknown_handler"*'
}

check_more() { # check_more PORT
  local port=$1
  call POST "$port" /task '{"jobId": "c4", "input": '
  expect "malformed JSON" 400 '*"type":"bad_request"*'
  call POST "$port" /task '{"input":{}}'
  expect "missing jobId" 400 '*jobId: required*'
  call DELETE "$port" /task/nobody
  expect "DELETE /task/{unknown}" 404 '*"type":"unknown_job"*'
  call GET "$port" /elsewhere
  expect "unknown path" 404 '*"error"*'
}

check_java() { # check_java PORT: the example agent's own handlers
  local port=$1 api_port sleeper began took
  call POST "$port" /task '{"jobId":"w1","handler":"wordcount","input":{"item":"The cat the CAT"}}'
  expect "wordcount" 200 '{"output":{"words":{"cat":2,"the":2},"total":4}}'
  call POST "$port" /task '{"jobId":"s1","handler":"split","input":{"text":"a\nb\nc","lines":2}}'
  expect "split" 200 '{"output":{"docs":["a\nb","c"]}}'

  curl -s -m 30 -o "$tmp/sleep" -w '%{http_code}' -X POST --data-binary '{"jobId":"sleepy","handler":"sleep","input":{"ms":30000}}' \
    "http://127.0.0.1:$port/task" >"$tmp/sleep.status" &
  sleeper=$!
  began=$(now_ms)
  until call DELETE "$port" /task/sleepy && [[ $status == 202 ]]; do
    (($(now_ms) - began < 5000)) || break
    sleep 0.02
  done
  expect "DELETE /task/{running}" 202 '*"jobId":"sleepy"*'
  wait "$sleeper" || true
  took=$(($(now_ms) - began))
  if [[ $(cat "$tmp/sleep.status") == 409 ]] && grep -q '"type":"cancelled"' "$tmp/sleep" && ((took < 5000)); then
    ok "the cancelled sleep answered 409 cancelled after ${took} ms"
  else bad "cancelled sleep: $(cat "$tmp/sleep.status") $(cat "$tmp/sleep") after ${took} ms"; fi

  # incr against a stand-in API: busybox nc on the host, recording what it receives
  if command -v busybox >/dev/null; then
    api_port=$(free_port)
    cat >"$tmp/api.sh" <<API
#!/bin/sh
cr=\$(printf '\r'); length=0
read -r line; printf '%s\n' "\${line%\$cr}" >>"$tmp/api.log"
while IFS= read -r h; do h=\${h%\$cr}; [ -z "\$h" ] && break
  case \$h in [Aa]uthorization:*) printf '%s\n' "\$h" >>"$tmp/api.log" ;; [Cc]ontent-[Ll]ength:*) length=\${h#*: } ;; esac
done
head -c "\$length" >>"$tmp/api.log"; echo >>"$tmp/api.log"
printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"value":1}'
API
    chmod +x "$tmp/api.sh"
    busybox nc -ll -p "$api_port" 127.0.0.1 -e "$tmp/api.sh" &
    helpers+=($!)
    sleep 0.2
    call POST "$port" /task "{\"jobId\":\"i1\",\"workflowId\":\"run-1\",\"handler\":\"incr\",\"input\":{\"key\":\"hits\",\"by\":3,\"times\":2},\"flow\":{\"api\":\"http://localhost:$api_port/api\",\"token\":\"scoped-token\"}}"
    expect "incr through the run-scoped API (FLOW_API on localhost)" 200 '{"output":{"done":2}}'
    if [[ $(grep -c 'POST /api/workflows/run-1/state/hits/increment HTTP/1.1' "$tmp/api.log" 2>/dev/null) == 2 ]] &&
      grep -q 'Authorization: Bearer scoped-token' "$tmp/api.log" && grep -q '{"by":3}' "$tmp/api.log"; then
      ok "the API got 2 increments with the bearer token and {\"by\":3}"
    else bad "the API got: $(cat "$tmp/api.log" 2>/dev/null)"; fi
  fi

  call POST "$port" /task '{"jobId":"boom","handler":"crash","input":{}}'
  local code
  code=$(timeout 20 docker wait "$cid" 2>/dev/null || echo none)
  if [[ $status == 000 && $code == 137 ]]; then ok "crash: no answer, the container exited 137"
  else bad "crash: answered $status, exit code $code"; fi
  docker logs "$cid" 2>&1 | grep -q 'crash: job boom' && ok "crash wrote its line to stderr" || bad "crash: no stderr line"
}

check_stop() { # check_stop PORT IMAGE: docker stop ends the agent quickly
  local began code took
  began=$(now_ms)
  docker stop -t 10 "$cid" >/dev/null
  took=$(($(now_ms) - began))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$cid")
  if ((took < 5000)); then ok "docker stop took ${took} ms (exit code $code)"; else bad "docker stop took ${took} ms"; fi
}

for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 || die "$image: no such image (build it: $here/build.sh)"
  say "$image ($(human "$(image_size "$image")"))"
  times=()
  for ((i = 1; i <= runs; i++)); do
    port=$(free_port)
    began=$(now_ms)
    run_agent "$image" "$port"
    if ! wait_ready "$port"; then
      bad "no 200 on /health within 20 s; logs: $(docker logs "$cid" 2>&1 | tail -5)"
      continue
    fi
    times+=($(($(now_ms) - began)))
    if ((i < runs)); then remove "$cid"; fi
  done
  if ((${#times[@]})); then
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    say "  cold start (docker run to the first 200 on /health): median $(sed -n "$(((${#times[@]} + 1) / 2))p" <<<"$sorted") ms, min $(head -1 <<<"$sorted") ms, max $(tail -1 <<<"$sorted") ms over ${#times[@]} runs"
  fi
  if $health_only; then
    call GET "$port" /health
    expect "GET /health" 200 '{"status":"UP"}'
    remove "$cid"
    continue
  fi
  check_basics "$port"
  if ! $quick; then
    check_more "$port"
    if [[ $image == *example-agent* ]]; then
      check_java "$port"
      remove "$cid"
      port=$(free_port)
      run_agent "$image" "$port"
      wait_ready "$port" || bad "the second container did not get ready"
    else
      call POST "$port" /task '{"jobId":"e1","stepId":"wf/echo","input":null}'
      expect "echo of null input, handler from stepId" 200 '{"output":null}'
      remove "$cid"
      port=$(free_port)
      run_agent "$image" "$port" -e FLOW_HANDLER=echo
      wait_ready "$port" || bad "the FLOW_HANDLER container did not get ready"
      call POST "$port" /task '{"jobId":"e2","stepId":"count","input":[1,2]}'
      expect "FLOW_HANDLER=echo picks the handler" 200 '{"output":[1,2]}'
    fi
    check_stop "$port" "$image"
  fi
  began=$(now_ms)
  remove "$cid"
  say "  removed the container in $(($(now_ms) - began)) ms"
done

((failures == 0)) || die "$failures check(s) failed"
say "all checks passed"
