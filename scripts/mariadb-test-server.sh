#!/usr/bin/env bash
# A throwaway MariaDB server for the MySQL driver's tests (MetadataStoreConformanceTests).
#   scripts/mariadb-test-server.sh start   create (once) and start it; does nothing when running
#   scripts/mariadb-test-server.sh env     print `export IMGREPO_TEST_MYSQL_URL=… IMGREPO_DB_PASSWORD=…`
#   scripts/mariadb-test-server.sh stop    stop it (the data folder stays for the next start)
#
# Everything lives under $IMGREPO_MARIADB_DIR (default .build-mariadb/ in the repository,
# ignored by git as .build-*/): data/, mariadbd.sock, mariadbd.pid, mariadbd.log, password,
# port. The server listens on 127.0.0.1 (on the port of its last start when free, else on the
# first free port from 33061 up) and on a private socket; it has database image_repo_db and user image_repo_admin with a generated password.
# The user holds ALL PRIVILEGES ON *.*: the conformance suite creates and drops a database per
# test. Acceptable only because this server is private, local and disposable. The CLI fault
# tests run a second one (IMGREPO_MARIADB_DIR=.build-mariadb-faults) that they kill and restart.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${IMGREPO_MARIADB_DIR:-$PWD/.build-mariadb}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data sock=$dir/mariadbd.sock pidfile=$dir/mariadbd.pid log=$dir/mariadbd.log
database=image_repo_db user=image_repo_admin
# Tests want speed: the log is flushed once a second, not at every commit (a killed mariadbd
# loses nothing; a crashed machine may lose the last second). Benchmarks compare with SQLite's
# synchronous=FULL and ask for a flush at every commit (IMGREPO_MARIADB_DURABLE=1) and a buffer
# pool that holds their catalogue (IMGREPO_MARIADB_BUFFER_POOL=1G).
flush_at_commit=2
[ "${IMGREPO_MARIADB_DURABLE:-0}" = 1 ] && flush_at_commit=1
buffer_pool=${IMGREPO_MARIADB_BUFFER_POOL:-64M}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

client() {
  # As the server's root, through the private socket (unix_socket authentication).
  mariadb --no-defaults --protocol=socket --socket="$sock" -uroot "$@"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if running; then return 0; fi
  command -v mariadbd >/dev/null || { echo "mariadb-test-server.sh: mariadbd not found (scripts/install-deps.sh test)" >&2; exit 69; }
  as_root=()
  [ "$(id -u)" -eq 0 ] && as_root=(--user=root)
  if [ ! -d "$data/mysql" ]; then
    rm -rf "$data"
    # --no-defaults must come first; as root the server must be told to stay root.
    mariadb-install-db --no-defaults "${as_root[@]}" --datadir="$data" --auth-root-authentication-method=socket \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    chmod 600 "$dir/password"
  fi
  # The port of the last start when it is still free, so that a restart (the fault tests kill
  # and restart a server) keeps the URL clients were given; else the first free one.
  port=$(cat "$dir/port" 2>/dev/null || echo 33061)
  port_free "$port" || port=33061
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port" >"$dir/port"
  # The server outlives this script: it must not keep our caller's pipes open (a test runner
  # waits for EOF on them), so every descriptor above stderr is closed first.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec mariadbd --no-defaults "${as_root[@]}" --datadir="$data" --socket="$sock" --pid-file="$pidfile" \
      --bind-address=127.0.0.1 --port="$port" --log-error="$log" --skip-name-resolve \
      --innodb-buffer-pool-size="$buffer_pool" --innodb-log-file-size=32M --innodb-flush-log-at-trx-commit="$flush_at_commit" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_nopad_bin </dev/null >/dev/null 2>&1
  ) &
  for _ in $(seq 1 100); do
    if mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1 || {
    echo "mariadb-test-server.sh: the server did not start; see $log" >&2; tail -20 "$log" >&2; exit 1; }
  password=$(cat "$dir/password")
  # The password reaches the client on stdin, not in argv.
  client <<SQL
CREATE DATABASE IF NOT EXISTS $database CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';
SQL
}

stop() {
  running || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
}

env() {
  running || { echo "mariadb-test-server.sh: not running (start it first)" >&2; exit 1; }
  echo "export IMGREPO_TEST_MYSQL_URL=mysql://$user@127.0.0.1:$(cat "$dir/port")/$database"
  echo "export IMGREPO_DB_PASSWORD=$(cat "$dir/password")"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) env ;;
  *) echo "usage: scripts/mariadb-test-server.sh start|stop|env" >&2; exit 64 ;;
esac
