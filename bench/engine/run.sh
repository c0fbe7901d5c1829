#!/usr/bin/env bash
# Times apply, no-op plan and destroy of generated stacks of N `terraform_data` resources in two
# shapes: a fan (every resource depends on one root) and a chain (each depends on the previous).
# Prints one line per measurement. Usage: bench/engine/run.sh [N ...]   (default: 100 1000 10000)
# LABFORM=path/to/labform overrides the binary (default: a release build of the engine alone).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 10000)

if [ -z "${LABFORM:-}" ]; then
  target="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/labform/target}"
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --no-default-features --quiet)
  LABFORM="$target/release/labform"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

generate() { # shape n dir
  local shape=$1 n=$2 dir=$3
  mkdir -p "$dir"
  {
    echo 'resource "terraform_data" "r0" {'
    echo '  input = "root"'
    echo '}'
    for ((i = 1; i < n; i++)); do
      if [ "$shape" = fan ]; then prev=0; else prev=$((i - 1)); fi
      printf 'resource "terraform_data" "r%d" {\n  input = terraform_data.r%d.id\n}\n' "$i" "$prev"
    done
  } > "$dir/main.tf"
}

seconds() { # command...
  local start end
  start=$EPOCHREALTIME
  "$@" > /dev/null
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }' 
}

printf '%-6s %6s %10s %10s %10s\n' shape N apply_s plan_s destroy_s
for shape in fan chain; do
  for n in "${sizes[@]}"; do
    dir="$work/$shape-$n"
    generate "$shape" "$n" "$dir"
    a=$(seconds "$LABFORM" -chdir="$dir" apply -auto-approve -parallelism=10)
    p=$(seconds "$LABFORM" -chdir="$dir" plan -detailed-exitcode)
    d=$(seconds "$LABFORM" -chdir="$dir" destroy -auto-approve)
    printf '%-6s %6d %10.3f %10.3f %10.3f\n' "$shape" "$n" "$a" "$p" "$d"
  done
done
