#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Benchmark: how often rawburnd wakes up when nothing happens. Starts it on
drivesim (two drives) and a private bus, lets it settle for 1 s, then counts
context switches of all its threads and the main thread's timeslices
(/proc/PID/schedstat) over 10 s. Prints the figures; the expected answer is 0."""

import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bus, Daemon

SECONDS = 10


def switches(pid):
    total = 0
    for tid in os.listdir('/proc/%d/task' % pid):
        with open('/proc/%d/task/%s/status' % (pid, tid)) as f:
            for line in f:
                if 'ctxt_switches' in line:
                    total += int(line.split()[1])
    return total


def schedstat(pid):
    with open('/proc/%d/schedstat' % pid) as f:
        cpu_ns, _, slices = (int(x) for x in f.read().split())
    return cpu_ns, slices


def main():
    tmp = tempfile.mkdtemp(prefix='rawburnd-idle-')
    bus = Bus(tmp)
    daemon = Daemon(tmp, bus, ('cdr80', 'cdrw74'))
    try:
        pid = daemon.pid()
        time.sleep(1)  # let the start-up probes' threads finish
        s0, (c0, t0) = switches(pid), schedstat(pid)
        time.sleep(SECONDS)
        s1, (c1, t1) = switches(pid), schedstat(pid)
        print('rawburnd idle over %d s: %d context switches (%d threads), '
              '%d main-thread timeslices, %d ns CPU'
              % (SECONDS, s1 - s0, len(os.listdir('/proc/%d/task' % pid)), t1 - t0, c1 - c0))
    finally:
        daemon.stop()
        bus.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
