#!/usr/bin/env bash
# Cloud Storage emulator for tests: gcp-storage-emulator (PyPI) started through
# gcs_emulator.py, which fixes its bucket insert/list/patch handlers (see that file).
#   gcs.sh start <run_dir>   install if missing, start on a free 127.0.0.1 port, write
#                            <run_dir>/gcs.env and <run_dir>/gcs.pid
#   gcs.sh stop <run_dir>    stop what start started (by PID)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name=gcs
pin="gcp-storage-emulator==2026.7.19"
probe_path="/storage/v1/b?project=probe"
ready_seconds=10
env_var=STORAGE_EMULATOR_HOST
start_cmd() { exec "$venv/bin/python" "$here/gcs_emulator.py" start --host 127.0.0.1 --port "$1" --in-memory -q; }
extra_env() { echo "export GOOGLE_PROJECT=\${GOOGLE_PROJECT:-labform-test}"; }

# shellcheck source=lib/python_service.sh
source "$here/lib/python_service.sh"
python_service_main "$@"
