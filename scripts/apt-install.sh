# Sourced by the ensure-*.sh scripts: installs Debian packages the tests need, the same way
# for each (as root, or with a sudo that needs no password; otherwise it says the command to
# run). POSIX sh.
#
#   apt_install WHO WHAT HINT OPTIONS PACKAGE...
#
# WHO names the script in its messages, WHAT is what is missing ("Chromium"), HINT a further
# line for the person reading and OPTIONS more apt-get options (either may be empty).
apt_install() {
    who=$1 what=$2 hint=$3 options=$4
    shift 4
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$who: $what not found and this is not a Debian/Ubuntu system: install it with" >&2
        echo "your package manager ($*)." >&2
        [ -z "$hint" ] || echo "$hint" >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo"
    else
        echo "$who: $what not found. Install it with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y $*" >&2
        [ -z "$hint" ] || echo "$hint" >&2
        exit 1
    fi
    echo "$who: installing the Debian packages $* ..." >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086  # the options are words
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $options "$@" >/dev/null
}
