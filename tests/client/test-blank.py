#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnctl blank, the real client on the real rawburnd and drivesim: a
CD-RW burned, erased (minimal and full) and burned again; a CD-R, an empty
drive and a missing DRIVE refused in words with their exit statuses; the
progress of an erase from rawburnd's Update signal as plain lines and JSON
events on a CD-RW that takes its time (drivesim `realtime` models how long
BLANK takes: about 6.5 s for a minimal erase of a 24x CD-RW 80); and Ctrl-C,
which cannot stop a drive's BLANK: the first says so, the second stops
waiting while the drive finishes."""

import json
import os
import re
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from harness import (RAWBURNCTL, DaemonTestCase, LineReader, Monitor, drive_fds, drive_state,
                     rawburnctl_on_terminal,
                     make_image, prop, rawburnctl, rec_path)

EXIT_USAGE, EXIT_MEDIA, EXIT_CANCELLED, EXIT_UNSUPPORTED = 2, 4, 6, 11
ERASE_IFACE = 'org.rawburn1.DiscFormat2Erase'


class BlankTestCase(DaemonTestCase):
    def ctl(self, *args, **kw):
        return rawburnctl(self.address, *args, **kw)

    def burn(self, name):
        r = self.ctl('burn', '-d', name, make_image(self.tmp, 3))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(drive_state(self.daemon, name)['disc'], 'complete')

    def json_lines(self, text):
        return [json.loads(l) for l in text.splitlines() if l.strip()]

    def start(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8')
        proc = subprocess.Popen([RAWBURNCTL] + list(args), env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, LineReader(proc.stdout), LineReader(proc.stderr)


class Blank(BlankTestCase):
    DRIVES = ('cdrw74', 'cdr80', 'none', 'cdrw74')

    def test_erase_then_burn_again(self):
        self.burn('sr0')
        r = self.ctl('blank', 'sr0')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], 'Erasing the disc in sr0 (DRVSIM CD-RW RAW96 SIM 1.00): CD-RW, '
                                   'not blank')
        self.assertIn('minimal erase', lines[1])
        self.assertRegex(lines[-1], r'^sr0: erased \(0:\d\d\): the CD-RW is blank and can be '
                                    r'burned again$')
        state = drive_state(self.daemon)
        self.assertEqual((state['disc'], state['locked']), ('blank', 'no'))
        self.assertEqual(drive_fds(self.daemon), [])
        self.burn('sr0')
        # A full erase, as JSON events.
        r = self.ctl('--json', 'blank', '--full', '/dev/sr0')
        self.assertEqual(r.returncode, 0, r.stderr)
        events = self.json_lines(r.stdout)
        self.assertEqual(events[0], {'event': 'start', 'drive': 'sr0', 'operation': 'erase',
                                     'full': True, 'disc': 'CD-RW, not blank'})
        self.assertEqual(events[-2]['event'], 'erased')
        self.assertIs(events[-2]['full'], True)
        self.assertEqual(events[-1], {'event': 'done', 'ok': True, 'exit_status': 0})
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_a_cdr_an_empty_drive_and_no_drive_named(self):
        r = self.ctl('--json', 'blank', 'sr1')
        self.assertEqual(r.returncode, EXIT_MEDIA, r.stderr)
        error = [e for e in self.json_lines(r.stdout) if e['event'] == 'error'][0]
        self.assertEqual(error['name'], 'org.rawburn1.Error.EraseMediaIsNotErasable')
        self.assertEqual(error['exit_status'], EXIT_MEDIA)
        self.assertIn('rawburnctl: sr1: this is not a CD-RW: only a CD-RW can be erased (a CD-R '
                      'is written once', r.stderr)
        self.assertEqual(drive_state(self.daemon, 'sr1')['disc'], 'blank')
        r = self.ctl('blank', 'sr2')
        self.assertEqual(r.returncode, EXIT_MEDIA)
        self.assertIn('rawburnctl: sr2: there is no disc in the drive: insert the CD-RW to erase '
                      'and try again.', r.stderr)
        # Two CD-RWs: which one is not guessed.
        r = self.ctl('blank')
        self.assertEqual(r.returncode, EXIT_USAGE)
        self.assertIn('there are several drives (sr0, sr1, sr2, sr3) and not exactly one holds '
                      'a CD-RW: name one with DRIVE', r.stderr)
        r = self.ctl('blank', '--fast', '--full', 'sr0')
        self.assertEqual(r.returncode, EXIT_USAGE)
        self.assertIn('--fast and --full: give one', r.stderr)
        self.assertIn('rawburnctl blank [--fast|--full] [DRIVE]',
                      self.ctl('blank', '--help').stdout)

    def test_the_only_cdrw_is_chosen(self):
        self.daemon.ctl('sr3 take')
        self.burn('sr0')
        r = self.ctl('blank')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('sr0: erased', r.stdout)


class Progress(BlankTestCase):
    # A CD-RW 80 at 24x in real time: a minimal erase takes about 6.5 s (a
    # burn in real time of the test's image adds a second).
    DRIVES = ('cdrw,realtime',)

    def test_plain_lines(self):
        r = self.ctl('blank')
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        progress = [l for l in lines if l.startswith('sr0: erasing: ')]
        self.assertTrue(progress, r.stdout)
        self.assertRegex(progress[0], r'^sr0: erasing: 0:0\d( of about 0:\d\d, 0:\d\d left)?$')
        self.assertRegex(lines[-1], r'^sr0: erased \(0:0[5-9]\): the CD-RW is blank')
        self.assertNotIn('\r', r.stdout)

    def test_bar_on_a_terminal(self):
        screen, stream, status = rawburnctl_on_terminal(self.tmp, self.address, 'blank')
        self.assertEqual(status, 0, screen)
        self.assertRegex(screen, r'sr0: erased \(0:0[5-9]\): the CD-RW is blank')
        # Drawn in place while the drive erases, then wiped for the verdict.
        bars = re.findall(r'\r\[[#> ]+\] +(\d+\.\d)%  (0:\d\d) of about (\S+)  ETA (\S+)  '
                          r'erasing\x1b\[K', stream)
        self.assertGreater(len(bars), 3, stream)
        self.assertTrue(any(0 < float(b[0]) < 100 for b in bars), bars)
        elapsed = [b[1] for b in bars]
        self.assertEqual(elapsed, sorted(elapsed))
        self.assertEqual([l for l in screen.splitlines() if l.startswith('[')], [], screen)
        self.assertIn('erasing\x1b[K\r\x1b[Ksr0: erased', stream)

    def test_json_updates(self):
        r = self.ctl('--json', 'blank')
        self.assertEqual(r.returncode, 0, r.stderr)
        events = self.json_lines(r.stdout)
        updates = [e for e in events if e['event'] == 'update']
        self.assertGreater(len(updates), 3)
        for u in updates:
            self.assertEqual((u['drive'], u['action']), ('sr0', 'erasing'))
        elapsed = [u['elapsed'] for u in updates]
        self.assertEqual(elapsed, sorted(elapsed))
        known = [u for u in updates if u['estimated_total'] > 0]
        self.assertTrue(known, updates)
        self.assertTrue(all(4 <= u['estimated_total'] <= 12 for u in known), known)
        percents = [u['percent'] for u in known]
        self.assertEqual(percents, sorted(percents))
        self.assertLess(percents[-1], 100)
        erased = events[-2]
        self.assertEqual((erased['event'], erased['full']), ('erased', False))
        self.assertGreaterEqual(erased['elapsed'], 5)

    def test_monitor_from_another_shell(self):
        self.burn('sr0')
        proc, out, err = self.start('monitor')
        out.wait_for(lambda l: l.startswith('sr0: DRVSIM'), 'the drive list')
        r = self.ctl('blank')
        self.assertEqual(r.returncode, 0, r.stderr)
        out.wait_for(lambda l: l == 'sr0: disc: blank CD-RW', 'the blank disc')
        seen = out.seen
        in_order = ['sr0: state: erasing', 'sr0: state: idle', 'sr0: disc: blank CD-RW']
        self.assertEqual([l for l in seen if l in in_order], in_order)
        erasing = [l for l in seen if l.startswith('sr0: erasing: ')]
        self.assertTrue(erasing, seen)
        self.assertRegex(erasing[-1], r'^sr0: erasing: 0:0\d of about 0:\d\d$')
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), 0)

    def test_ctrl_c_cannot_stop_an_erase(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        proc, out, err = self.start('blank')
        out.wait_for(lambda l: l.startswith('sr0: erasing'), 'the erase going')
        proc.send_signal(signal.SIGINT)
        err.wait_for(lambda l: 'an erase cannot be stopped once the drive has begun; press '
                               'Ctrl-C again to stop waiting' in l, 'the answer to Ctrl-C')
        self.assertIsNone(proc.poll())
        self.assertIs(self.prop('sr0', ERASE_IFACE, 'Erasing'), True)
        proc.send_signal(signal.SIGINT)
        err.wait_for(lambda l: 'sr0: no longer waiting; the drive goes on erasing' in l,
                     'rawburnctl leaving')
        self.assertEqual(proc.wait(timeout=20), EXIT_CANCELLED)
        # The drive finishes on its own, and is let go.
        monitor.wait_for(lambda m: rec_path('sr0') in m and prop('Erasing', 'boolean false') in m)
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')
        self.assertEqual(drive_fds(self.daemon), [])


class BlankOnCdrOnlyDrive(BlankTestCase):
    """A drive that writes CD-R only (drivesim cdrw-write=no) holding a CD-RW."""
    DRIVES = ('cdrw74,cdrw-write=no',)

    def test_the_drive_cannot_erase(self):
        r = self.ctl('blank', 'sr0')
        self.assertEqual(r.returncode, EXIT_UNSUPPORTED, r.stdout + r.stderr)
        self.assertIn('rawburnctl: sr0: this drive cannot erase CD-RW discs (it does not write them): use a drive that does.',
                      r.stderr)
        r = self.ctl('--json', 'blank', 'sr0')
        self.assertEqual(r.returncode, EXIT_UNSUPPORTED, r.stderr)
        error = [e for e in self.json_lines(r.stdout) if e['event'] == 'error'][0]
        self.assertEqual(error['name'], 'org.rawburn1.Error.EraseRecorderNotSupported')
        self.assertIn('this drive cannot erase CD-RW discs (it writes CD-R only)',
                      error['message'])
        state = drive_state(self.daemon)
        self.assertEqual((state['disc'], state['locked']), ('blank', 'no'))
        self.assertEqual(drive_fds(self.daemon), [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
