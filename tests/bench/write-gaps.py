#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where the time goes between two WRITEs of one burn, from both sides.

  write-gaps.py DRIVESIM_TRACE [RAWBURND_TRACE] [--worst N]

DRIVESIM_TRACE is what DRIVESIM_WRITE_TRACE=FILE made drivesim write (one
line per WRITE: when the ioctl came in, when the model took it, when its
completion was due and really sent, the fill it found); RAWBURND_TRACE what
RAWBURND_WRITE_TRACE=FILE made rawburnd write (when the writer wanted the
WRITE, had its sectors, called SG_IO, got it back). Both clocks are
CLOCK_MONOTONIC, and the lines pair up in order: one burn, one drive, each
file fresh.

The drive goes unfed from one WRITE's completion being due to the next
WRITE's arrival. That time splits into:

  late    drivesim sent the completion after it was due (the emulator)
  reply   from drivesim sending it to rawburnd's SG_IO returning
  host    rawburnd, from SG_IO returning to the next SG_IO call
  req     from that call to drivesim's handler getting the ioctl
  wait    of host: the writer waiting for the feeder's sectors
  xfer    drivesim reading the WRITE's data from the client before the model
          took it (not unfed time since drivesim counts a command from its
          arrival; before that, it was)

It prints the WRITEs that found the buffer lowest, with their parts in ms,
and the median, 99th percentile and maximum of each part.
"""

import argparse
import statistics


def records(path):
    out = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if len(words) > 2 and words[1] == 'W':
                out.append({k: int(v) for k, v in (w.split('=', 1) for w in words[2:])})
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('drivesim')
    p.add_argument('rawburnd', nargs='?')
    p.add_argument('--worst', type=int, default=10)
    p.add_argument('--buffer', type=int, default=2 * 1024 * 1024, help='drive buffer, bytes')
    a = p.parse_args()
    ds = records(a.drivesim)
    rb = records(a.rawburnd) if a.rawburnd else []
    rows = []
    for i in range(1, len(ds)):
        d, prev = ds[i], ds[i - 1]
        row = {'write': i, 'fill %': 100.0 * d['fill'] / a.buffer, 'blocks': d['blocks'],
               'late': (prev['sent'] - prev['due']) / 1e6,
               'xfer': (d['taken'] - d['got']) / 1e6}
        if i < len(rb):
            r, rprev = rb[i], rb[i - 1]
            row.update(reply=(rprev['ret'] - prev['sent']) / 1e6,
                       host=(r['sent'] - rprev['ret']) / 1e6,
                       wait=(r['data'] - r['ask']) / 1e6,
                       req=(d['got'] - r['sent']) / 1e6)
        rows.append(row)
    keys = ['write', 'fill %', 'blocks', 'late', 'reply', 'host', 'wait', 'req', 'xfer']
    print(' '.join('%8s' % k for k in keys))
    for row in sorted(rows, key=lambda x: x['fill %'])[:a.worst]:
        print(' '.join('%8.2f' % row[k] if isinstance(row.get(k), float) else
                       '%8s' % row.get(k, '-') for k in keys))
    print()
    for k in keys[3:]:
        v = sorted(row[k] for row in rows if k in row)
        if v:
            print('%-6s median %7.3f  p99 %7.3f  max %7.3f ms' %
                  (k, statistics.median(v), v[int(0.99 * (len(v) - 1))], v[-1]))


if __name__ == '__main__':
    main()
