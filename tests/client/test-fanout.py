#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""burn to several drives at once (issue 20), the real rawburnctl on the
real rawburnd and drivesim:

- one cue source to three drives: the image is made once, each drive gets
  its own open of it; a drive holding a disc it cannot write (a DVD-R)
  fails on its own while the two others are burned (and verified), their
  discs equal to the image; the table and the exit status say which failed;
- --drive all takes every drive holding a blank CD;
- a drive unplugged in the middle of its burn (drivesim's `remove srN`)
  fails, the others finish;
- each drive writes at its own speed, the faster one not held back;
- --json: every drive's events name it, a drive-result per drive, a summary;
- on a terminal one line per drive, redrawn in place, then the table;
- Ctrl-C asks once while drives write, the second cancels every burn."""

import json
import os
import re
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import EXIT_MEDIA, BurnTestCase
from harness import RAWBURNCTL, LineReader, make_wav, rawburnctl_on_terminal


class FanOut(BurnTestCase):
    DRIVES = ('cdr80', 'cdr80', 'dvdr')

    def test_a_bad_disc_fails_alone(self):
        image = self.image_of(self.cue())
        r = self.ctl('burn', '--verify', '--drive', 'sr0', '--drive', 'sr1', '--drive', 'sr2',
                     self.cue())
        self.assertEqual(r.returncode, EXIT_MEDIA, r.stdout + r.stderr)
        for name in ('sr0', 'sr1'):
            self.assert_recorded(image, name=name)
        self.assertEqual(self.state('sr2')['disc'], 'blank')
        lines = r.stdout.splitlines()
        self.assertIn('  on 3 drives at once:', lines)
        table = lines[lines.index([l for l in lines if l.startswith('DRIVE ')][0]):]
        self.assertRegex(table[1], r'^sr0 +ok +\S+ +[\d.]+× +ok$')
        self.assertRegex(table[2], r'^sr1 +ok +\S+ +[\d.]+× +ok$')
        self.assertRegex(table[3], r'^sr2 +disc refused: \w+ +\S+ +- +not done$')
        self.assertEqual(table[4], '2 of 3 discs burned and verified')
        self.assertIn('rawburnctl: sr2: ', r.stderr)

    def test_a_longer_album_verified(self):
        # Four minutes: making the image takes longer than preparing the
        # drives, so their writes wait for it (burn_drive_image_ready).
        wavs = []
        for i in range(2):
            path = os.path.join(self.tmp, 'long%d.wav' % i)
            make_wav(path, 9000, 330 + 110 * i)
            wavs.append(path)
        image = self.image_of(*wavs)
        r = self.ctl('--json', '--verbose', 'burn', '--verify', '-d', 'sr0', '-d', 'sr1', *wavs)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('made in memory: %d bytes' % os.path.getsize(image), r.stderr)
        for name in ('sr0', 'sr1'):
            self.assert_recorded(image, name=name)
        results = [(e['drive'], e['verify']) for e in self.events(r)
                   if e['event'] == 'drive-result']
        self.assertEqual(results, [('sr0', 'ok'), ('sr1', 'ok')])

    def test_all_and_json(self):
        image = self.image_of(*self.wavs)
        r = self.ctl('--json', 'burn', '--drive', 'all', *self.wavs)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for name in ('sr0', 'sr1'):
            self.assert_recorded(image, name=name)
        events = self.events(r)
        self.assertTrue(all('drive' in e for e in events
                            if e['event'] not in ('summary', 'done', 'interrupt')))
        results = [e for e in events if e['event'] == 'drive-result']
        self.assertEqual([(e['drive'], e['ok'], e['verify']) for e in results],
                         [('sr0', True, '-'), ('sr1', True, '-')])
        self.assertEqual(events[-2], {'event': 'summary', 'drives': 2, 'succeeded': 2,
                                      'failed': 0})
        self.assertEqual(events[-1], {'event': 'done', 'ok': True, 'exit_status': 0})
        # Both drives wrote: an update of each.
        drives = {e['drive'] for e in events if e['event'] == 'update'}
        self.assertEqual(drives, {'sr0', 'sr1'})


class Realtime(BurnTestCase):
    # Realtime drives, so that there is time to act while they write; the
    # first is faster than the others.
    DRIVES = ('cdr80,realtime,speed=24', 'cdr80,realtime,speed=16', 'cdr80,realtime,speed=16')

    def test_each_drive_at_its_own_speed(self):
        # One image in memory, opened by each: the slower drive does not hold
        # the faster one back (as a producer teeing into pipes would).
        r = self.ctl('--json', 'burn', '-d', 'sr0', '-d', 'sr1', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)
        results = {e['drive']: e for e in self.events(r) if e['event'] == 'drive-result'}
        self.assertGreater(results['sr0']['speed_x'], 21)
        self.assertLess(results['sr1']['speed_x'], 17)
        self.assertLess(results['sr0']['seconds'], results['sr1']['seconds'] - 3)

    def start(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8',
                   RAWBURN_QUIRKS='/nonexistent', RAWBURN_LOCAL_QUIRKS='/nonexistent')
        proc = subprocess.Popen([RAWBURNCTL] + list(args), env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, LineReader(proc.stdout)

    def test_lines_on_a_terminal(self):
        screen, stream, status = rawburnctl_on_terminal(
            self.tmp, self.address, 'burn', '-d', 'sr0', '-d', 'sr1', self.cue())
        self.assertIn('EXIT=0', screen)
        # Each drive's line was redrawn in place, part way, with a speed.
        for name in ('sr0', 'sr1'):
            self.assertRegex(stream, r'%s +\[#*>? *\] +([1-9]|[1-9]\d)\.\d%% +\d+\.\d× +'
                                     r'buffer +\d+%% +ETA \d+:\d\d +writing' % name)
        self.assertGreater(stream.count('\033[2A'), 3)
        # The block is gone at the end: the table says how each drive ended.
        lines = screen.splitlines()
        self.assertFalse([l for l in lines if re.match(r'^sr\d +\[', l)], screen)
        self.assertRegex(screen, r'\nsr0 +ok +0:\d\d +\d+\.\d× +-\n')
        self.assertIn('2 of 2 discs burned', screen)

    def test_ctrl_c_asks_then_cancels_all(self):
        proc, out = self.start('--json', 'burn', '-d', 'sr0', '-d', 'sr1', self.cue())
        for name in ('sr0', 'sr1'):
            out.wait_for(lambda l: '"event":"update"' in l and '"drive":"%s"' % name in l and
                         '"action":"writing"' in l, '%s writing' % name)
        proc.send_signal(signal.SIGINT)
        asked = json.loads(out.wait_for(lambda l: '"event":"interrupt"' in l))
        self.assertEqual((asked['count'], asked['writing']), (1, 2))
        proc.send_signal(signal.SIGINT)
        out.rest()
        status = proc.wait()
        err = proc.stderr.read().decode()
        self.assertEqual(status, 6, err)  # EXIT_CANCELLED
        self.assertIn('press Ctrl-C again to cancel the 2 burns running', err)
        lines = '\n'.join(out.seen).splitlines()
        events = [json.loads(l) for l in lines if l.startswith('{')]
        self.assertEqual({e['drive'] for e in events if e['event'] == 'cancelling'},
                         {'sr0', 'sr1'})
        results = [(e['drive'], e['result']) for e in events if e['event'] == 'drive-result']
        self.assertEqual(results, [('sr0', 'cancelled'), ('sr1', 'cancelled')])
        for name in ('sr0', 'sr1'):
            self.assertEqual(self.prop(name, 'org.rawburn1.DiscFormat2RawCD', 'State'), 'idle')

    def test_unplugged_mid_burn(self):
        image = self.image_of(self.cue())
        proc, out = self.start('--json', 'burn', '-d', 'sr0', '-d', 'sr1', '-d', 'sr2',
                               self.cue())
        out.wait_for(lambda l: '"event":"update"' in l and '"drive":"sr1"' in l and
                     '"action":"writing"' in l, 'sr1 writing')
        self.daemon.ctl('remove sr1')
        rest = out.rest()
        err = proc.stderr.read().decode()
        status = proc.wait()
        self.assertNotEqual(status, 0, err)
        lines = '\n'.join(out.seen).splitlines()
        events = [json.loads(l) for l in lines if l.startswith('{')]
        results = {e['drive']: e for e in events if e['event'] == 'drive-result'}
        self.assertTrue(results['sr0']['ok'], err)
        self.assertTrue(results['sr2']['ok'], err)
        self.assertFalse(results['sr1']['ok'])
        self.assertEqual(results['sr1']['exit_status'], status)
        for name in ('sr0', 'sr2'):
            self.assert_recorded(image, name=name)


if __name__ == '__main__':
    unittest.main()
