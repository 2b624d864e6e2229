# Helpers shared by build.sh and check.sh (sourced, not run).

say() { printf 'images: %s\n' "$*"; }
die() { printf 'images: %s\n' "$*" >&2; exit 1; }

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port tries=0
  while ((tries++ < 200)); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found on 127.0.0.1"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# human size of a byte count
human() { awk -v b="$1" 'BEGIN { split("B KB MB GB", u); i = 1; while (b >= 1000 && i < 4) { b /= 1000; i++ } printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'; }

image_size() { docker image inspect -f '{{.Size}}' "$1"; }
