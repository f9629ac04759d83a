#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# What systemd does with rawburnd.service, for tests that kill the daemon:
# run under drivesim (so that the drives outlive the daemon) as
#     drivesim … -- rawburnd-lifecycle.sh PIDFILE RAWBURND [ARG]...
# it starts rawburnd and writes its pid to PIDFILE; whenever rawburnd ends it
# reads one line from standard input and does what it says: "start" (start
# rawburnd again), "stop-post" (rawburnd --unlock-trays, the unit's
# ExecStopPost) or "exit".
pidfile=$1
shift
"$@" &
echo $! >"$pidfile"
wait
while read -r step; do
        case $step in
        start)
                "$@" &
                echo $! >"$pidfile"
                wait
                ;;
        stop-post)
                "$1" --unlock-trays
                echo "unlock-trays $?"
                ;;
        exit)
                exit 0
                ;;
        esac
done
