#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The burn benchmark: rawburnd beside cdrdao and wodim on the same emulated
drive model, under the same load. Figures, never verdicts (nothing here
fails because a number is poor; it fails only when a burn cannot be run).

Every burn goes to a drivesim drive `cdr80,realtime,speed=52,buffer=2M` with
BURN-Free off: the drive drains its 2 MB buffer at 52x (3,900 sectors/s) and
an empty buffer spoils the disc, so an underrun is a coaster, counted by
drivesim (docs/drivesim.md, "Burn figures for benchmarks").

  rawburnd   PrepareMedia(BufferUnderrunFreeDisabled) + WriteMedia of a raw
             P-W image file made by `rawburnctl image create`, mmap'd by the
             daemon; its CPU is rawburnd's own (/proc/PID/stat, all threads)
  cdrdao     cdrdao write --driver generic-mmc-raw --speed 52
             --buffer-under-run-protection 0, a TOC of the same WAV files
  wodim      wodim -raw96r speed=52 driveropts=noburnfree, the same WAV files

Reported per tool: underruns, the lowest drive-buffer fill, CPU seconds per
GB written (user + system of the tool and the processes it waits for), the
burn's length on the drive's clock. rawburnd also reports the burn thread's
major page faults (its own log line, from getrusage(RUSAGE_THREAD)) and the
time from the WriteMedia call to the drive's first WRITE, for a file and for
a pipe; and 8 drives burning at once.

Load (unless --no-load): stress-ng with a CPU hog on each core, an I/O
syncer, a disk writer and a memory thrasher, started before the first burn;
the page cache is dropped before each burn so every source is read from disk.

  burn-bench.py [--quick] [--burns N] [--no-load] [--no-full] [--tools LIST]
                [--build DIR] [--json FILE]
  burn-bench.py --vm [--burns N] [--vm-minutes M] [--build DIR] [--json FILE]

--vm burns through the kernel's path instead: in the real-stack machine
(tests/vm: Debian's kernel under QEMU, rawburn installed and D-Bus activated,
drivesim on USB through usb-storage, sr and sg), rawburnd, cdrdao and wodim
each burn a 2-minute album (--vm-minutes: another length, up to the 79:41 of
the long album) N times (default 3) onto a realtime 16x drivesim
USB drive, BURN-Free off (tests/bench/vm-burn.sh). Under software emulation
the absolute figures mean little: it prints each tool's figures as ratios to
rawburnd's. --build must be a --prefix=/usr build (the machine installs it).

--quick (what `meson test --benchmark` runs): 2 burns of a 2-minute album per
tool, no 80-minute burn, 8 drives with the 2-minute album. The full run
(about 30 minutes): 20 burns of a 10-minute album per tool, one 80-minute
album per tool, 8 drives with the 10-minute album. Needs root (drop_caches,
SCHED_FIFO) and stress-ng.
"""

import argparse
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
SOURCE = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, os.path.join(SOURCE, 'tests', 'daemon'))
import harness  # noqa: E402  (the daemon tests' rig: bus, drivesim, clients)
from harness import drivesim_ctl  # noqa: E402
DRIVE = 'cdr80,realtime,speed=52,buffer=2M'
SECTORS_PER_MINUTE = 60 * 75
RAW_SECTOR = 2448


def set_build_env(build):
    """The harness finds the programs through these, as meson's test env sets them."""
    for var, rel in (('RAWBURND', 'daemon/rawburnd'), ('RAWBURNCTL', 'client/rawburnctl'),
                     ('DRIVESIM', 'tests/drivesim/frontend/drivesim')):
        if not os.environ.get(var):
            os.environ[var] = os.path.abspath(os.path.join(build, rel))
        # The harness read them when it was imported.
        setattr(harness, var, os.environ[var])
    os.environ.setdefault('RAWBURN_SOURCE_ROOT', SOURCE)


# ------------------------------------------------------------ drivesim control

def state(sock, name='sr0'):
    return dict(line.split('=', 1) for line in drivesim_ctl(sock, '%s state' % name))


def drop_caches():
    os.sync()
    with open('/proc/sys/vm/drop_caches', 'w') as f:
        f.write('3\n')


