#!/bin/sh
# Ends a cohort's forgotten labs: destroys every labform stack whose expiry (`labform apply -ttl 8h`,
# `LABFORM_TTL`, or `labform { ttl = "8h" }` in the stack) has passed, found by the marks on its
# objects in the accounts and projects named by the provider blocks of one directory. Objects
# without labform's marks, and stacks that have not expired (or carry no expiry), are never touched.
#
# Set up once, as the instructor:
#   mkdir -p ~/course-teardown && cd ~/course-teardown
#   cat > main.tf <<'TF'
#   provider "aws"    { region  = "us-east-1" }
#   provider "google" { project = "my-course-project" }
#   provider "docker" {}
#   TF
# (keep only the providers the course uses; credentials come from the usual places:
# AWS_PROFILE, GOOGLE_APPLICATION_CREDENTIALS, DOCKER_HOST), then in `crontab -e`:
#   17 * * * * /path/to/labform/scripts/teardown-cron.sh ~/course-teardown >> ~/course-teardown/sweep.log 2>&1
#
# Usage: teardown-cron.sh [DIR] (default: the current directory). `DRY_RUN=1` lists what it would
# destroy and deletes nothing. Exit code: labform's (0 done, 1 something could not be deleted).
set -eu

dir=${1:-.}
labform=${LABFORM:-labform}

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) labform sweep -expired -all in $dir"
if [ "${DRY_RUN:-0}" = 1 ]; then
    exec "$labform" -chdir="$dir" sweep -expired -all -dry-run
fi
exec "$labform" -chdir="$dir" sweep -expired -all -auto-approve
