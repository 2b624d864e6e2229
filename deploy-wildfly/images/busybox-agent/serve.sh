#!/bin/busybox sh
# The busybox agent: any program that speaks the task protocol is an agent. busybox nc accepts
# connections on 127.0.0.1:$FLOW_AGENT_PORT and runs handle.sh for each one.
#
# Why not busybox httpd: its CGI runs only for /cgi-bin/*, *.suffix interpreters and index.cgi of
# URLs ending in "/", and Debian's build has no proxy rules (P:) to map /health and /task there.
port=${FLOW_AGENT_PORT:-8080}
host=${FLOW_AGENT_HOST:-127.0.0.1}
case $port in
  ''|*[!0-9]*|0) echo "agent: FLOW_AGENT_PORT: must be a port number 1-65535, got '$port'" >&2; exit 2 ;;
esac
[ "$port" -le 65535 ] || { echo "agent: FLOW_AGENT_PORT: must be a port number 1-65535, got '$port'" >&2; exit 2; }

busybox nc -ll -p "$port" "$host" -e /agent/handle.sh &
server=$!
trap 'kill $server 2>/dev/null; exit 0' TERM INT
echo "agent listening on $host:$port"
wait $server
