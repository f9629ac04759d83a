# shellcheck shell=bash
# Sourced by the integration scripts, which meson runs as
#   SCRIPT DRIVESIM DRIVESIM-CTL
# Gives them a private temporary directory, drivesim, and assertions on what
# the real programs printed.
set -euo pipefail

# Absolute: the scripts change directory; meson passes paths relative to the build dir.
DRIVESIM=$(realpath "$1")
DRIVESIM_CTL=$(realpath "$2")
shift 2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/drivesim-it.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C

fail() {
        echo "FAIL: $*" >&2
        exit 1
}

# run NAME STATUS COMMAND...: runs COMMAND (under drivesim when the caller puts
# "$DRIVESIM" … in it), stdout and stderr to $TMP/NAME.out, and checks its exit
# status: a number, "nonzero", or "any".
run() {
        local name=$1 want=$2 status=0
        shift 2
        echo "+ $*" >&2
        "$@" >"$TMP/$name.out" 2>&1 || status=$?
        case $want in
        any) ;;
        nonzero) [ "$status" -ne 0 ] || { cat "$TMP/$name.out" >&2; fail "$name: exit status 0, expected a failure"; } ;;
        *) [ "$status" -eq "$want" ] || { cat "$TMP/$name.out" >&2; fail "$name: exit status $status, expected $want"; } ;;
        esac
}

# expect NAME REGEX [WHAT]: the output of run NAME matches the extended regex.
expect() {
        grep -Eq -- "$2" "$TMP/$1.out" || {
                cat "$TMP/$1.out" >&2
                fail "$1: ${3:-output} does not match /$2/"
        }
}

# expect_not NAME REGEX [WHAT]
expect_not() {
        if grep -Eq -- "$2" "$TMP/$1.out"; then
                cat "$TMP/$1.out" >&2
                fail "$1: ${3:-output} matches /$2/"
        fi
}

# make_wav FILE SECTORS: CD audio (44.1 kHz, 16 bit, stereo) of exactly SECTORS
# 2352-byte sectors (588 frames each), a tone so that tracks differ.
make_wav() {
        # The rate goes before -n: a sample count is counted at the input's rate.
        sox -q -r 44100 -c 2 -n -b 16 -e signed-integer "$1" synth "$(($2 * 588))s" sine "${3:-440}" vol 0.3
        [ "$(soxi -s "$1")" -eq $(($2 * 588)) ] || fail "sox made $(soxi -s "$1") samples, not $(($2 * 588))"
}

# make_one_track_album: $TMP/a.wav (300 sectors of a 440 Hz tone) and the cdrdao
# TOC $TMP/x.toc that burns it as one audio track.
make_one_track_album() {
        make_wav "$TMP/a.wav" 300 440
        printf 'CD_DA\nTRACK AUDIO\nFILE "a.wav" 0\n' >"$TMP/x.toc"
}


# in_drivesim NAME [DRIVESIM-OPTION]... -- 'SCRIPT': runs a bash SCRIPT under one
# drivesim, so that several programs see the same drive; the SCRIPT may use
# run/expect and $TMP, $CONTROL (a control socket drivesim listens on) and ctl
# (drivesim-ctl on it). Its output goes to $TMP/NAME.out; it must succeed.
CONTROL=$TMP/control.sock
ctl() {
        "$DRIVESIM_CTL" "$CONTROL" "$@"
}
export TMP CONTROL DRIVESIM_CTL LC_ALL
export -f run expect expect_not fail ctl
in_drivesim() {
        local name=$1
        shift
        local opts=()
        while [ "$1" != "--" ]; do
                opts+=("$1")
                shift
        done
        shift
        run "$name" 0 "$DRIVESIM" --control "$CONTROL" "${opts[@]}" -- bash -euo pipefail -c "$1"
}
