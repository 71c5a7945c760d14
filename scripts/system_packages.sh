#!/usr/bin/env bash
# The Debian packages the test suite needs, installed when missing: `make test` (and every target
# that installs requirements/test.txt) runs this script first, `.ci/run` runs it with --ci.
#
#   scripts/system_packages.sh        chromium (browser tests), npm when missing (axe-core for the
#                                     browser tests), gettext (msgfmt), and what builds
#                                     mysqlclient: default-libmysqlclient-dev, pkg-config,
#                                     build-essential, Python's headers
#   scripts/system_packages.sh --ci   the same, plus MariaDB and Redis servers
#
# As root: one `apt-get update`, then `apt-get install -y` of the missing packages. Otherwise,
# when a package is missing: stop at once, printing the exact `apt-get install` line to run.
# `make demo` needs none of them (requirements/demo.txt compiles nothing).
set -euo pipefail

python=${BOOTSTRAP_PYTHON:-python3.11}
packages=(chromium gettext default-libmysqlclient-dev pkg-config build-essential)
case "${1:-}" in
    --ci) packages+=(mariadb-server redis-server) ;;
    "") ;;
    *) echo "usage: $0 [--ci]" >&2; exit 2 ;;
esac
command -v npm >/dev/null || packages+=(npm)
if ! command -v "$python" >/dev/null; then
    packages+=(python3.11 python3.11-venv python3.11-dev)
else
    # Debian's python3.11 creates virtualenvs with python3.11-venv and builds C extensions
    # with python3.11-dev; a Python built from source (pyenv, Docker images) has both.
    "$python" -c "import ensurepip" 2>/dev/null || packages+=(python3.11-venv)
    "$python" -c "import os, sys, sysconfig; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_path('include'), 'Python.h')))" \
        || packages+=(python3.11-dev)
fi

if ! command -v dpkg-query >/dev/null; then
    echo "Not a Debian system: make sure the equivalents of these packages are installed: ${packages[*]}" >&2
    exit 0
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]})) || exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Install them as root, then run make again:" >&2
    echo "    apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing the missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
