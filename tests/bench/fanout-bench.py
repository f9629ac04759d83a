#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fan-out benchmark: one cue source burned on 8 drives through one
rawburnctl (`burn -d sr0 … -d sr7`), beside the same 8 copies made by 8
separate cdrdao processes, on the burn benchmark's drives and load
(burn-bench.py: drivesim `cdr80,realtime,speed=52,buffer=2M`, BURN-Free off,
stress-ng on every core, a disk writer and a memory thrasher, the page cache
dropped first). Figures, never verdicts.

Reported for each: underruns, the lowest drive-buffer fill of the 8, CPU
seconds per GB burned of the client (rawburnctl, or the 8 cdrdao with every
process they waited for) and of rawburnd (all its threads), from the start
to the first WRITE of the first and of the last drive (the drive's
CLOCK_MONOTONIC), rawburnctl's peak RSS and the memory its image
took (its memfd's blocks, the most seen while it ran). And,
for the decision between a sealed memfd and a pipe per drive (docs/fanout.md),
rawburnctl's one-drive burn of the same cue through a pipe: its start to the
first WRITE and its peak RSS.

  fanout-bench.py [--quick] [--minutes M] [--drives N] [--no-load] [--no-cdrdao]
                  [--build DIR] [--json FILE]

--quick: a 2-minute album (what `meson test --benchmark` runs); default a
10-minute one, as burn-bench's 8 drives at once. Needs root (drop_caches,
SCHED_FIFO) and stress-ng.
"""

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('burn_bench', os.path.join(HERE, 'burn-bench.py'))
bb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bb)
harness = bb.harness


def make_cue(album, tmp):
    cue = os.path.join(tmp, 'album.cue')
    with open(cue, 'w') as f:
        f.write('TITLE "fan-out"\n')
        for i, w in enumerate(album['wavs']):
            f.write('FILE "%s" WAVE\n  TRACK %02d AUDIO\n    INDEX 01 00:00:00\n'
                    % (os.path.basename(w), i + 1))
    return cue


class MemfdPeak:
    """The most memory rawburnctl's memfds (its image) held while it ran:
    their allocated blocks, read through /proc/PID/fd every 100 ms."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def sample(self):
        total = 0
        fds = '/proc/%d/fd' % self.pid
        try:
            for fd in os.listdir(fds):
                path = os.path.join(fds, fd)
                try:
                    if os.readlink(path).startswith('/memfd:'):
                        total += os.stat(path).st_blocks * 512
                except OSError:
                    pass
        except OSError:
            pass
        self.peak = max(self.peak, total)

    def run(self):
        while not self.done.wait(0.1):
            self.sample()

    def stop(self):
        self.done.set()
        self.thread.join()
        return round(self.peak / 2**20, 1)


