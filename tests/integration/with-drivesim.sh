#!/bin/bash
# Runs a test program under drivesim with a private temporary directory:
#   with-drivesim.sh DRIVESIM [DRIVESIM-OPTION]... -- COMMAND [ARG]...
# Every argument "@TMP@" becomes that directory and "@CONTROL@" a control
# socket path inside it. The directory is removed afterwards.
set -euo pipefail

drivesim=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/drivesim-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

args=()
for a in "$@"; do
        a=${a//@CONTROL@/$tmp/control.sock}
        args+=("${a//@TMP@/$tmp}")
done
"$drivesim" "${args[@]}"
