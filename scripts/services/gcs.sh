#!/usr/bin/env bash
# Cloud Storage emulator for tests: gcp-storage-emulator (PyPI) started through
# gcs_emulator.py, which fixes its bucket insert/list/patch handlers (see that file).
#   gcs.sh start <run_dir>   install if missing, start on a free 127.0.0.1 port, write
#                            <run_dir>/gcs.env and <run_dir>/gcs.pid
#   gcs.sh stop <run_dir>    stop what start started (by PID)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LABFORM_CACHE:-$HOME/.cache/labform}"
venv="$cache/venv-gcs"
pin="gcp-storage-emulator==2026.7.19"

die() { echo "gcs.sh: $*" >&2; exit 1; }

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
    "$venv/bin/pip" install -q --disable-pip-version-check "$pin" || die "pip install $pin failed"
    echo "$pin" > "$venv/.installed"
}

free_port() {
    "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    local run_dir="$1"
    mkdir -p "$run_dir"
    if [ -f "$run_dir/gcs.pid" ] && kill -0 "$(cat "$run_dir/gcs.pid")" 2>/dev/null && [ -f "$run_dir/gcs.env" ]; then
        return  # already running for this run_dir
    fi
    install
    local port log pid
    port="$(free_port)"
    log="$run_dir/gcs.log"
    setsid "$venv/bin/python" "$here/gcs_emulator.py" start --host 127.0.0.1 --port "$port" --in-memory -q \
        >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" > "$run_dir/gcs.pid"
    for _ in $(seq 1 100); do
        if "$venv/bin/python" - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/storage/v1/b?project=probe", timeout=1).read()
PY
            {
                echo "export STORAGE_EMULATOR_HOST=http://127.0.0.1:$port"
                echo "export GOOGLE_PROJECT=\${GOOGLE_PROJECT:-labform-test}"
                echo "export LABFORM_TEST_PYTHON=$venv/bin/python"
            } > "$run_dir/gcs.env"
            return
        fi
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "the emulator exited during start-up (log: $log)"; }
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    die "the emulator did not answer on 127.0.0.1:$port within 10 s (log: $log)"
}

stop() {
    local run_dir="$1" pid
    [ -f "$run_dir/gcs.pid" ] || return 0
    pid="$(cat "$run_dir/gcs.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$run_dir/gcs.pid"
}

case "${1:-}" in
    start) [ $# -eq 2 ] || die "usage: gcs.sh start <run_dir>"; start "$2" ;;
    stop) [ $# -eq 2 ] || die "usage: gcs.sh stop <run_dir>"; stop "$2" ;;
    *) die "usage: gcs.sh start|stop <run_dir>" ;;
esac