def figures(st):
    """The drive's side of one burn, from `srN state`."""
    size = int(st['buffer_size'])
    low = st['buffer_min_fill']
    first, end = int(st['first_write_ns']), int(st['finished_ns'])
    return {
        'underruns': int(st['underruns']),
        'spoilt': st.get('underrun') == 'yes',
        'lowest_fill_pct': None if low == 'none' else round(100.0 * int(low) / size, 1),
        'sectors': int(st['sectors_written']),
        'burn_s': round((end - first) / 1e9, 2) if end and first else None,
        'first_write_ns': first,
        # The fill each WRITE found once the buffer had filled, in 5 % steps
        # (the last: exactly full), and the longest the drive went unfed.
        'fill_hist': [int(x) for x in st['fill_hist'].split(',')] if 'fill_hist' in st else None,
        'max_gap_ms': (round(int(st['max_write_gap_us']) / 1000, 1)
                       if 'max_write_gap_us' in st else None),
    }


# ------------------------------------------------------------------ the album

def make_album(tmp, minutes, tracks, tag):
    """`tracks` WAV files of equal length, `minutes` in all (in whole sectors),
    the raw P-W image rawburnctl makes of them, and a cdrdao TOC of them."""
    per_track = int(minutes * SECTORS_PER_MINUTE) // tracks
    wavs = []
    for i in range(tracks):
        wav = os.path.join(tmp, '%s-%02d.wav' % (tag, i + 1))
        harness.make_wav(wav, per_track, 330 + 55 * i)
        wavs.append(wav)
    image = os.path.join(tmp, tag + '.img')
    subprocess.run([os.environ['RAWBURNCTL'], 'image', 'create', '--sector-type', 'raw',
                    '-o', image] + wavs, check=True, capture_output=True)
    toc = os.path.join(tmp, tag + '.toc')
    with open(toc, 'w') as f:
        f.write('CD_DA\n')
        for w in wavs:
            f.write('TRACK AUDIO\nFILE "%s" 0\n' % w)
    return {'wavs': wavs, 'image': image, 'toc': toc}


# ------------------------------------------------------------------ rawburnd

