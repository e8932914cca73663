#!/usr/bin/env bash
# Smoke test of the server-less default that `make run` uses: no DATABASE_URL, no REDIS_URL,
# a fresh var folder. Migrates on SQLite, starts a real Celery worker on the filesystem broker
# and sends it portal.ping. Results are off (job state lives in our tables), so completion is
# proved by the worker's own log line "Task portal.ping[<id>] succeeded".
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
TIMEOUT=${SMOKE_TIMEOUT:-60}
unset DATABASE_URL REDIS_URL DJANGO_ENV
PORTAL_VAR_DIR=$(mktemp -d -t portal-smoke.XXXXXX)
export PORTAL_VAR_DIR
log=$PORTAL_VAR_DIR/worker.log
worker=""

finish() {
  status=$?
  if [ -n "$worker" ]; then
    # TERM asks for a warm shutdown; whatever is left of the worker's group after 15 s is killed.
    kill -TERM "$worker" 2>/dev/null || true
    for _ in $(seq 75); do kill -0 -- "-$worker" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$log" ]; then
    echo "--- worker log ---" >&2
    cat "$log" >&2
  fi
  rm -rf "$PORTAL_VAR_DIR"
  exit "$status"
}
trap finish EXIT

"$PY" manage.py migrate --noinput -v 0
test -s "$PORTAL_VAR_DIR/portal.sqlite3" || { echo "smoke: migrate did not create the SQLite database" >&2; exit 1; }

# Job control puts the worker in its own process group, so its pool processes go with it.
set -m
"$PY" -m celery -A portal worker -l info --concurrency=1 -n "smoke@%h" </dev/null >"$log" 2>&1 &
worker=$!
set +m

task_id=$("$PY" -c 'from portal.celery import ping; print(ping.delay().id)')
echo "smoke: sent portal.ping[$task_id] through the filesystem broker in $PORTAL_VAR_DIR/broker"

deadline=$((SECONDS + TIMEOUT))
until grep -q "Task portal.ping\[$task_id\] succeeded" "$log"; do
  if ! kill -0 "$worker" 2>/dev/null; then
    echo "smoke: the worker exited before running the task" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "smoke: portal.ping[$task_id] did not succeed within ${TIMEOUT}s" >&2
    exit 1
  fi
  sleep 0.5
done
echo "smoke: the worker ran portal.ping[$task_id] (SQLite and the filesystem broker work)"
