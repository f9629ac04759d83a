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
- --json: every drive's events name it, a drive-result per drive, a summary."""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import EXIT_MEDIA, BurnTestCase
from harness import RAWBURNCTL, LineReader


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


class Unplugged(BurnTestCase):
    # Realtime drives, so that there is time to unplug one while it writes.
    DRIVES = ('cdr80,realtime,speed=16',) * 3

    def test_unplugged_mid_burn(self):
        image = self.image_of(self.cue())
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8',
                   RAWBURN_QUIRKS='/nonexistent', RAWBURN_LOCAL_QUIRKS='/nonexistent')
        proc = subprocess.Popen([RAWBURNCTL, '--json', 'burn', '-d', 'sr0', '-d', 'sr1', '-d',
                                 'sr2', self.cue()], env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        out = LineReader(proc.stdout)
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