def daemon_cpu_s(pid):
    """utime + stime of the whole process (every thread), in seconds."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def burn_thread_faults(log, start):
    """The burn thread's major faults of each job rawburnd logged after
    offset `start` of its log."""
    faults = []
    for line in log[start:].splitlines():
        if 'major page faults in the burn thread while writing:' in line:
            faults.append(int(line.split('while writing:', 1)[1].split(';')[0]))
    return faults


class Rawburn:
    def __init__(self, tmp, drives):
        self.tmp = tempfile.mkdtemp(prefix='rawburnd-', dir=tmp)
        self.bus = harness.Bus(self.tmp)
        try:
            self.daemon = harness.Daemon(self.tmp, self.bus, drives)
        except BaseException:
            self.bus.stop()
            raise
        self.pid = self.daemon.pid()

    def burn(self, image, name='sr0', pipe=False, client=None):
        """One PrepareMedia / WriteMedia / ReleaseMedia; returns when
        WriteMedia was called (CLOCK_MONOTONIC ns) and its D-Bus error or None."""
        own = client is None
        client = client or harness.Client(self.bus.address)
        error = None
        try:
            client.prepare(name, RequestedSectorType=3, BufferUnderrunFreeDisabled=True,
                           ClientName='burn-bench')
            if pipe:
                fd, _ = harness.pipe_from_file(image)
            else:
                fd = os.open(image, os.O_RDONLY)
            try:
                called = time.monotonic_ns()
                client.write(fd, name=name, timeout=1200)
            except harness.CallError as e:
                error = e.name
            finally:
                os.close(fd)
            client.release(name)
        finally:
            if own:
                client.close()
        return called, error

    def new_disc(self, name='sr0'):
        self.daemon.ctl('%s take' % name, '%s insert cdr80' % name)

    def log(self):
        return self.daemon.read_log()

    def stop(self):
        self.daemon.stop()
        self.bus.stop()


def timed_burn(rb, image, pipe=False):
    """One burn on a fresh disc from a cold page cache: the drive's figures,
    rawburnd's CPU, WriteMedia to first WRITE, the burn thread's faults."""
    rb.new_disc()
    drop_caches()
    log_at = len(rb.log())
    cpu0 = daemon_cpu_s(rb.pid)
    called, error = rb.burn(image, pipe=pipe)
    cpu = daemon_cpu_s(rb.pid) - cpu0
    fig = figures(state(rb.daemon.control))
    fig.update(cpu_s=round(cpu, 2), error=error,
               first_write_ms=round((fig['first_write_ns'] - called) / 1e6, 1),
               major_faults=burn_thread_faults(rb.log(), log_at))
    return fig


def bench_rawburn(album, burns, tmp):
    rb = Rawburn(tmp, [DRIVE])
    runs = []
    try:
        for i in range(burns):
            runs.append(timed_burn(rb, album['image']))
            report_run('rawburnd', i + 1, burns, runs[-1])
        # The same album from a pipe: the time to the first WRITE then includes
        # reading and discarding up to the media's lead-in start.
        pipe_fig = timed_burn(rb, album['image'], pipe=True)
        report_run('rawburnd pipe', 1, 1, pipe_fig)
    finally:
        rb.stop()
    return runs, pipe_fig


def bench_rawburn_full(album, tmp):
    rb = Rawburn(tmp, [DRIVE])
    try:
        fig = timed_burn(rb, album['image'])
        report_run('rawburnd 80 min', 1, 1, fig)
    finally:
        rb.stop()
    return fig


def bench_rawburn_many(album, tmp, drives=8):
    """`drives` drives on one rawburnd, each burning the album at once."""
    rb = Rawburn(tmp, [DRIVE] * drives)
    names = ['sr%d' % i for i in range(drives)]
    results = {}
    try:
        clients = [harness.Client(rb.bus.address) for _ in names]
        drop_caches()
        start = threading.Barrier(drives)

        def one(name, client):
            start.wait()
            try:
                results[name] = rb.burn(album['image'], name=name, client=client)[1]
            except Exception as e:  # reported, not raised from a thread
                results[name] = repr(e)
        cpu0 = daemon_cpu_s(rb.pid)
        threads = [threading.Thread(target=one, args=(n, c)) for n, c in zip(names, clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu = daemon_cpu_s(rb.pid) - cpu0
        for c in clients:
            c.close()
        figs = {n: figures(state(rb.daemon.control, n)) for n in names}
        faults = burn_thread_faults(rb.log(), 0)
    finally:
        rb.stop()
    for n in names:
        figs[n]['error'] = results.get(n)
    return {'drives': figs, 'cpu_s': round(cpu, 2), 'major_faults': faults}


# ------------------------------------------------------------ cdrdao and wodim

def peer_command(tool, album):
    if tool == 'cdrdao':
        return ['cdrdao', 'write', '-n', '--device', '/dev/sr0', '--driver', 'generic-mmc-raw',
                '--speed', '52', '--buffer-under-run-protection', '0', album['toc']]
    return ['wodim', '-raw96r', 'dev=/dev/sr0', 'speed=52', 'driveropts=noburnfree',
            '-audio'] + album['wavs']


def run_peer_inside(out, sock, command):
    """Inside drivesim: run the tool; write its exit status, its CPU (it and
    every process it waited for) and the drive's state after it to `out`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out + '.log', 'w') as log:
        rc = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out, 'w') as f:
        json.dump({'rc': rc, 'cpu_s': cpu, 'state': state(sock)}, f)
    return 0


