#!/bin/sh
# Make sure PostgreSQL *server* binaries (initdb, pg_ctl) exist, for the test suite's
# throw-away cluster (tests/pg_cluster.py).  Installs the Debian package `postgresql`
# if they are missing.  Idempotent and silent when they are already there.
#
# Debian keeps initdb off PATH (in /usr/lib/postgresql/<version>/bin), hence both checks.
set -eu

have_initdb() {
    command -v initdb >/dev/null 2>&1 && return 0
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
    done
    return 1
}

have_initdb && exit 0

if [ -n "${SALONBOT_TEST_POSTGRES_URL:-}" ]; then
    # The tests will use that server instead of starting their own.
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: PostgreSQL server binaries (initdb, pg_ctl) not found and this is" >&2
    echo "not a Debian/Ubuntu system: install the PostgreSQL server with your package manager," >&2
    echo "or set SALONBOT_TEST_POSTGRES_URL to an existing server." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "ensure-postgres: PostgreSQL server binaries not found. Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y postgresql" >&2
    echo "or set SALONBOT_TEST_POSTGRES_URL to an existing server." >&2
    exit 1
fi

echo "ensure-postgres: installing the Debian package postgresql ..." >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null

if ! have_initdb; then
    echo "ensure-postgres: postgresql was installed but initdb is still missing" >&2
    exit 1
fi
