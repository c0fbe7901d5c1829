# Shared by the service scripts that run a Python emulator from PyPI in a venv of its own.
# The caller sets, then sources this file and calls `python_service_main "$@"`:
#   name          the service name (files are <run_dir>/<name>.env, .pid, .log)
#   pin           what pip installs (exact versions)
#   probe_path    an HTTP path that answers once the emulator is ready
#   ready_seconds how long start-up may take
#   env_var       the variable that receives http://127.0.0.1:<port>
#   start_cmd     a function run as `start_cmd <port>` that execs the emulator
#   extra_env     optional: a function printing more `export` lines

cache="${LABFORM_CACHE:-$HOME/.cache/labform}"
venv="$cache/venv-$name"

die() { echo "$name.sh: $*" >&2; exit 1; }

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
    # shellcheck disable=SC2086 # $pin may name several packages
    "$venv/bin/pip" install -q --disable-pip-version-check $pin || die "pip install $pin failed"
    echo "$pin" > "$venv/.installed"
}

free_port() {
    "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    local run_dir="$1"
    mkdir -p "$run_dir"
    if [ -f "$run_dir/$name.pid" ] && kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null && [ -f "$run_dir/$name.env" ]; then
        return  # already running for this run_dir
    fi
    install
    local port log pid
    port="$(free_port)"
    log="$run_dir/$name.log"
    setsid bash -c "$(declare -f start_cmd); venv='$venv'; here='$here'; start_cmd $port" >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" > "$run_dir/$name.pid"
    for _ in $(seq 1 $((ready_seconds * 10))); do
        if "$venv/bin/python" - "$port" "$probe_path" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=1).read()
PY
            {
                echo "export $env_var=http://127.0.0.1:$port"
                echo "export LABFORM_TEST_PYTHON=$venv/bin/python"
                if declare -f extra_env >/dev/null; then extra_env; fi
            } > "$run_dir/$name.env"
            return
        fi
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "the emulator exited during start-up (log: $log)"; }
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    die "the emulator did not answer on 127.0.0.1:$port within $ready_seconds s (log: $log)"
}

stop() {
    local run_dir="$1" pid
    [ -f "$run_dir/$name.pid" ] || return 0
    pid="$(cat "$run_dir/$name.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$run_dir/$name.pid"
}

python_service_main() {
    case "${1:-}" in
        start) [ $# -eq 2 ] || die "usage: $name.sh start <run_dir>"; start "$2" ;;
        stop) [ $# -eq 2 ] || die "usage: $name.sh stop <run_dir>"; stop "$2" ;;
        *) die "usage: $name.sh start|stop <run_dir>" ;;
    esac
}
