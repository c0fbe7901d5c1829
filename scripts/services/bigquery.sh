#!/usr/bin/env bash
# BigQuery emulator for tests: bqemulator (PyPI, + numpy which it needs) started through
# bigquery_emulator.py, which skips its download of DuckDB's spatial extension.
#   bigquery.sh start <run_dir>   install if missing, start on a free 127.0.0.1 port, write
#                            <run_dir>/bigquery.env and <run_dir>/bigquery.pid
#   bigquery.sh stop <run_dir>    stop what start started (by PID)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LABFORM_CACHE:-$HOME/.cache/labform}"
venv="$cache/venv-bigquery"
pin="bqemulator==1.4.0 numpy"

die() { echo "bigquery.sh: $*" >&2; exit 1; }

# A fresh Debian has neither python3's venv module nor curl (the tests' separate client).
system_packages() {
    local missing=()
    command -v python3 >/dev/null && python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3 python3-venv)
    command -v curl >/dev/null || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || die "apt-get install ${missing[*]} failed"
    else
        die "install ${missing[*]} first (apt-get install ${missing[*]})"
    fi
}

install() {
    if [ -x "$venv/bin/python" ] && [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$pin" ]; then
        return
    fi
    system_packages
    rm -rf "$venv"
    python3 -m venv "$venv" || die "could not create a venv in $venv (apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check $pin || die "pip install $pin failed"
    echo "$pin" > "$venv/.installed"
}

free_port() {
    "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    local run_dir="$1"
    mkdir -p "$run_dir"
    if [ -f "$run_dir/bigquery.pid" ] && kill -0 "$(cat "$run_dir/bigquery.pid")" 2>/dev/null && [ -f "$run_dir/bigquery.env" ]; then
        return  # already running for this run_dir
    fi
    install
    local port log pid
    port="$(free_port)"
    log="$run_dir/bigquery.log"
    setsid "$venv/bin/python" "$here/bigquery_emulator.py" start --rest-host 127.0.0.1 --rest-port "$port" --grpc-host 127.0.0.1 --grpc-port 0 --ephemeral --log-level warning \
        >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" > "$run_dir/bigquery.pid"
    for _ in $(seq 1 600); do
        if "$venv/bin/python" - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/bigquery/v2/projects/probe/datasets", timeout=1).read()
PY
            {
                echo "export BIGQUERY_EMULATOR_HOST=http://127.0.0.1:$port"
                echo "export GOOGLE_PROJECT=\${GOOGLE_PROJECT:-labform-test}"
                echo "export LABFORM_TEST_PYTHON=$venv/bin/python"
            } > "$run_dir/bigquery.env"
            return
        fi
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "the emulator exited during start-up (log: $log)"; }
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    die "the emulator did not answer on 127.0.0.1:$port within 60 s (log: $log)"
}

stop() {
    local run_dir="$1" pid
    [ -f "$run_dir/bigquery.pid" ] || return 0
    pid="$(cat "$run_dir/bigquery.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$run_dir/bigquery.pid"
}

case "${1:-}" in
    start) [ $# -eq 2 ] || die "usage: bigquery.sh start <run_dir>"; start "$2" ;;
    stop) [ $# -eq 2 ] || die "usage: bigquery.sh stop <run_dir>"; stop "$2" ;;
    *) die "usage: bigquery.sh start|stop <run_dir>" ;;
esac
