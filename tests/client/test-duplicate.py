#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnctl duplicate (issue 20), the real rawburnctl on the real rawburnd
and drivesim: --copies 3 on two drives, blank discs inserted one after
another through drivesim's control socket (rawburnctl waits for rawburnd's
media-change signals, it does not poll); each good disc is ejected and
equals the image; a disc whose write fails is ejected, named and not
counted; the tally says 3 good, 1 failed. Ctrl-C while it waits for discs
ends it at once with the tally (exit status 6)."""

import json
import os
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import BurnTestCase
from harness import RAWBURNCTL, LineReader


class DuplicateCase(BurnTestCase):
    def start(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8',
                   RAWBURN_QUIRKS='/nonexistent', RAWBURN_LOCAL_QUIRKS='/nonexistent')
        proc = subprocess.Popen([RAWBURNCTL] + list(args), env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, LineReader(proc.stdout)

    def event(self, out, kind, drive):
        line = out.wait_for(lambda l: '"event":"%s"' % kind in l and
                            '"drive":"%s"' % drive in l, '%s on %s' % (kind, drive))
        return json.loads(line)


class Duplicate(DuplicateCase):
    DRIVES = ('cdr80', 'none')

    def test_three_copies_on_two_drives(self):
        image = self.image_of(self.cue())
        proc, out = self.start('--json', 'duplicate', '--copies', '3', '-d', 'sr0', '-d', 'sr1',
                               self.cue())
        # sr0's blank disc is burned at once and ejected; sr1 is empty.
        self.assertIn('copy 1 of 3', self.event(out, 'copy-start', 'sr0')['message'])
        self.assertEqual(self.event(out, 'copy-done', 'sr0')['good'], 1)
        self.assertEqual(self.state('sr0')['tray'], 'open')
        self.assert_recorded(image, name='sr0')
        # A blank disc into sr1.
        self.daemon.ctl('sr1 insert cdr80')
        self.assertEqual(self.event(out, 'copy-done', 'sr1')['good'], 2)
        self.assert_recorded(image, name='sr1')
        # A disc that cannot be written into sr0: ejected, named, not counted.
        self.daemon.ctl('sr0 fault sense 03/0C/00 op=0x2a after=20', 'sr0 insert cdr80')
        failed = self.event(out, 'copy-failed', 'sr0')
        self.assertEqual((failed['good'], failed['failed']), (2, 1))
        self.assertIn('it is ejected and not counted', failed['message'])
        self.daemon.ctl('sr0 clear-faults')
        # The next blank disc in sr0 is the third copy.
        self.daemon.ctl('sr0 insert cdr80')
        self.assertEqual(self.event(out, 'copy-done', 'sr0')['good'], 3)
        rest = '\n'.join(out.rest()).splitlines()
        self.assertEqual(proc.wait(), 0, proc.stderr.read().decode())
        events = [json.loads(l) for l in rest if l.startswith('{')]
        self.assertEqual(events[-2], {'event': 'tally', 'wanted': 3, 'good': 3, 'failed': 1})
        self.assertRegex(failed['message'], r'^this disc failed \(failed: \w+\)')
        self.assertEqual(events[-1], {'event': 'done', 'ok': True, 'exit_status': 0})
        self.assert_recorded(image, name='sr0')
        # Every disc went out of its drive.
        self.assertEqual(self.state('sr0')['tray'], 'open')
        self.assertEqual(self.state('sr1')['tray'], 'open')

    def test_text_and_tally(self):
        proc, out = self.start('duplicate', '-n', '2', self.cue())
        out.wait_for(lambda l: l.startswith('sr0: copy 1 of 2 done'), 'copy 1')
        self.daemon.ctl('sr0 insert cdr80')
        out.wait_for(lambda l: l.startswith('sr0: copy 2 of 2 done'), 'copy 2')
        rest = '\n'.join(out.rest()).splitlines()
        self.assertEqual(proc.wait(), 0)
        self.assertEqual(rest[-1], '2 of 2 copies made, 0 discs failed')
        self.assertRegex(rest[-3], r'^sr0 +2 +0$')
        self.assertRegex(rest[-2], r'^sr1 +0 +0$')


class Waiting(DuplicateCase):
    DRIVES = ('none',)

    def test_ctrl_c_while_waiting(self):
        proc, out = self.start('duplicate', '--copies', '2', self.cue())
        out.wait_for(lambda l: 'insert blank discs' in l, 'the start')
        proc.send_signal(signal.SIGINT)
        rest = '\n'.join(out.rest()).splitlines()
        self.assertEqual(proc.wait(), 6)
        self.assertEqual(rest[-1], '0 of 2 copies made, 0 discs failed')


if __name__ == '__main__':
    unittest.main()
