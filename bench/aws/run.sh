#!/usr/bin/env bash
# Apply and destroy time of stacks/aws-vpc-ec2 and stacks/dlai-lab against moto's server, each next
# to the floor set by its dependency chain: (resources on the critical path) x (one API call's
# latency).
# Usage: bench/aws/run.sh [runs]     LABFORM=path/to/labform overrides the binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-3}"
export LABFORM_CACHE="${LABFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labform}"
if [ -z "${LABFORM:-}" ]; then
  target="${CARGO_TARGET_DIR:-$LABFORM_CACHE/target}"
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --quiet --no-default-features --features aws)
  LABFORM="$target/release/labform"
fi

work="$(mktemp -d)"
run_dir="$work/run"
trap 'bash "$root/scripts/services/moto.sh" stop "$run_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$root/scripts/services/moto.sh" start "$run_dir" >/dev/null
# shellcheck disable=SC1091
source "$run_dir/moto.env"

latency_ms=$("$LABFORM_TEST_PYTHON" -c '
import boto3, os, time
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
ec2.describe_vpcs()
t = time.perf_counter()
for _ in range(50): ec2.describe_vpcs()
print(f"{(time.perf_counter() - t) / 50 * 1000:.1f}")')
echo "binary: $LABFORM"
echo "one moto call: ${latency_ms} ms"

# The longest chain of resources in the stack in $1 (from `labform graph`).
critical_path() {
  "$LABFORM" -chdir="$1" graph | "$LABFORM_TEST_PYTHON" -c '
import re, sys, functools
edges = {}
for a, b in re.findall(r"\"([^\"]+)\" -> \"([^\"]+)\"", sys.stdin.read()):
    edges.setdefault(a, []).append(b)
def resource(n): return not n.startswith(("var.", "local.", "provider.", "output."))
@functools.lru_cache(None)
def depth(n):
    below = [depth(m) for m in edges.get(n, [])]
    return (1 if resource(n) else 0) + max(below, default=0)
print(max(depth(n) for n in edges))'
}

# Runs a command with its output discarded and prints the CPU time it used (user + system, s):
# labform's own work, apart from the waiting on the API that the wall time also holds.
cpu_seconds() {
  local TIMEFORMAT='%U %S' times
  times=$({ time "$@" > /dev/null 2> "$work/stderr"; } 2>&1) || { cat "$work/stderr" >&2; return 1; }
  awk -v t="$times" 'BEGIN { split(t, p, " "); printf "%.3f", p[1] + p[2] }'
}

# Applies and destroys stacks/$1 `runs` times with the -var arguments that follow.
bench_stack() {
  local name="$1"; shift
  local dir="$work/$name"
  mkdir -p "$dir"
  cp -r "$root/stacks/$name/." "$dir/"
  local chain
  chain=$(critical_path "$dir")
  echo
  echo "stacks/$name: critical path $chain resources; floor $(awk -v c="$chain" -v l="$latency_ms" 'BEGIN { printf "%.3f", c * l / 1000 }') s (one call per resource)"
  printf '%4s %10s %10s %10s %10s\n' run apply_s destroy_s apply_cpu destroy_cpu
  for ((i = 1; i <= runs; i++)); do
    start=$EPOCHREALTIME
    apply_cpu=$(cpu_seconds "$LABFORM" -chdir="$dir" apply -auto-approve "$@")
    mid=$EPOCHREALTIME
    destroy_cpu=$(cpu_seconds "$LABFORM" -chdir="$dir" destroy -auto-approve "$@")
    end=$EPOCHREALTIME
    awk -v i="$i" -v a="$start" -v m="$mid" -v e="$end" -v ac="$apply_cpu" -v dc="$destroy_cpu" \
      'BEGIN { printf "%4d %10.3f %10.3f %10.3f %10.3f\n", i, m - a, e - m, ac, dc }'
  done
}

bench_stack aws-vpc-ec2 -var "ssh_cidr=203.0.113.7/32"

# The DeepLearning.AI lab needs what its account has before the lab: a VPC, two subnets and the
# database's security group.
read -r vpc a b sg < <("$LABFORM_TEST_PYTHON" -c '
import boto3, os
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="bench-db", Description="db", VpcId=vpc)["GroupId"]
print(vpc, a, b, sg)')
bench_stack dlai-lab -var "vpc_id=$vpc" -var "private_subnet_a_id=$a" -var "private_subnet_b_id=$b" \
  -var "db_sg_id=$sg" -var "db_password=bench-Secret-1"
