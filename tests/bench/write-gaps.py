#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where the time goes between two WRITEs of one burn, from both sides.

  write-gaps.py DRIVESIM_TRACE [RAWBURND_TRACE] [--worst N]

DRIVESIM_TRACE is what DRIVESIM_WRITE_TRACE=FILE made drivesim write (one
line per WRITE: when the ioctl came in, when the model took it, when its
completion was due and really sent, the fill it found); RAWBURND_TRACE what
RAWBURND_WRITE_TRACE=FILE made rawburnd write (when the writer wanted the
WRITE, had its sectors, called SG_IO, got it back). Both clocks are
CLOCK_MONOTONIC, and the lines pair up in order per drive. The files may hold
many burns and drives (the variables set around a whole burn-bench.py run): a
pause of over 250 ms from one WRITE's completion to the next WRITE of a drive
starts a new burn (within a burn, a drive with a 2 MB buffer at 52x would
have run empty by then), and the burns are read one by one and then together.

The drive goes unfed from one WRITE's completion being due to the next
WRITE's arrival. That time splits into:

  late    drivesim sent the completion after it was due (the emulator)
  reply   from drivesim sending it to rawburnd's SG_IO returning
  host    rawburnd, from SG_IO returning to the next SG_IO call
  req     from that call to drivesim's handler getting the ioctl
  wait    of host: the writer waiting for the feeder's sectors
  copy    of host: from having the sectors to calling SG_IO (the WRITE's
          data made ready)
  xfer    drivesim reading the WRITE's data from the client before the model
          took it (not unfed time since drivesim counts a command from its
          arrival; before that, it was)

It prints the WRITEs that found the buffer lowest, with their parts in ms,
and the median, 99th percentile and maximum of each part.
"""

import argparse
import statistics


BURN_PAUSE_NS = 250 * 1000000


def records(path, start, end):
    """The WRITEs of each burn, keyed (drive, burn index), in order."""
    drives = {}
    with open(path) as f:
        for line in f:
            words = line.split()
            if len(words) > 2 and words[1] == 'W' and line.endswith('\n'):
                rec = {k: int(v) for k, v in (w.split('=', 1) for w in words[2:])}
                drives.setdefault(words[0], []).append(rec)
    burns = {}
    for drive, recs in drives.items():
        n = 0
        for i, rec in enumerate(recs):
            if i and rec[start] - recs[i - 1][end] > BURN_PAUSE_NS:
                n += 1
            burns.setdefault((drive, n), []).append(rec)
    return burns


def gaps(ds, rb, buffer):
    """One burn's WRITEs after the first, with the parts of the gap before each."""
    rows = []
    filled = False
    for i in range(1, len(ds)):
        d, prev = ds[i], ds[i - 1]
        # As drivesim counts: from the first WRITE the drive held until it
        # fitted (the buffer was full); before, the buffer is still filling.
        filled = filled or prev['due'] > prev['got']
        if not filled:
            continue
        row = {'write': i, 'fill %': 100.0 * d['fill'] / buffer, 'blocks': d['blocks'],
               'late': (prev['sent'] - prev['due']) / 1e6,
               'xfer': (d['taken'] - d['got']) / 1e6}
        if i < len(rb):
            r, rprev = rb[i], rb[i - 1]
            row.update(reply=(rprev['ret'] - prev['sent']) / 1e6,
                       host=(r['sent'] - rprev['ret']) / 1e6,
                       copy=(r['sent'] - r['data']) / 1e6,
                       wait=(r['data'] - r['ask']) / 1e6,
                       req=(d['got'] - r['sent']) / 1e6)
        rows.append(row)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('drivesim')
    p.add_argument('rawburnd', nargs='?')
    p.add_argument('--worst', type=int, default=10)
    p.add_argument('--buffer', type=int, default=2 * 1024 * 1024, help='drive buffer, bytes')
    a = p.parse_args()
    ds = records(a.drivesim, 'got', 'sent')
    rb = records(a.rawburnd, 'ask', 'ret') if a.rawburnd else {}
    rows = []
    for burn in sorted(ds):
        these = gaps(ds[burn], rb.get(burn, []), a.buffer)
        if len(ds) > 1 and these:
            worst = min(these, key=lambda x: x['fill %'])
            print('%s burn %d: %d WRITEs, lowest fill %.1f %% at WRITE %d' %
                  (burn[0], burn[1] + 1, len(these) + 1, worst['fill %'], worst['write']))
        for row in these:
            row['burn'] = '%s/%d' % (burn[0], burn[1] + 1)
        rows += these
    if len(ds) > 1:
        print()
    keys = ['burn', 'write', 'fill %', 'blocks', 'late', 'reply', 'host', 'copy', 'wait', 'req',
            'xfer']
    print(' '.join('%8s' % k for k in keys))
    for row in sorted(rows, key=lambda x: x['fill %'])[:a.worst]:
        print(' '.join('%8.2f' % row[k] if isinstance(row.get(k), float) else
                       '%8s' % row.get(k, '-') for k in keys))
    print()
    for k in keys[4:]:
        v = sorted(row[k] for row in rows if k in row)
        if v:
            print('%-6s median %7.3f  p99 %7.3f  max %7.3f ms' %
                  (k, statistics.median(v), v[int(0.99 * (len(v) - 1))], v[-1]))


if __name__ == '__main__':
    main()
