#!/usr/bin/env bash
# Test service: a real Docker engine for labform's docker provider, plus the local test images.
#
#   scripts/services/docker.sh start <run_dir>   install what is missing, start dockerd on
#                                                <run_dir>/docker.sock, build the test images,
#                                                write <run_dir>/docker.env and docker.pid
#   scripts/services/docker.sh stop <run_dir>    stop the engine started for <run_dir>
#
# There is no image registry on these machines, so the images tests use are built here:
#   labform-test/busybox       FROM scratch + Debian's busybox-static (2 MB)
#   labform-test/postgres:15   a real PostgreSQL 15 assembled from Debian's postgresql-15
# Both are cached in the engine's data root under ${LABFORM_CACHE:-$HOME/.cache/labform}/docker,
# so a second start skips the builds.
#
# Only one engine may run on a machine (two engines fight over the docker0 bridge). An engine
# left running by an earlier start is stopped first; a foreign engine (the system's own) is
# reused through its socket and never stopped by this script.
set -euo pipefail

die() { echo "docker.sh: $*" >&2; exit 1; }

CACHE="${LABFORM_CACHE:-$HOME/.cache/labform}/docker"
EXEC_ROOT=/run/labform-docker   # short: containerd's socket paths must fit in 108 bytes

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts dockerd)"; }

apt_install() {
    if [ -z "${APT_UPDATED:-}" ]; then
        apt-get update -q >/dev/null || die "apt-get update failed"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
        || die "apt-get install $* failed"
}

# Docker Compose v2, the `docker compose` CLI plugin that tests and bench/docker compare with.
# Debian bookworm packages only Compose v1 (Python); trixie's docker-compose package is v2, one
# static Go binary needing glibc >= 2.34 (bookworm has 2.36), so that package is fetched from
# Debian's archive, checked against the SHA-256 of trixie's package index, and its plugin kept.
COMPOSE_DEB=pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb
COMPOSE_SHA256=47681197cb2b1ab88206b42a1a92fc75f50d9530a6322d03494a473eed0408ea
COMPOSE_PLUGIN=/usr/local/lib/docker/cli-plugins/docker-compose

install_compose_v2() {
    [ -x "$COMPOSE_PLUGIN" ] && return 0
    [ "$(dpkg --print-architecture)" = amd64 ] || die "Compose v2 is only fetched for amd64 here"
    local tmp
    tmp=$(mktemp -d)
    echo "docker.sh: installing Docker Compose v2 (Debian trixie's docker-compose 2.26.1)" >&2
    curl -sSf --retry 3 -o "$tmp/compose.deb" "http://deb.debian.org/debian/$COMPOSE_DEB" \
        || die "could not download $COMPOSE_DEB from deb.debian.org"
    echo "$COMPOSE_SHA256  $tmp/compose.deb" | sha256sum -c --quiet \
        || die "$COMPOSE_DEB does not have the expected SHA-256"
    dpkg-deb -x "$tmp/compose.deb" "$tmp/x"
    install -D -m 0755 "$tmp/x/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE_PLUGIN"
    rm -rf "$tmp"
}