def run_rawburnctl(address, args, cwd):
    """rawburnctl with args; returns (start ns, exit status, cpu s, max RSS MB, stderr,
    its memfds' peak MB)."""
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address, LC_ALL='C.UTF-8')
    start = time.monotonic_ns()
    proc = subprocess.Popen([os.environ['RAWBURNCTL']] + args, env=env, cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    memfd = MemfdPeak(proc.pid)
    err = proc.stderr.read()
    memfd.done.set()
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (start, proc.returncode, ru.ru_utime + ru.ru_stime, round(ru.ru_maxrss / 1024, 1),
            err, memfd.stop())


def drive_figures(sock, names):
    return {n: bb.figures(bb.state(sock, n)) for n in names}


def summarize(label, figs, start_ns, client_cpu, daemon_cpu, extra=None):
    gb = sum(f['sectors'] for f in figs.values()) * bb.RAW_SECTOR / 1e9
    fills = [f['lowest_fill_pct'] for f in figs.values() if f['lowest_fill_pct'] is not None]
    firsts = [f['first_write_ns'] for f in figs.values() if f['first_write_ns']]
    s = {
        'label': label, 'drives': len(figs),
        'failed': sum(1 for f in figs.values() if f.get('error')),
        'underruns': sum(f['underruns'] for f in figs.values()),
        'lowest_fill_pct': min(fills) if fills else None,
        'gb': round(gb, 3),
        'client_cpu_s': round(client_cpu, 2),
        'client_cpu_s_per_gb': round(client_cpu / gb, 2) if gb else None,
        'daemon_cpu_s': None if daemon_cpu is None else round(daemon_cpu, 2),
        'daemon_cpu_s_per_gb': None if daemon_cpu is None or not gb else
        round(daemon_cpu / gb, 2),
        'first_write_s': round((min(firsts) - start_ns) / 1e9, 3) if firsts else None,
        'last_first_write_s': round((max(firsts) - start_ns) / 1e9, 3) if firsts else None,
        'burn_s': [f['burn_s'] for f in figs.values()],
    }
    s.update(extra or {})
    return s


def bench_fanout(cue, tmp, drives):
    rb = bb.Rawburn(tmp, [bb.DRIVE] * drives)
    names = ['sr%d' % i for i in range(drives)]
    try:
        bb.drop_caches()
        cpu0 = bb.daemon_cpu_s(rb.pid)
        args = ['--verbose', 'burn', '--no-burnfree', '--speed', '52']
        for n in names:
            args += ['--drive', n]
        start, rc, cpu, rss, err, shm_mb = run_rawburnctl(rb.bus.address, args + [cue],
                                                          os.path.dirname(cue))
        daemon_cpu = bb.daemon_cpu_s(rb.pid) - cpu0
        figs = drive_figures(rb.daemon.control, names)
        made = [l for l in err.splitlines() if 'made in memory' in l]
        if rc != 0:
            for f in figs.values():
                f['error'] = 'rawburnctl exit status %d' % rc
            print(err[-2000:], file=sys.stderr)
        # One drive through a pipe, for the comparison.
        rb.new_disc('sr0')
        bb.drop_caches()
        p_start, p_rc, p_cpu, p_rss, p_err, _ = run_rawburnctl(
            rb.bus.address, ['burn', '--no-burnfree', '--speed', '52', '--drive', 'sr0', cue],
            os.path.dirname(cue))
        pipe = bb.figures(bb.state(rb.daemon.control, 'sr0'))
    finally:
        rb.stop()
    return summarize('rawburnctl x%d' % drives, figs, start, cpu, daemon_cpu, {
        'rawburnctl_rss_mb': rss, 'shmem_mb': shm_mb, 'image_made': made,
        'exit_status': rc, 'drives_figures': figs,
        'pipe_one_drive': {'exit_status': p_rc, 'first_write_s':
                           round((pipe['first_write_ns'] - p_start) / 1e9, 3)
                           if pipe['first_write_ns'] else None,
                           'rawburnctl_rss_mb': p_rss, 'cpu_s': round(p_cpu, 2),
                           'underruns': pipe['underruns'],
                           'lowest_fill_pct': pipe['lowest_fill_pct']}})


def run_cdrdao_inside(out, sock, toc, drives):
    """Inside drivesim: 8 cdrdao at once, one per drive; their CPU (each and
    every process it waited for) and the drives' states into out."""
    start = time.monotonic_ns()
    procs = []
    for i in range(drives):
        log = open(out + '.%d.log' % i, 'w')
        procs.append(subprocess.Popen(
            ['cdrdao', 'write', '-n', '--device', '/dev/sr%d' % i, '--driver',
             'generic-mmc-raw', '--speed', '52', '--buffer-under-run-protection', '0', toc],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
    cpu, rcs = 0.0, []
    for p in procs:
        _, status, ru = os.wait4(p.pid, 0)
        rcs.append(os.waitstatus_to_exitcode(status))
        cpu += ru.ru_utime + ru.ru_stime
    # wait4's rusage is the process's own; its children are in RUSAGE_CHILDREN.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = max(cpu, children.ru_utime + children.ru_stime)
    with open(out, 'w') as f:
        json.dump({'start': start, 'rcs': rcs, 'cpu_s': cpu,
                   'states': {'sr%d' % i: bb.state(sock, 'sr%d' % i) for i in range(drives)}},
                  f)
    return 0


def bench_cdrdao(album, tmp, drives):
    work = tempfile.mkdtemp(prefix='cdrdao8-', dir=tmp)
    sock = os.path.join(work, 'drivesim.sock')
    out = os.path.join(work, 'result.json')
    bb.drop_caches()
    cmd = [os.environ['DRIVESIM'], '--control', sock]
    for _ in range(drives):
        cmd += ['--drive', bb.DRIVE]
    cmd += ['--', sys.executable, os.path.abspath(__file__), '--cdrdao-run', out,
            '--peer-sock', sock, '--drives', str(drives), '--toc', album['toc']]
    r = subprocess.run(cmd, cwd=os.path.dirname(album['toc']), capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        raise RuntimeError('cdrdao under drivesim failed (%d): %s' % (r.returncode,
                                                                   r.stderr[-2000:]))
    with open(out) as f:
        res = json.load(f)
    figs = {n: bb.figures(st) for n, st in res['states'].items()}
    for i, rc in enumerate(res['rcs']):
        if rc != 0:
            figs['sr%d' % i]['error'] = 'exit status %d' % rc
            with open(out + '.%d.log' % i) as f:
                figs['sr%d' % i]['log_tail'] = f.read()[-600:]
    if os.environ.get('FANOUT_BENCH_KEEP'):
        print('cdrdao logs kept in', work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return summarize('cdrdao x%d' % drives, figs, res['start'], res['cpu_s'], None,
                     {'drives_figures': figs})


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--minutes', type=float)
    p.add_argument('--drives', type=int, default=8)
    p.add_argument('--no-load', action='store_true')
    p.add_argument('--no-cdrdao', action='store_true')
    p.add_argument('--build', default=os.path.join(bb.SOURCE, 'build'))
    p.add_argument('--json')
    p.add_argument('--cdrdao-run', help=argparse.SUPPRESS)
    p.add_argument('--peer-sock', help=argparse.SUPPRESS)
    p.add_argument('--toc', help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.cdrdao_run:
        return run_cdrdao_inside(a.cdrdao_run, a.peer_sock, a.toc, a.drives)
    if os.geteuid() != 0:
        raise SystemExit('fanout-bench: run as root (drop_caches, SCHED_FIFO)')
    bb.set_build_env(a.build)
    minutes = a.minutes or (2 if a.quick else 10)
    cores = os.cpu_count() or 2
    tmp = tempfile.mkdtemp(prefix='fanout-bench-', dir='/var/tmp')
    report = {'drive': bb.DRIVE, 'drives': a.drives, 'album_minutes': minutes,
              'load': not a.no_load, 'cores': cores}
    load = None
    try:
        album = bb.make_album(tmp, minutes, 4, 'album')
        cue = make_cue(album, tmp)
        if not a.no_load:
            load = bb.Load(tmp, cores)
            print('fanout-bench: stress-ng --cpu %d --io 1 --hdd 1 --vm 1 running' % cores,
                  flush=True)
        print('fanout-bench: a %g-minute cue on %d drives through one rawburnctl'
              % (minutes, a.drives), flush=True)
        report['rawburnctl'] = bench_fanout(cue, tmp, a.drives)
        if not a.no_cdrdao and shutil.which('cdrdao'):
            print('fanout-bench: the same on %d cdrdao processes' % a.drives, flush=True)
            report['cdrdao'] = bench_cdrdao(album, tmp, a.drives)
        report['loadavg'] = open('/proc/loadavg').read().split()[:3]
    finally:
        if load:
            load.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if a.json:
            with open(a.json, 'w') as f:
                json.dump(report, f, indent=1)

    print('\n%-14s %6s %9s %7s %12s %12s %10s %10s' % (
        'how', 'failed', 'underruns', 'lowest', 'client s/GB', 'rawburnd s/GB',
        '1st WRITE', 'last 1st'))
    for key in ('rawburnctl', 'cdrdao'):
        s = report.get(key)
        if not s:
            continue
        print('%-14s %6d %9d %6s%% %12s %12s %9ss %9ss' % (
            s['label'], s['failed'], s['underruns'], s['lowest_fill_pct'],
            s['client_cpu_s_per_gb'], s['daemon_cpu_s_per_gb'] or '-', s['first_write_s'],
            s['last_first_write_s']))
    r = report['rawburnctl']
    print('rawburnctl: peak RSS %s MB, image in shared memory %s MB; %s'
          % (r['rawburnctl_rss_mb'], r['shmem_mb'], '; '.join(
              l.split('rawburnctl: ')[-1] for l in r['image_made'])))
    pp = r['pipe_one_drive']
    print('one drive through a pipe: first WRITE after %ss, peak RSS %s MB, underruns %d'
          % (pp['first_write_s'], pp['rawburnctl_rss_mb'], pp['underruns']))
    print('load average at the end: %s' % ' '.join(report.get('loadavg', [])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
