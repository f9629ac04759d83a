#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The read benchmark: a pressed 74-minute audio disc read raw by
`rawburnctl image read` (through rawburnd) beside `cdrdao read-cd`, on the
same emulated drive model. Figures, never verdicts.

The disc: 8 tracks of 9:15 (333,000 sectors, 74:00) made by `rawburnctl image
create`, served by drivesim as `cdrom:FILE,realtime,read-speed=X` (--speed,
default 48): the drive reads at X times 75 sectors a second, so the wall time
is the drive's pace or the reader's, whichever is slower. --unpaced serves
the sectors as fast as the host takes them (the readers' own cost alone).

  rawburn   rawburnctl image read sr0 -o IMAGE: ReadToc, then ReadMedia of
            the program area and lead-out into the image file (rawburnd
            writes it), the lead-in made from the TOC. CPU: rawburnctl's
            (user + system) plus rawburnd's (/proc/PID/stat, all threads).
  cdrdao    cdrdao read-cd --read-subchan rw_raw --paranoia-mode 0: main
            channel and raw R-W of every sector, no paranoia (the same work;
            with --paranoia-mode 3, its default, it is reported too).

Each run from a cold page cache (root: drop_caches). Prints wall time and CPU
seconds for each; --json writes them.

  read-bench.py [--build DIR] [--minutes N] [--runs N] [--speed X] [--unpaced]
                [--paranoia3] [--json FILE]
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'daemon'))


def drop_caches():
    try:
        os.sync()
        with open('/proc/sys/vm/drop_caches', 'w') as f:
            f.write('3\n')
    except OSError:
        pass  # not root: a warm cache, said in the report


def make_disc(tmp, ctl, minutes):
    tracks = 8
    sectors = minutes * 60 * 75 // tracks
    wav = os.path.join(tmp, 'track.wav')
    subprocess.run(['sox', '-q', '-r', '44100', '-c', '2', '-n', '-b', '16', '-e',
                    'signed-integer', wav, 'synth', '%ds' % (sectors * 588), 'sine', '440',
                    'vol', '0.3'], check=True)
    cue = os.path.join(tmp, 'disc.cue')
    with open(cue, 'w') as f:
        for t in range(tracks):
            f.write('FILE "track.wav" WAVE\n  TRACK %02d AUDIO\n    INDEX 01 00:00:00\n' %
                    (t + 1))
    image = os.path.join(tmp, 'pressed.dao96')
    subprocess.run([ctl, 'image', 'create', cue, '-o', image], check=True,
                   stdout=subprocess.DEVNULL, cwd=tmp)
    return image


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def drive_spec(image, a):
    """The pressed disc, at the drive's read speed unless --unpaced."""
    return 'cdrom:%s' % image + ('' if a.unpaced else ',realtime,read-speed=%d' % a.speed)


def run_rawburn(tmp, ctl, image, a):
    import harness
    from harness import rawburnctl
    work = tempfile.mkdtemp(prefix='rawburnd-', dir=tmp)
    bus = harness.Bus(work)
    daemon = harness.Daemon(work, bus, (drive_spec(image, a),))
    try:
        pid = daemon.pid()
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        d0 = (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
        out = os.path.join(tmp, 'read.dao96')
        drop_caches()
        c0, t0 = children_cpu(), time.monotonic()
        r = rawburnctl(bus.address, 'image', 'read', 'sr0', '-o', out, '--no-read-offset')
        wall = time.monotonic() - t0
        client = children_cpu() - c0
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        daemon_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK') - d0
        if r.returncode != 0:
            raise SystemExit('image read failed: %s' % r.stderr)
        same = subprocess.run(['cmp', '-s', image, out]).returncode == 0
        os.unlink(out)
        return {'wall_s': round(wall, 2), 'client_cpu_s': round(client, 2),
                'daemon_cpu_s': round(daemon_cpu, 2), 'cpu_s': round(client + daemon_cpu, 2),
                'image_identical': same}
    finally:
        daemon.stop()
        bus.stop()


def run_cdrdao(tmp, drivesim, image, paranoia, a):
    out = os.path.join(tmp, 'cdrdao')
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    times = os.path.join(out, 'time.txt')
    drop_caches()
    t0 = time.monotonic()
    r = subprocess.run([drivesim, '--drive', drive_spec(image, a), '--', '/usr/bin/time', '-o',
                        times, '-f', '%U %S', 'cdrdao', 'read-cd', '--device', '/dev/sr0',
                        '--read-subchan', 'rw_raw', '--paranoia-mode', str(paranoia),
                        '--datafile', os.path.join(out, 'data.bin'),
                        os.path.join(out, 'disc.toc')],
                       capture_output=True, text=True)
    wall = time.monotonic() - t0
    if r.returncode != 0:
        raise SystemExit('cdrdao read-cd failed:\n%s' % r.stderr[-2000:])
    user, system = (float(x) for x in open(times).read().split()[-2:])
    shutil.rmtree(out, ignore_errors=True)
    return {'wall_s': round(wall, 2), 'cpu_s': round(user + system, 2)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--build', default=os.path.join(HERE, '..', '..', 'build'))
    p.add_argument('--minutes', type=int, default=74)
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--speed', type=int, default=48, help='the drive\'s read speed (x)')
    p.add_argument('--unpaced', action='store_true', help='no read pacing')
    p.add_argument('--paranoia3', action='store_true',
                   help='also cdrdao with --paranoia-mode 3, its default')
    p.add_argument('--json')
    a = p.parse_args()
    build = os.path.abspath(a.build)
    os.environ.setdefault('RAWBURND', os.path.join(build, 'daemon', 'rawburnd'))
    os.environ.setdefault('RAWBURNCTL', os.path.join(build, 'client', 'rawburnctl'))
    os.environ.setdefault('DRIVESIM', os.path.join(build, 'tests', 'drivesim', 'frontend',
                                                   'drivesim'))
    os.environ.setdefault('DRIVESIM_CTL', os.path.join(build, 'tests', 'drivesim', 'frontend',
                                                       'drivesim-ctl'))
    ctl, drivesim = os.environ['RAWBURNCTL'], os.environ['DRIVESIM']
    tmp = tempfile.mkdtemp(prefix='read-bench-')
    report = {'minutes': a.minutes, 'root': os.geteuid() == 0,
              'read_speed': None if a.unpaced else a.speed, 'rawburn': [],
              'cdrdao_paranoia0': [], 'cdrdao_paranoia3': []}
    try:
        image = make_disc(tmp, ctl, a.minutes)
        for _ in range(a.runs):
            report['rawburn'].append(run_rawburn(tmp, ctl, image, a))
            report['cdrdao_paranoia0'].append(run_cdrdao(tmp, drivesim, image, 0, a))
        if a.paranoia3:
            report['cdrdao_paranoia3'].append(run_cdrdao(tmp, drivesim, image, 3, a))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for tool in ('rawburn', 'cdrdao_paranoia0', 'cdrdao_paranoia3'):
        for run in report[tool]:
            print('%-17s %s' % (tool, ' '.join('%s=%s' % kv for kv in run.items())))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
