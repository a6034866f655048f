#!/usr/bin/env bash
# Print the folder of the PostgreSQL server programs (initdb, pg_ctl) the database tests use,
# or explain how to get them.
#
# Order: the newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl. When there is none and
# we run as root on Debian/Ubuntu, install the distribution's `postgresql` package (the tests
# start their own server in a temporary folder; the package's own cluster is not used).
#
# stdout: the folder (only on success). stderr: everything a human should read.
# Exit status: 0 found, 1 none to be had.
set -euo pipefail

say() { echo "find_postgres: $*" >&2; }

find_bin() {
    local found
    # The glob sorts 15 after 14 and 9 after 16: pick the highest version number.
    found=$(for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
    done | sort -t/ -k5,5n | tail -n 1)
    [ -n "$found" ] && echo "$found"
}

if dir=$(find_bin); then
    echo "$dir"
    exit 0
fi

is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

if [ "$(id -u)" -eq 0 ] && is_debian_like && command -v apt-get >/dev/null; then
    say "no PostgreSQL server programs in /usr/lib/postgresql/*/bin; installing the Debian/Ubuntu package 'postgresql'."
    # Progress goes to stderr so that stdout carries only the folder.
    if apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
        && dir=$(find_bin); then
        echo "$dir"
        exit 0
    fi
    say "installing the 'postgresql' package failed (see the apt-get output above)."
fi

cat >&2 <<MSG
find_postgres: no PostgreSQL server for the database tests.
  Debian/Ubuntu: sudo apt-get install postgresql   (initdb and pg_ctl in /usr/lib/postgresql/*/bin)
  The tests start their own server in a temporary folder on a free port of 127.0.0.1.
MSG
exit 1
