#!/usr/bin/env bash
# BigQuery emulator for tests: bqemulator (PyPI, + numpy which it needs) started through
# bigquery_emulator.py, which skips its download of DuckDB's spatial extension.
#   bigquery.sh start <run_dir>   install if missing, start on a free 127.0.0.1 port, write
#                                 <run_dir>/bigquery.env and <run_dir>/bigquery.pid
#   bigquery.sh stop <run_dir>    stop what start started (by PID)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name=bigquery
pin="bqemulator==1.4.0 numpy"
probe_path="/bigquery/v2/projects/probe/datasets"
ready_seconds=60
env_var=BIGQUERY_EMULATOR_HOST
start_cmd() {
    exec "$venv/bin/python" "$here/bigquery_emulator.py" start --rest-host 127.0.0.1 --rest-port "$1" \
        --grpc-host 127.0.0.1 --grpc-port 0 --ephemeral --log-level warning
}
extra_env() { echo "export GOOGLE_PROJECT=\${GOOGLE_PROJECT:-labform-test}"; }

# shellcheck source=lib/python_service.sh
source "$here/lib/python_service.sh"
python_service_main "$@"
