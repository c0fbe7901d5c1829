#!/usr/bin/env bash
# Times apply, no-op plan and destroy of generated stacks of N `terraform_data` resources in two
# shapes: a fan (every resource depends on one root) and a chain (each depends on the previous),
# plus a module-heavy shape: N/20 module calls of one local module holding 20 resources (N=2000
# is the 100 modules x 20 resources stack; compare its per-resource times with the fan's).
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
  if [ "$shape" = modules ]; then
    mkdir -p "$dir/modules/m"
    {
      echo 'variable "name" {}'
      echo 'resource "terraform_data" "r0" {'
      echo '  input = var.name'
      echo '}'
      for ((i = 1; i < 20; i++)); do
        printf 'resource "terraform_data" "r%d" {\n  input = "${terraform_data.r0.id}-%d"\n}\n' "$i" "$i"
      done
      echo 'output "id" {'
      echo '  value = terraform_data.r0.id'
      echo '}'
    } > "$dir/modules/m/main.tf"
    {
      for ((i = 0; i < n / 20; i++)); do
        printf 'module "m%d" {\n  source = "./modules/m"\n  name   = "m%d"\n}\n' "$i" "$i"
      done
    } > "$dir/main.tf"
    return
  fi
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

printf '%-7s %6s %10s %10s %10s %12s\n' shape N apply_s plan_s destroy_s apply_us/res
for shape in ${SHAPES:-fan chain modules}; do
  for n in "${sizes[@]}"; do
    dir="$work/$shape-$n"
    generate "$shape" "$n" "$dir"
    a=$(seconds "$LABFORM" -chdir="$dir" apply -auto-approve -parallelism=10)
    p=$(seconds "$LABFORM" -chdir="$dir" plan -detailed-exitcode)
    d=$(seconds "$LABFORM" -chdir="$dir" destroy -auto-approve)
    per=$(awk -v a="$a" -v n="$n" 'BEGIN { printf "%.0f", a * 1e6 / n }')
    printf '%-7s %6d %10.3f %10.3f %10.3f %12s\n' "$shape" "$n" "$a" "$p" "$d" "$per"
  done
done
