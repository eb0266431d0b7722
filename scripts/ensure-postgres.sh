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

. "$(dirname "$0")/apt-install.sh"
apt_install ensure-postgres "PostgreSQL server binaries (initdb, pg_ctl)" \
    "Or set SALONBOT_TEST_POSTGRES_URL to an existing server." "" postgresql

if ! have_initdb; then
    echo "ensure-postgres: postgresql was installed but initdb is still missing" >&2
    exit 1
fi
