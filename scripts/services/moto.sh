#!/usr/bin/env bash
# moto's server (a local AWS API) for tests; boto3 comes with it as the separate client.
#   moto.sh start <run_dir>   install if missing, start on a free 127.0.0.1 port, write
#                             <run_dir>/moto.env and <run_dir>/moto.pid
#   moto.sh stop <run_dir>    stop what start started (by PID)
# Pinned: moto 5.2.x answers GetBucketVersioning with an XML root the Rust SDK rejects.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name=moto
pin="moto[server]==5.1.22"
probe_path="/moto-api/"
ready_seconds=20
env_var=AWS_ENDPOINT_URL
# AWS-managed policies (arn:aws:iam::aws:policy/...) exist only when loaded at start: the labs
# attach them with aws_iam_role_policy_attachment.
# moto_server.py adds the Glue calls moto lacks (UpdateConnection, DeleteConnection, UpdateCrawler,
# UpdateJob); see that file.
start_cmd() { MOTO_IAM_LOAD_MANAGED_POLICIES=true exec "$venv/bin/python" "$here/moto_server.py" -H 127.0.0.1 -p "$1"; }
extra_env() {
    # Fixed test credentials and region; never probe instance metadata (not on loopback).
    echo "export AWS_ACCESS_KEY_ID=test"
    echo "export AWS_SECRET_ACCESS_KEY=test"
    echo "export AWS_REGION=us-east-1"
    echo "export AWS_DEFAULT_REGION=us-east-1"
    echo "export AWS_EC2_METADATA_DISABLED=true"
}

# shellcheck source=lib/python_service.sh
source "$here/lib/python_service.sh"
python_service_main "$@"
