#!/bin/sh
# Make sure the HTML export's browser test (tests/test_html_site.py) has what it drives:
#   - Debian's `chromium` and `chromium-driver` (/usr/bin/chromium, /usr/bin/chromedriver),
#     installed with apt-get when missing;
#   - axe-core from npm, at the version pinned in tests/browser/package.json and
#     package-lock.json, into tests/browser/node_modules (git-ignored).
# Idempotent and silent when everything is already there.
set -eu

HERE=$(cd "$(dirname "$0")/.." && pwd)
BROWSER_DIR="$HERE/tests/browser"
AXE="$BROWSER_DIR/node_modules/axe-core/axe.min.js"

have_chromium() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

if ! have_chromium; then
    . "$HERE/scripts/apt-install.sh"
    apt_install ensure-browser "Chromium with its chromedriver" "" --no-install-recommends \
        chromium chromium-driver
    if ! have_chromium; then
        echo "ensure-browser: chromium was installed but /usr/bin/chromedriver is still missing" >&2
        exit 1
    fi
fi

if [ ! -f "$AXE" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "ensure-browser: npm not found; install Node.js and npm (Debian: apt-get install" >&2
        echo "npm), then run this script again to fetch axe-core into tests/browser." >&2
        exit 1
    fi
    echo "ensure-browser: installing axe-core (pinned in tests/browser/package-lock.json) ..." >&2
    if [ -f "$BROWSER_DIR/package-lock.json" ]; then
        (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --silent)
    else
        (cd "$BROWSER_DIR" && npm install --no-audit --no-fund --silent)
    fi
    if [ ! -f "$AXE" ]; then
        echo "ensure-browser: npm ran but $AXE is still missing" >&2
        exit 1
    fi
fi
