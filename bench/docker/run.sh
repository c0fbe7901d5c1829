#!/usr/bin/env bash
# Brings a stack of 10 busybox containers (plus their network) up and down with labform (the .tf
# stack with apply/destroy, and the same docker-compose.yml with `labform up`/`down`) and with
# Docker Compose v2 (`docker compose`) on the same engine and image, and prints the times. A no-op `labform up` (the
# project already up) is timed too.
#
#   LABFORM=/path/to/labform bench/docker/run.sh [runs]
#
# Needs DOCKER_HOST pointing at an engine that has the image (scripts/services/docker.sh start
# <run_dir> builds labform-test/busybox and writes the variable into <run_dir>/docker.env), and
# the Compose v2 plugin (scripts/services/docker.sh installs both). IMAGE overrides the image for both tools.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-3}
: "${LABFORM:?set LABFORM to the labform binary}"
: "${DOCKER_HOST:?set DOCKER_HOST (. <run_dir>/docker.env after scripts/services/docker.sh start <run_dir>)}"
IMAGE=${IMAGE:-labform-test/busybox}
export IMAGE
docker compose version >/dev/null 2>&1 || { echo "run.sh: Docker Compose v2 (docker compose) is missing: scripts/services/docker.sh start <run_dir> installs it" >&2; exit 1; }
docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "run.sh: image $IMAGE is not on the engine" >&2; exit 1; }

work=$(mktemp -d)
stack="$work/labform-bench"
upstack="$work/compose-bench"
mkdir -p "$upstack"
cp "$here/docker-compose.yml" "$upstack/docker-compose.yml"
trap 'cd /; "$LABFORM" down "$upstack" >/dev/null 2>&1 || true; "$LABFORM" destroy -auto-approve -var "image=$IMAGE" "$stack" >/dev/null 2>&1 || true; docker compose -f "$work/docker-compose.yml" -p labform-bench down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cp -r "$here/stack" "$stack"
cp "$here/docker-compose.yml" "$work/docker-compose.yml"

now() { date +%s.%N; }
elapsed() { awk "BEGIN { print $2 - $1 }"; }
check_count() { # tool, expected number of running containers
    local n
    n=$(docker ps -q --filter "name=$1-bench-worker-" | wc -l)
    [ "$n" = "$2" ] || { echo "run.sh: expected $2 $1 containers, found $n" >&2; exit 1; }
}

printf '%-8s %4s %10s %10s %10s\n' tool run up_s down_s noop_up_s
for i in $(seq 1 "$runs"); do
    t0=$(now)
    "$LABFORM" apply -auto-approve -var "image=$IMAGE" "$stack" >/dev/null
    t1=$(now)
    check_count labform 10
    "$LABFORM" destroy -auto-approve -var "image=$IMAGE" "$stack" >/dev/null
    t2=$(now)
    check_count labform 0
    printf '%-8s %4s %10.2f %10.2f %10s\n' labform "$i" "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" -

    t0=$(now)
    docker compose -f "$work/docker-compose.yml" -p labform-bench up -d >/dev/null 2>&1
    t1=$(now)
    check_count compose 10
    docker compose -f "$work/docker-compose.yml" -p labform-bench down >/dev/null 2>&1
    t2=$(now)
    check_count compose 0
    printf '%-8s %4s %10.2f %10.2f %10s\n' compose "$i" "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" -

    t0=$(now)
    "$LABFORM" up "$upstack" >/dev/null
    t1=$(now)
    check_count compose 10
    "$LABFORM" up "$upstack" >/dev/null
    t2=$(now)
    "$LABFORM" down "$upstack" >/dev/null
    t3=$(now)
    check_count compose 0
    printf '%-8s %4s %10.2f %10.2f %10.2f\n' lf-up "$i" "$(elapsed "$t0" "$t1")" "$(elapsed "$t2" "$t3")" "$(elapsed "$t1" "$t2")"
done