install_missing() {
    local pkgs=()
    command -v dockerd >/dev/null || pkgs+=(docker.io)
    dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
    command -v psql >/dev/null || pkgs+=(postgresql-client)
    if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
        # The host must not start a cluster of its own when the server package installs.
        mkdir -p /etc/postgresql-common
        if ! grep -qs '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
            echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
        fi
        pkgs+=(postgresql-15)
    fi
    if [ ${#pkgs[@]} -gt 0 ]; then
        echo "docker.sh: installing ${pkgs[*]}" >&2
        apt_install "${pkgs[@]}"
    fi
}

ping_socket() { # socket path -> success when the engine answers
    curl -sf --max-time 2 --unix-socket "$1" http://localhost/_ping >/dev/null 2>&1
}

stop_pid() { # pid: TERM, wait up to 20 s, then KILL
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# Stops an engine this script started earlier (recognised by its exec root), then prints the
# socket of a foreign engine to reuse, if one runs.
handle_running_engine() {
    local pid
    for pid in $(pgrep -x dockerd || true); do
        if { tr '\0' ' ' </proc/"$pid"/cmdline; } 2>/dev/null | grep -q -- "--exec-root $EXEC_ROOT "; then
            echo "docker.sh: stopping the engine left by an earlier start (pid $pid)" >&2
            stop_pid "$pid"
        fi
    done
    if pgrep -x dockerd >/dev/null; then
        ping_socket /var/run/docker.sock \
            || die "another dockerd is running (pid $(pgrep -x dockerd | tr '\n' ' ')) and /var/run/docker.sock does not answer; stop it first (one engine per machine)"
        echo /var/run/docker.sock
    fi
}

start_engine() { # run_dir -> socket path
    local run_dir=$1 sock=$1/docker.sock
    mkdir -p "$CACHE/data-root" "$EXEC_ROOT"
    rm -f "$sock"
    setsid dockerd --host "unix://$sock" --data-root "$CACHE/data-root" --exec-root "$EXEC_ROOT" \
        --pidfile "$run_dir/dockerd.pidfile" >"$run_dir/dockerd.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$run_dir/docker.pid"
    local i
    for i in $(seq 1 300); do
        ping_socket "$sock" && { echo "$sock"; return 0; }
        kill -0 "$pid" 2>/dev/null || { tail -20 "$run_dir/dockerd.log" >&2; die "dockerd exited at start (log: $run_dir/dockerd.log)"; }
        sleep 0.1
    done
    tail -20 "$run_dir/dockerd.log" >&2
    die "dockerd did not answer on $sock within 30 s (log: $run_dir/dockerd.log)"
}

build_busybox() {
    docker image inspect labform-test/busybox >/dev/null 2>&1 && return 0
    local ctx
    ctx=$(mktemp -d)
    cp /bin/busybox "$ctx/busybox"
    cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
EOF
    DOCKER_BUILDKIT=0 docker build -q -t labform-test/busybox "$ctx" >"$ctx/build.log" 2>&1 \
        || { cat "$ctx/build.log" >&2; die "building labform-test/busybox failed"; }
    rm -rf "$ctx"
}

# The PostgreSQL image: Debian's postgresql-15 binaries, every library they and the server's
# modules load (except llvmjit, which drags in 130 MB of LLVM), a dynamic loader cache, the share
# dir, zoneinfo, the C.utf8 locale and busybox, as one tar ADDed to a scratch image.
build_postgres() {
    docker image inspect labform-test/postgres:15 >/dev/null 2>&1 && return 0
    echo "docker.sh: building labform-test/postgres:15" >&2
    local ctx root pgbin=/usr/lib/postgresql/15/bin pglib=/usr/lib/postgresql/15/lib
    ctx=$(mktemp -d)
    root=$ctx/root
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/run/postgresql" \
        "$root/var/lib/postgresql" "$root/usr/bin" "$root$pgbin" "$root$pglib" \
        "$root/usr/share" "$root/usr/lib/locale"
    chmod 1777 "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    local b
    for b in postgres initdb pg_ctl pg_isready; do cp "$pgbin/$b" "$root$pgbin/"; done
    cp /usr/bin/locale "$root/usr/bin/locale"
    find "$pglib" -maxdepth 1 -name '*.so' ! -name 'llvmjit*' -exec cp {} "$root$pglib/" \;
    local lib
    for lib in $( { ldd "$root$pgbin"/* /usr/bin/locale; find "$pglib" -maxdepth 1 -name '*.so' ! -name 'llvmjit*' -exec ldd {} \; ; } 2>/dev/null \
            | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]*ld-linux/{print $1}' | sort -u); do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
    mkdir -p "$root/lib64"
    cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
    ldconfig -r "$root" 2>/dev/null || true
    cp -a /usr/share/postgresql "$root/usr/share/"
    cp -a /usr/share/zoneinfo "$root/usr/share/"
    cp -a /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
    printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:postgres:/var/lib/postgresql:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\npostgres:x:999:\n' >"$root/etc/group"
    cat >"$root/usr/local-entrypoint.sh" <<'EOF'
#!/bin/sh
# Entrypoint of labform-test/postgres: initdb on first start honouring POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB, then the server as the postgres user.
set -e
as_postgres() { su -p -s /bin/sh -c 'exec "$0" "$@"' -- postgres "$@"; }
if [ "${1:-}" = postgres ]; then
    export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        user="${POSTGRES_USER:-postgres}"
        db="${POSTGRES_DB:-$user}"
        if [ -n "${POSTGRES_PASSWORD:-}" ]; then
            printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pwfile
            chown postgres /tmp/pwfile
            as_postgres initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile -E UTF8 \
                --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
            rm -f /tmp/pwfile
            echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
        else
            as_postgres initdb -D "$PGDATA" -U "$user" -E UTF8 --locale=C.UTF-8 \
                --auth=trust >/dev/null
            echo "host all all all trust" >>"$PGDATA/pg_hba.conf"
        fi
        if [ "$db" != postgres ]; then
            echo "CREATE DATABASE \"$db\";" | as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
        fi
        echo "labform-test/postgres: database initialised"
    fi
    shift
    exec su -p -s /bin/sh -c 'exec "$0" "$@"' -- postgres postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
EOF
    chmod 755 "$root/usr/local-entrypoint.sh"
    local applet
    for applet in $(/bin/busybox --list); do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    chown -R 0:0 "$root"
    chown -R 999:999 "$root/var/lib/postgresql" "$root/var/run/postgresql"
    tar -C "$root" -cf "$ctx/rootfs.tar" .
    rm -rf "$root"
    cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/lib/postgresql/15/bin:/bin:/usr/bin LANG=C.UTF-8 PGDATA=/var/lib/postgresql/data
ENTRYPOINT ["/usr/local-entrypoint.sh"]
CMD ["postgres"]
EXPOSE 5432
STOPSIGNAL SIGINT
EOF
    DOCKER_BUILDKIT=0 docker build -q -t labform-test/postgres:15 "$ctx" >"$ctx/build.log" 2>&1 \
        || { cat "$ctx/build.log" >&2; rm -rf "$ctx"; die "building labform-test/postgres:15 failed"; }
    rm -rf "$ctx"
}

cmd_start() {
    local run_dir=$1
    need_root
    mkdir -p "$run_dir"
    run_dir=$(cd "$run_dir" && pwd)
    command -v curl >/dev/null || apt_install curl
    install_missing
    install_compose_v2
    local sock
    sock=$(handle_running_engine)
    if [ -n "$sock" ]; then
        echo "docker.sh: reusing the running engine at $sock" >&2
        echo "reused" >"$run_dir/docker.pid"
    else
        sock=$(start_engine "$run_dir")
    fi
    export DOCKER_HOST="unix://$sock"
    build_busybox
    build_postgres
    cat >"$run_dir/docker.env" <<EOF
export DOCKER_HOST=unix://$sock
export LABFORM_TEST_BUSYBOX=labform-test/busybox
export LABFORM_TEST_POSTGRES=labform-test/postgres:15
EOF
    echo "docker.sh: engine ready at unix://$sock" >&2
}

cmd_stop() {
    local run_dir=$1 pid
    [ -s "$run_dir/docker.pid" ] || return 0
    pid=$(cat "$run_dir/docker.pid")
    # Only a dockerd this script started (its exec root says so): the pid may have been reused.
    if [ "$pid" != reused ] && { tr '\0' ' ' </proc/"$pid"/cmdline; } 2>/dev/null | grep -q -- "--exec-root $EXEC_ROOT "; then
        stop_pid "$pid"
    fi
    rm -f "$run_dir/docker.pid" "$run_dir/docker.env"
}

case "${1:-}" in
    start) [ -n "${2:-}" ] || die "usage: $0 start <run_dir>"; cmd_start "$2" ;;
    stop) [ -n "${2:-}" ] || die "usage: $0 stop <run_dir>"; cmd_stop "$2" ;;
    *) die "usage: $0 start|stop <run_dir>" ;;
esac
