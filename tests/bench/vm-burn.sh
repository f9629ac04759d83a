#!/bin/bash
# The burn benchmark's kernel-path mode, run as root inside the real-stack
# machine (burn-bench.py --vm): the same album burned by rawburnd (installed,
# D-Bus activated, as its unprivileged user), cdrdao --driver generic-mmc-raw
# and wodim -raw96r onto a realtime drivesim USB drive with BURN-Free off,
# through the kernel's usb-storage, sr and sg drivers. One line per burn:
#   BENCH {"tool": …, "burn": N, "rc": …, "cpu_s": …, "state": {drivesim's srN state}}
# Under software emulation the absolute figures mean little; burn-bench.py
# prints them as ratios between the tools.
# The album (WAVs, a cue sheet and a TOC of them) is in /usr/local/share/rawburn-bench,
# put there by run-vm.sh --overlay; BENCH_BURNS and BENCH_SPEC come from there too.
. /usr/local/lib/rawburn-vm/lib.sh
bench=/usr/local/share/rawburn-bench
. "$bench/settings"
speed=$BENCH_SPEED
TIMEFORMAT='%U %S'

drive=$(plug_drive "$BENCH_SPEC") && [ -n "$drive" ] || fail "no bench drive"
sg=$(drivesim_ctl list | awk -v d="$drive" '$1 == d {print $3}')
echo "bench drive: $drive ($sg), $BENCH_SPEC"

# user + system seconds of a process and its waited-for children, from /proc.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13 + $14 + $15) / hz}' "/proc/$1/stat"; }
# rawburnd's CPU by thread over a burn, as "NAME TICKS" lines in OUT: each
# thread's user + system ticks when last seen, less what it had at the first
# look. Sampled once a second with builtins only (a fork a second costs
# seconds of CPU under emulation); a thread that ends between two looks loses
# at most its last second.
sample_threads() { # PID OUT; runs until TERM
        local pid=$1 out=$2 t l name nap first=1
        local -A cpu base names
        mkfifo /tmp/nap.fifo 2>/dev/null
        exec {nap}<>/tmp/nap.fifo
        trap 'for t in "${!cpu[@]}"; do echo "${names[$t]} $((cpu[$t] - ${base[$t]:-0}))"; done >"$out"; exit 0' TERM
        while :; do
                for t in /proc/"$pid"/task/*; do
                        read -r l <"$t/stat" 2>/dev/null || continue
                        name=${l#*(} && name=${name%%)*}
                        set -- ${l##*) }
                        cpu[${t##*/}]=$((${12} + ${13}))
                        names[${t##*/}]=$name
                        [ $first = 0 ] || base[${t##*/}]=${cpu[${t##*/}]}
                done
                first=0
                read -rt 1 -u "$nap" _
        done
}
threads_json() { # OUT of sample_threads: {"NAME": seconds, …}, threads of one name added up
        awk -v hz="$(getconf CLK_TCK)" '{s[$1] += $2} END {printf "{"; n = 0
                for (k in s) printf "%s\"%s\": %.2f", (n++ ? ", " : ""), k, s[k] / hz; printf "}"}' "$1"
}
state_json() {
        drivesim_ctl "$drive state" | awk -F= 'BEGIN {printf "{"} NR > 1 {printf ", "}
                {gsub(/"/, "", $2); printf "\"%s\": \"%s\"", $1, $2} END {printf "}"}'
}
report() { # TOOL N RC CPU [THREADS-JSON]
        echo "BENCH {\"tool\": \"$1\", \"burn\": $2, \"rc\": $3, \"cpu_s\": $4, \"threads\": ${5:-null}, \"state\": $(state_json)}"
}

rawburnctl image create --sector-type raw -o /var/tmp/album.dao96 "$bench"/album-*.wav >/dev/null ||
        fail "rawburnctl image create"
busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null
for tool in rawburnd cdrdao wodim; do
        # rawburnd lets go of the drive between its burns; the peers need it alone.
        if [ $tool = rawburnd ]; then
                busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null
        else
                systemctl stop rawburnd.service
        fi
        for ((i = 1; i <= BENCH_BURNS; i++)); do
                fresh_disc "$drive"
                sync
                echo 3 >/proc/sys/vm/drop_caches
                case $tool in
                rawburnd)
                        pid=$(rawburnd_pid)
                        before=$(proc_cpu "$pid")
                        sample_threads "$pid" /tmp/threads.txt &
                        sampler=$!
                        { time rawburnctl burn --no-burnfree --speed "$speed" --drive "$drive" \
                                /var/tmp/album.dao96 >/tmp/bench.log 2>&1; } 2>/tmp/bench.time
                        rc=$?
                        after=$(proc_cpu "$pid")
                        kill $sampler && wait $sampler
                        threads=$(threads_json /tmp/threads.txt)
                        cpu=$(awk -v b="$before" -v a="$after" '{print a - b + $1 + $2}' /tmp/bench.time)
                        ;;
                cdrdao)
                        { time cdrdao write -n --device "$sg" --driver generic-mmc-raw --speed "$speed" \
                                --buffer-under-run-protection 0 "$bench/album.toc" >/tmp/bench.log 2>&1; } \
                                2>/tmp/bench.time
                        rc=$?
                        cpu=$(awk '{print $1 + $2}' /tmp/bench.time)
                        ;;
                wodim)
                        { time wodim -raw96r dev="/dev/$drive" speed="$speed" driveropts=noburnfree \
                                -audio "$bench"/album-*.wav >/tmp/bench.log 2>&1; } 2>/tmp/bench.time
                        rc=$?
                        cpu=$(awk '{print $1 + $2}' /tmp/bench.time)
                        ;;
                esac
                [ "$rc" = 0 ] || tail -n 20 /tmp/bench.log
                report "$tool" "$i" "$rc" "$cpu" "${threads:-}"
                threads=
        done
        # rawburnd's raw image is done with: the long album's (950 MB) need not
        # share the machine's 3 GB disc with the peers' burns.
        if [ $tool = rawburnd ]; then rm -f /var/tmp/album.dao96; fi
done
