#!/usr/bin/env bash
# Times clean release builds of labform for each feature set, each in a fresh target directory,
# and prints a table (minutes:seconds, binary size). Dependencies are fetched first so that the
# network is not timed.
# Usage: bench/build/run.sh [SET ...]   SET: all aws gcp,docker docker engine (default: all five)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sets=("$@")
[ ${#sets[@]} -eq 0 ] && sets=(all aws gcp,docker docker engine)

flags_for() { # set -> cargo feature flags
  case "$1" in
    all) echo "" ;;
    engine) echo "--no-default-features" ;;
    *) echo "--no-default-features --features $1" ;;
  esac
}

(cd "$root" && cargo fetch --locked --quiet)
work="$(mktemp -d "${TMPDIR:-/tmp}/labform-build-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

printf '%-12s %10s %10s  %s\n' set build_m:s size_MB "cargo install command"
for set in "${sets[@]}"; do
  flags="$(flags_for "$set")"
  target="$work/$set"
  start=$EPOCHREALTIME
  # shellcheck disable=SC2086 # flags are words
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet $flags)
  end=$EPOCHREALTIME
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%d", b - a }')
  size=$(awk -v s="$(stat -c %s "$target/release/labform")" 'BEGIN { printf "%.1f", s / 1048576 }')
  printf '%-12s %7d:%02d %10s  cargo install --locked --path . %s\n' "$set" $((secs / 60)) $((secs % 60)) "$size" "$flags"
  rm -rf "$target"
done
