#!/bin/busybox sh
# One connection of the busybox agent: stdin and stdout are the socket (busybox nc -ll -e).
# Speaks agent task protocol v1 (src/sdk/PROTOCOL.md) with two handlers: echo and fail.
exec 2>>/tmp/agent.log

json_get() { # json_get PATH < body: the raw JSON value at PATH, or nothing
  busybox awk -v path="$1" -f /agent/json.awk
}

reply() { # reply STATUS REASON BODY
  length=$(printf '%s' "$3" | wc -c)
  printf 'HTTP/1.1 %s %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "$length" "$3"
  exit 0
}

error() { # error STATUS REASON TYPE MESSAGE RETRYABLE (MESSAGE is JSON-string content)
  reply "$1" "$2" "{\"error\":{\"type\":\"$3\",\"message\":\"$4\",\"retryable\":$5}}"
}

cr=$(printf '\r')
read -r method target version || exit 0
method=${method%"$cr"}
target=${target%"$cr"}
target=${target%%\?*}
length=0
expect=""
while IFS= read -r header; do
  header=${header%"$cr"}
  [ -z "$header" ] && break
  name=$(printf '%s' "${header%%:*}" | tr 'A-Z' 'a-z')
  value=${header#*:}
  value=${value# }
  case $name in
    content-length) length=$value ;;
    expect) expect=$value ;;
    transfer-encoding) error 411 "Length Required" bad_request "body: send it with a Content-Length" false ;;
  esac
done
case $length in ''|*[!0-9]*) error 400 "Bad Request" bad_request "Content-Length: not a number" false ;; esac

case $target in
  /health)
    [ "$method" = GET ] || [ "$method" = HEAD ] || error 405 "Method Not Allowed" method_not_allowed "$method /health: use GET" false
    reply 200 OK '{"status":"UP"}'
    ;;
  /task/*)
    [ "$method" = DELETE ] || error 405 "Method Not Allowed" method_not_allowed "$method /task/{jobId}: use DELETE" false
    # tasks run to the end within their request: nothing is ever left to cancel
    error 404 "Not Found" unknown_job "jobId: not running here" false
    ;;
  /task) ;;
  *) error 404 "Not Found" not_found "path: nothing here (this agent serves GET /health, POST /task, DELETE /task/{jobId})" false ;;
esac
[ "$method" = POST ] || error 405 "Method Not Allowed" method_not_allowed "$method /task: use POST" false

case $expect in 100-[cC]ontinue) printf 'HTTP/1.1 100 Continue\r\n\r\n' ;; esac
body=""
[ "$length" -gt 0 ] && body=$(head -c "$length")

case $(printf '%s' "$body" | tr -d ' \t\r\n' | head -c 1) in
  "{") ;;
  *) error 400 "Bad Request" bad_request "body: must be a JSON object" false ;;
esac
job=$(printf '%s' "$body" | json_get jobId)
case $job in
  \"?*\") ;;
  *) error 400 "Bad Request" bad_request "jobId: required (a string)" false ;;
esac

unquote() { # the contents of a JSON string, or nothing for any other value
  case $1 in \"*\") v=${1#\"}; printf '%s' "${v%\"}" ;; esac
}
handler=$(unquote "$(printf '%s' "$body" | json_get handler)")
[ -n "$handler" ] || handler=$FLOW_HANDLER
if [ -z "$handler" ]; then
  step=$(unquote "$(printf '%s' "$body" | json_get stepId)")
  handler=${step##*/}
fi
[ -n "$handler" ] || error 400 "Bad Request" bad_request "handler: not given, and no FLOW_HANDLER or stepId to choose one by" false

case $handler in
  echo)
    input=$(printf '%s' "$body" | json_get input)
    reply 200 OK "{\"output\":${input:-null}}"
    ;;
  fail)
    message=$(printf '%s' "$body" | json_get input.message)
    case $message in \"*\") ;; *) message='"failed on purpose"' ;; esac
    reply 422 "Unprocessable Entity" "{\"error\":{\"type\":\"failed\",\"message\":$message,\"retryable\":false}}"
    ;;
  *)
    error 404 "Not Found" unknown_handler "handler: no handler '$handler'; this agent has echo, fail" false
    ;;
esac