def bench_peer(tool, album, burns, tmp, label=None):
    label = label or tool
    runs = []
    for i in range(burns):
        work = tempfile.mkdtemp(prefix=tool + '-', dir=tmp)
        sock = os.path.join(work, 'drivesim.sock')
        out = os.path.join(work, 'result.json')
        drop_caches()
        # drivesim serves until its command ends: the state is read from inside.
        inner = [sys.executable, os.path.abspath(__file__), '--peer-run', out, '--peer-sock',
                 sock, '--'] + peer_command(tool, album)
        r = subprocess.run([os.environ['DRIVESIM'], '--control', sock, '--drive', DRIVE, '--'] +
                           inner, cwd=os.path.dirname(album['toc']), capture_output=True,
                           text=True)
        if r.returncode != 0 or not os.path.exists(out):
            raise RuntimeError('%s under drivesim failed (%d): %s' % (tool, r.returncode,
                                                                     r.stderr[-2000:]))
        with open(out) as f:
            res = json.load(f)
        fig = figures(res['state'])
        fig.update(cpu_s=round(res['cpu_s'], 2),
                   error=None if res['rc'] == 0 else 'exit status %d' % res['rc'])
        if res['rc'] != 0:
            with open(out + '.log') as f:
                fig['log_tail'] = f.read()[-600:]
        runs.append(fig)
        report_run(label, i + 1, burns, fig)
        shutil.rmtree(work, ignore_errors=True)
    return runs


# ------------------------------------------------- the kernel's path (--vm)

VM_DRIVE = 'cdr80,realtime,speed=16,buffer=2M'
VM_SPEED = 16


def bench_vm(a):
    """Boots the real-stack machine once with vm-burn.sh and the album in it;
    prints each tool's figures and their ratio to rawburnd's."""
    if os.geteuid() != 0:
        raise SystemExit('burn-bench --vm: run as root (debootstrap, the machine)')
    burns = a.burns or 3
    tmp = tempfile.mkdtemp(prefix='burn-bench-vm-', dir='/var/tmp')
    try:
        album = os.path.join(tmp, 'overlay', 'usr', 'local', 'share', 'rawburn-bench')
        os.makedirs(album)
        wavs = []
        minutes = a.vm_minutes
        for i in range(4):
            wav = os.path.join(album, 'album-%02d.wav' % (i + 1))
            harness.make_wav(wav, int(minutes * SECTORS_PER_MINUTE) // 4, 330 + 55 * i)
            wavs.append('/usr/local/share/rawburn-bench/' + os.path.basename(wav))
        with open(os.path.join(album, 'album.toc'), 'w') as f:
            f.write('CD_DA\n' + ''.join('TRACK AUDIO\nFILE "%s" 0\n' % w for w in wavs))
        with open(os.path.join(album, 'settings'), 'w') as f:
            f.write('BENCH_BURNS=%d\nBENCH_SPEC=%s\nBENCH_SPEED=%d\n' % (burns, VM_DRIVE, VM_SPEED))
        out = os.path.join(tmp, 'vm')
        print('burn-bench --vm: %d burns of a %g-minute album per tool on %s (USB, kernel path), '
              'BURN-Free off' % (burns, minutes, VM_DRIVE), flush=True)
        r = subprocess.run(['bash', os.path.join(SOURCE, 'tests', 'vm', 'run-vm.sh'),
                            '--build', os.path.abspath(a.build), '--out', out,
                            '--script', os.path.join(HERE, 'vm-burn.sh'),
                            '--overlay', os.path.join(tmp, 'overlay'),
                            # The machine's own 25 minutes, and each burn's length at
                            # the drive's speed plus two minutes of emulated set-up.
                            '--timeout', str(int(1500 + 3 * burns * (
                                minutes * 60 / VM_SPEED + 120)))])
        log_path = os.path.join(out, 'results', 'script.log')
        log = open(log_path).read() if os.path.exists(log_path) else ''
        ran = {json.loads(line[6:])['tool'] for line in log.splitlines()
               if line.startswith('BENCH ')}
        if r.returncode != 0 or ran != {'rawburnd', 'cdrdao', 'wodim'}:
            print(log[-3000:])  # say why before the log goes
        if r.returncode != 0 or not ran:
            raise SystemExit('burn-bench --vm: the machine did not run the burns')
        runs = {}
        for line in log.splitlines():
            if not line.startswith('BENCH '):
                continue
            res = json.loads(line[6:])
            fig = figures(res['state'])
            fig.update(cpu_s=round(float(res['cpu_s']), 2),
                       error=None if res['rc'] == 0 else 'exit status %d' % res['rc'])
            if res.get('threads'):
                fig['threads'] = res['threads']
            runs.setdefault(res['tool'], []).append(fig)
            report_run(res['tool'], res['burn'], burns, fig)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summaries = [summary(tool, runs[tool]) for tool in ('rawburnd', 'cdrdao', 'wodim')
                 if tool in runs]
    for s_ in summaries:  # the mean burn length on the drive's clock
        rs = runs[s_['tool']]
        s_['burn_s'] = round(sum(r['burn_s'] or 0 for r in rs) / len(rs), 2)
    base = summaries[0] if summaries and summaries[0]['tool'] == 'rawburnd' else None
    print('\n%-10s %5s %6s %9s %7s %12s %10s %9s %9s' % (
        'tool', 'burns', 'failed', 'underruns', 'lowest', 'CPU s / GB', 'burn s', 'CPU ×rb',
        'fill ×rb'))
    for s_ in summaries:
        ratio_cpu = ratio_fill = '-'
        if base and base['cpu_s_per_gb'] and s_['cpu_s_per_gb'] is not None:
            ratio_cpu = '%.2f' % (s_['cpu_s_per_gb'] / base['cpu_s_per_gb'])
        if base and base['lowest_fill_pct'] and s_['lowest_fill_pct'] is not None:
            ratio_fill = '%.2f' % (s_['lowest_fill_pct'] / base['lowest_fill_pct'])
        print('%-10s %5d %6d %9d %6s%% %12s %10s %9s %9s' % (
            s_['tool'], s_['burns'], s_['failed'], s_['underruns'], s_['lowest_fill_pct'],
            s_['cpu_s_per_gb'], s_['burn_s'], ratio_cpu, ratio_fill))
    # Where rawburnd's CPU went: its threads' seconds per GB over all its burns.
    by_thread, gb = {}, 0.0
    for fig in runs.get('rawburnd', []):
        gb += fig['sectors'] * RAW_SECTOR / 1e9
        for name, sec in (fig.get('threads') or {}).items():
            by_thread[name] = by_thread.get(name, 0.0) + sec
    if by_thread and gb:
        print('\nrawburnd\'s CPU s / GB by thread: ' + ', '.join(
            '%s %.2f' % (n, sec / gb) for n, sec in sorted(by_thread.items(), key=lambda x: -x[1])))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'mode': 'vm', 'drive': VM_DRIVE, 'burns': burns, 'summary': summaries,
                       'runs': runs}, f, indent=1)
    return 0 if all(s_['failed'] == 0 for s_ in summaries) else 1


