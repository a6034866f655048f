#!/usr/bin/env bash
# Print the path of a Chromium the browser tests can drive, or explain how to get one.
#
# Order: $CHROMIUM_PATH if set, else /usr/bin/chromium. When neither exists and we
# run as root on Debian/Ubuntu, install the distribution's `chromium` package.
# Never `playwright install`: it downloads a browser from a CDN, which CI machines
# and offline users cannot reach, and it would test a browser users do not have.
#
# stdout: the path (only on success). stderr: everything a human should read.
# Exit status: 0 found, 1 none to be had.
set -euo pipefail

DEFAULT_PATH=/usr/bin/chromium

say() { echo "find_chromium: $*" >&2; }

usable() { [ -n "$1" ] && [ -x "$1" ] && [ ! -d "$1" ]; }

if [ -n "${CHROMIUM_PATH:-}" ]; then
    if usable "$CHROMIUM_PATH"; then
        echo "$CHROMIUM_PATH"
        exit 0
    fi
    # A wrong explicit path is a mistake to report, not something to paper over.
    say "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file."
    exit 1
fi

if usable "$DEFAULT_PATH"; then
    echo "$DEFAULT_PATH"
    exit 0
fi

is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

if [ "$(id -u)" -eq 0 ] && is_debian_like && command -v apt-get >/dev/null; then
    say "no Chromium at $DEFAULT_PATH; installing the Debian/Ubuntu package 'chromium'."
    # Progress goes to stderr so that stdout carries only the path.
    if apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2 \
        && usable "$DEFAULT_PATH"; then
        echo "$DEFAULT_PATH"
        exit 0
    fi
    say "installing the 'chromium' package failed (see the apt-get output above)."
fi

cat >&2 <<MSG
find_chromium: no Chromium found for the browser tests.
  Get one in either way:
    - Debian/Ubuntu: sudo apt-get install chromium   (then it is at $DEFAULT_PATH)
    - any system:    export CHROMIUM_PATH=/path/to/chromium-or-chrome
  The tests never download a browser themselves (no 'playwright install').
MSG
exit 1
