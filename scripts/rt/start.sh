#!/bin/sh
# Start Request Tracker 5 (standalone Starlet) on 127.0.0.1:$RT_PORT as www-data, in the background.
# Usage (root): scripts/rt/start.sh [start|stop|status|reset]
#   reset = stop + restore the empty database saved by install.sh (rtdb.pristine)
# State (PID file, server log) lives in $RT_STATE (default /var/cache/sla-lens/rt), never in the
# checkout: the server runs as www-data and the checkout may be under a 0700 home.
set -eu
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
PORT=${RT_PORT:-3099}
mkdir -p "$STATE"
PIDF=$STATE/rt-server.pid; LOG=$STATE/server.log; URL=http://127.0.0.1:$PORT
D=/var/lib/dbconfig-common/sqlite3/request-tracker5
running() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }
stop_srv() {   # TERM the Starlet master (it stops its workers), KILL after 30 s
  if running; then kill -TERM "$(cat "$PIDF")"; i=0
    while running && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done
    running && kill -KILL "$(cat "$PIDF")"; fi
  rm -f "$PIDF"; echo stopped; }
case "${1:-start}" in
stop) stop_srv; exit 0;;
status) if running; then echo "running pid $(cat "$PIDF")"; else echo "not running"; fi; exit 0;;
reset)
  stop_srv
  cp -p $D/rtdb.pristine $D/rtdb && rm -f $D/rtdb-journal $D/rtdb-wal $D/rtdb-shm && echo "DB reset"; exit 0;;
start) ;;
*) echo "usage: $0 [start|stop|status|reset]" >&2; exit 2;;
esac
if running; then echo "already running pid $(cat "$PIDF")"; exit 0; fi
t0=$(date +%s%N)
# setpriv execs (no forking wrapper), so $! is the Starlet master; TERM to it stops the workers too.
setsid setpriv --reuid=www-data --regid=www-data --init-groups \
  /usr/share/request-tracker5/libexec/rt-server --server Starlet \
  --host 127.0.0.1 --port "$PORT" --max-workers 2 >>"$LOG" 2>&1 </dev/null &
echo $! > "$PIDF"
i=0; code=000
while [ $i -lt 240 ]; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/REST/2.0/rt" 2>/dev/null || true)
  [ "$code" = 401 ] || [ "$code" = 200 ] && break
  running || { echo "rt-server died; see $LOG"; tail -20 "$LOG"; exit 1; }
  sleep 0.5; i=$((i+1))
done
[ "$code" = 401 ] || [ "$code" = 200 ] || { echo "RT did not answer on $URL; see $LOG"; exit 1; }
echo "RT up on $URL (pid $(cat "$PIDF"), HTTP $code) after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
