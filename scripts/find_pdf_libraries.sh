#!/usr/bin/env bash
# Make sure the system libraries PDF reports need are there: WeasyPrint loads Pango and
# HarfBuzz (C libraries, not on PyPI) and the reports are set in DejaVu Sans.
#
# When one is missing and we run as root on Debian/Ubuntu, install the distribution's
# packages; otherwise say what to install. Never fatal: without them the dashboard runs and
# its Report control says PDF is unavailable (the HTML report still works), but the PDF tests
# fail in CI (CI=true).
# Exit status: 0 libraries present, 1 missing.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
LIBRARIES=(libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0)

say() { echo "find_pdf_libraries: $*" >&2; }

present() {
    for library in "${LIBRARIES[@]}"; do
        ldconfig -p 2>/dev/null | grep -q "$library" || return 1
    done
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 1
}

if present; then
    exit 0
fi

is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

if [ "$(id -u)" -eq 0 ] && is_debian_like && command -v apt-get >/dev/null; then
    say "installing the Debian/Ubuntu packages ${PACKAGES[*]} (PDF reports)."
    if apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}" >&2 \
        && present; then
        exit 0
    fi
    say "installing them failed (see the apt-get output above)."
fi

say "PDF reports need Pango, HarfBuzz and DejaVu fonts: apt-get install ${PACKAGES[*]}"
say "(the dashboard runs without them; its HTML reports still work)."
exit 1