# ------------------------------------------------------------------ reporting

def report_run(tool, i, n, fig):
    print('  %-16s %2d/%-2d underruns %d, lowest fill %s%%, longest gap %s ms, '
          '%d sectors in %s s, cpu %s s%s%s%s'
          % (tool, i, n, fig['underruns'], fig['lowest_fill_pct'], fig.get('max_gap_ms'),
             fig['sectors'],
             fig['burn_s'], fig.get('cpu_s', '-'),
             ', first WRITE after %s ms' % fig['first_write_ms'] if 'first_write_ms' in fig
             else '',
             ', major faults %s' % fig['major_faults'] if 'major_faults' in fig else '',
             ', ERROR %s' % fig['error'] if fig.get('error') else ''), flush=True)


def fill_distribution(hists):
    """The fill the WRITEs found, from drivesim's 5 % steps summed over
    burns: the share of WRITEs in each band, and the step holding the 1st
    percentile and the median (its lower bound, in %)."""
    hists = [h for h in hists if h]
    if not hists:
        return None
    total = [sum(col) for col in zip(*hists)]
    n = sum(total)
    if not n:
        return None

    def pct_at(q):
        seen = 0
        for i, c in enumerate(total):
            seen += c
            if seen >= q * n:
                return min(5 * i, 100)
        return 100

    def share(lo, hi):  # steps [lo, hi) in %
        return round(100.0 * sum(total[i] for i in range(lo // 5, hi // 5)) / n, 2)

    return {'writes': n, 'p1': pct_at(0.01), 'median': pct_at(0.5),
            'ge95': share(95, 105), '90_95': share(90, 95), '80_90': share(80, 90),
            'lt80': share(0, 80)}


def summary(tool, runs):
    sectors = sum(r['sectors'] for r in runs)
    cpu = sum(r['cpu_s'] for r in runs)
    fills = [r['lowest_fill_pct'] for r in runs if r['lowest_fill_pct'] is not None]
    gb = sectors * RAW_SECTOR / 1e9
    return {
        'tool': tool, 'burns': len(runs),
        'failed': sum(1 for r in runs if r.get('error')),
        'underruns': sum(r['underruns'] for r in runs),
        'spoilt': sum(1 for r in runs if r['spoilt']),
        'lowest_fill_pct': min(fills) if fills else None,
        'gb_written': round(gb, 3),
        'cpu_s_per_gb': round(cpu / gb, 2) if gb else None,
        'fill': fill_distribution([r.get('fill_hist') for r in runs]),
        'max_gap_ms': max((r['max_gap_ms'] for r in runs if r.get('max_gap_ms') is not None),
                          default=None),
    }


class Load:
    """stress-ng on both cores, I/O, a disk writer and memory."""

    def __init__(self, tmp, cores):
        if not shutil.which('stress-ng'):
            raise SystemExit('burn-bench: stress-ng is missing (tests/install-deps.sh installs it)')
        self.dir = tempfile.mkdtemp(prefix='stress-', dir=tmp)
        self.proc = subprocess.Popen(
            ['stress-ng', '--cpu', str(cores), '--io', '1', '--hdd', '1', '--hdd-bytes', '256M',
             '--vm', '1', '--vm-bytes', '1G', '--temp-path', self.dir, '--timeout', '0'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(2)

    def stop(self):
        try:
            os.killpg(self.proc.pid, 15)
        except ProcessLookupError:
            pass
        self.proc.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--burns', type=int)
    p.add_argument('--no-load', action='store_true')
    p.add_argument('--no-full', action='store_true', help='skip the 80-minute burns')
    p.add_argument('--tools', default='rawburnd,cdrdao,wodim')
    p.add_argument('--build', default=os.path.join(SOURCE, 'build'))
    p.add_argument('--json')
    p.add_argument('--vm', action='store_true', help='burn through the VM\'s kernel path')
    p.add_argument('--vm-minutes', type=float, default=2.0,
                   help='--vm: the album\'s length (79.7 for the long album)')
    p.add_argument('--peer-run', help=argparse.SUPPRESS)
    p.add_argument('--peer-sock', help=argparse.SUPPRESS)
    p.add_argument('command', nargs='*', help=argparse.SUPPRESS)
    a = p.parse_args()

    if a.peer_run:
        return run_peer_inside(a.peer_run, a.peer_sock, a.command)
    if a.vm:
        return bench_vm(a)

    if os.geteuid() != 0:
        raise SystemExit('burn-bench: run as root (it drops the page cache; the writers '
                         'run SCHED_FIFO)')
    set_build_env(a.build)
    tools = a.tools.split(',')
    burns = a.burns or (2 if a.quick else 20)
    minutes = 2 if a.quick else 10
    full = not (a.quick or a.no_full)
    cores = os.cpu_count() or 2
    tmp = tempfile.mkdtemp(prefix='burn-bench-', dir='/var/tmp')
    report = {'drive': DRIVE, 'bufe': False, 'load': not a.no_load, 'burns': burns,
              'album_minutes': minutes, 'cores': cores}
    load = None
    try:
        print('burn-bench: making a %d-minute album%s' % (minutes, full and
                                                           ' and an 80-minute one' or ''),
              flush=True)
        album = make_album(tmp, minutes, 4, 'album')
        big = make_album(tmp, 79 + 41 / 60, 16, 'full') if full else None
        if not a.no_load:
            load = Load(tmp, cores)
            print('burn-bench: stress-ng --cpu %d --io 1 --hdd 1 --vm 1 running' % cores)
        print('burn-bench: %d burns of the %d-minute album per tool on %s, BURN-Free off'
              % (burns, minutes, DRIVE), flush=True)
        report['summary'] = []
        for tool in tools:
            if tool == 'rawburnd':
                runs, pipe_fig = bench_rawburn(album, burns, tmp)
                report['rawburnd_pipe'] = pipe_fig
            else:
                runs = bench_peer(tool, album, burns, tmp)
            report[tool] = runs
            report['summary'].append(summary(tool, runs))
        if full:
            print('burn-bench: one 80-minute album (79:41) per tool', flush=True)
            report['full'] = []
            for tool in tools:
                if tool == 'rawburnd':
                    runs = [bench_rawburn_full(big, tmp)]
                else:
                    runs = bench_peer(tool, big, 1, tmp, tool + ' 80 min')
                report['full'].append(dict(summary(tool, runs), runs=runs))
        if 'rawburnd' in tools:
            print('burn-bench: 8 drives burning the %d-minute album at once on one rawburnd'
                  % minutes, flush=True)
            many = bench_rawburn_many(album, tmp)
            report['eight_drives'] = many
            for n, fig in sorted(many['drives'].items()):
                report_run('rawburnd ' + n, 1, 1, fig)
        report['loadavg'] = open('/proc/loadavg').read().split()[:3]
    finally:
        if load:
            load.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if a.json:  # what was measured, even when a later burn could not run
            with open(a.json, 'w') as f:
                json.dump(report, f, indent=1)

    print('\n%-10s %5s %6s %9s %7s %12s %10s' % ('tool', 'burns', 'failed', 'underruns',
                                                 'lowest', 'CPU s / GB', 'GB'))
    for s in report['summary'] + [dict(x, tool=x['tool'] + ' 80m') for x in
                                  report.get('full', [])]:
        print('%-10s %5d %6d %9d %6s%% %12s %10s' % (s['tool'], s['burns'], s['failed'],
                                                    s['underruns'], s['lowest_fill_pct'],
                                                    s['cpu_s_per_gb'], s['gb_written']))
    print('\nthe fill each WRITE found once the buffer had filled (share of WRITEs), and the '
          'longest time the drive went unfed between two WRITEs')
    print('%-12s %7s %7s %7s %7s %7s %7s %7s %8s' % ('tool', 'WRITEs', '>=95%', '90-95%',
                                                    '80-90%', '<80%', 'p1', 'median', 'gap ms'))
    for s in report['summary'] + [dict(x, tool=x['tool'] + ' 80m') for x in
                                  report.get('full', [])]:
        d = s.get('fill')
        if d:
            print('%-12s %7d %7s %7s %7s %7s %6d%% %6d%% %8s' % (
                s['tool'], d['writes'], d['ge95'], d['90_95'], d['80_90'], d['lt80'], d['p1'],
                d['median'], s['max_gap_ms']))
    if 'rawburnd' in report:
        runs = report['rawburnd']
        firsts = sorted(r['first_write_ms'] for r in runs)
        faults = [f for r in runs for f in r['major_faults']]
        print('rawburnd: WriteMedia to first WRITE %.1f ms median (%.1f-%.1f) from a file, '
              '%.1f ms from a pipe; burn-thread major faults %s in all'
              % (firsts[len(firsts) // 2], firsts[0], firsts[-1],
                 report['rawburnd_pipe']['first_write_ms'], sum(faults)))
    if 'eight_drives' in report:
        m = report['eight_drives']
        figs = m['drives'].values()
        gb = sum(f['sectors'] for f in figs) * RAW_SECTOR / 1e9
        fills = [f['lowest_fill_pct'] for f in figs if f['lowest_fill_pct'] is not None]
        gaps = [f['max_gap_ms'] for f in figs if f.get('max_gap_ms') is not None]
        dist = fill_distribution([f.get('fill_hist') for f in figs]) or {}
        print('8 drives at once: underruns %d, failed %d, lowest fill %s%% (p1 %s%%, median '
              '%s%%), longest gap %s ms, rawburnd CPU %.2f s (%.2f s / GB), burn-thread major '
              'faults %d'
              % (sum(f['underruns'] for f in figs), sum(1 for f in figs if f['error']),
                 min(fills) if fills else None, dist.get('p1'), dist.get('median'),
                 max(gaps) if gaps else None, m['cpu_s'], m['cpu_s'] / gb if gb else 0,
                 sum(m['major_faults'])))
    print('load average at the end: %s' % ' '.join(report.get('loadavg', [])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
