#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server started in a temporary directory.
#
#   scripts/with-postgres.sh .venv/bin/pytest
#
# The server listens on a Unix socket inside the directory (no TCP port, nothing shared with the host),
# runs as a non-root user when called as root (PostgreSQL refuses root), and is stopped and deleted
# whatever happens to the command. DATABASE_URL points the command at it.
#
#   scripts/with-postgres.sh --keep DIR .venv/bin/python -m benchmarks.phase ...
#
# With --keep the server lives in DIR and is kept between runs (created the first time, started again the
# next, stopped cleanly but not deleted at the end): the benchmarks keep their generated datasets there.
# WITH_POSTGRES_OPTIONS adds server settings (e.g. "-c shared_buffers=512MB").
set -euo pipefail

keep=""
if [ "${1:-}" = "--keep" ]; then
  keep=$(realpath -m "$2")
  shift 2
fi

pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && pg_bin=$candidate
done
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server binaries not found; installing postgresql (Debian)..." >&2
  apt-get install -y -qq postgresql >/dev/null
  for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && pg_bin=$candidate; done
fi

if [ -n "$keep" ]; then
  workdir=$keep
  mkdir -p "$workdir"
else
  workdir=$(mktemp -d /tmp/supervisione-pg.XXXXXX)
fi
run_as=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  if [ -n "$keep" ]; then
    "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m fast stop >/dev/null 2>&1 || true
  else
    "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
  fi
}
trap cleanup EXIT INT TERM

fresh=""
if [ ! -f "$workdir/data/PG_VERSION" ]; then
  fresh=1
  # A throw-away cluster is not written to disk before use (--no-sync): the sync took 5 of initdb's 7 seconds,
  # and made deleting the directory afterwards take 3 more. A kept one (--keep) is synced as usual.
  no_sync=()
  [ -z "$keep" ] && no_sync=(--no-sync)
  "${run_as[@]}" "$pg_bin/initdb" "${no_sync[@]}" -D "$workdir/data" -U supervisione --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
fi
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-k $workdir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${WITH_POSTGRES_OPTIONS:-}" \
  start >/dev/null
if [ -n "$fresh" ]; then
  "${run_as[@]}" "$pg_bin/createdb" -h "$workdir" -U supervisione supervisione
fi

echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running in $workdir" >&2
export DATABASE_URL="postgres://supervisione@${workdir//\//%2F}/supervisione"
"$@"
