#!/usr/bin/env bash
# Run a command with a throw-away Redis server started in a temporary directory, as the shared cache of the
# servers (docs/DEPLOYMENT.md):
#
#   scripts/with-redis.sh .venv/bin/pytest
#
# The server listens on a Unix socket inside the directory (no TCP port, nothing shared with the host), keeps
# nothing on disk, and is stopped and deleted whatever happens to the command. CACHE_URL points the command at
# it. Debian's redis-server is installed when missing. With REDIS_TCP_PORT=N it also listens on 127.0.0.1:N
# (the two-server benchmark).
set -euo pipefail

if ! command -v redis-server >/dev/null; then
  echo "redis-server not found; installing redis-server (Debian)..." >&2
  as_root=()
  [ "$(id -u)" != "0" ] && as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq redis-server >/dev/null
fi

workdir=$(mktemp -d /tmp/supervisione-redis.XXXXXX)
socket="$workdir/redis.sock"
cleanup() {
  redis-cli -s "$socket" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

redis-server --port "${REDIS_TCP_PORT:-0}" --bind 127.0.0.1 --unixsocket "$socket" --unixsocketperm 700 \
  --save "" --appendonly no --dir "$workdir" --daemonize yes --logfile "$workdir/server.log" \
  --pidfile "$workdir/redis.pid" >/dev/null
for _ in $(seq 50); do
  redis-cli -s "$socket" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -s "$socket" ping >/dev/null

echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) running in $workdir" >&2
export CACHE_URL="unix://$socket?db=0"
"$@"
