#!/usr/bin/env bash
# The test command: installs and starts what the tests need (the services under
# scripts/services/: a Docker engine, moto for AWS, the Cloud Storage and BigQuery emulators),
# points the tests at them through the standard environment variables, runs every test, and
# stops what it started. Works on a fresh Debian machine with a Rust toolchain.
#
#   scripts/test.sh                  everything
#   LABFORM_SERVICES="moto" scripts/test.sh -p labform-aws    selected services, cargo test args
#
# Builds go to $CARGO_TARGET_DIR (default: ~/.cache/labform/target, outside the clone, so a
# second clone reuses the build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export LABFORM_CACHE="${LABFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labform}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$LABFORM_CACHE/target}"
mkdir -p "$LABFORM_CACHE"

if ! command -v cargo >/dev/null; then
    echo "test.sh: cargo is not installed; install Rust (https://rustup.rs) first" >&2
    exit 1
fi

# Command-line tools the tests call as separate clients: curl (the Google emulators), and
# openssl, ssh-keygen and perl (the keys and bcrypt hash a hand-written Terraform state of
# tls_private_key and random_password holds). Installed when missing, on Debian as root.
missing=()
for tool in curl:curl openssl:openssl ssh-keygen:openssh-client perl:perl; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "==> installing ${missing[*]}"
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    else
        echo "test.sh: the tests need ${missing[*]}; install them first" >&2
        exit 1
    fi
fi

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/labform-test.XXXXXX")"
services=()
if [ -n "${LABFORM_SERVICES+x}" ]; then
    read -r -a services <<< "$LABFORM_SERVICES"
else
    for s in scripts/services/*.sh; do
        [ -e "$s" ] && services+=("$(basename "$s" .sh)")
    done
fi

stop_all() {
    local code=$?
    for s in "${services[@]}"; do
        bash "scripts/services/$s.sh" stop "$run_dir" >/dev/null 2>&1 || true
    done
    rm -rf "$run_dir"
    exit $code
}
trap stop_all EXIT INT TERM

for s in "${services[@]}"; do
    echo "==> starting $s"
    bash "scripts/services/$s.sh" start "$run_dir"
    # shellcheck disable=SC1090
    source "$run_dir/$s.env"
done

echo "==> cargo test"
cargo test --workspace --no-fail-fast "$@"
