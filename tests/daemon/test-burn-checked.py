#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Nothing ruins a disc silently (issue 9): every burn is read back and
compared with the image's lead-in (VerifyFailed when the TOC differs); a
CHECK CONDITION on each kind of command the engine sends reaches the caller
as a named error with the sense and a hint; Simulate only where the drive can
rehearse; Overburn as far as the drive writes; the drain at the end bounded
in time. The real rawburnd on drivesim; faults from docs/drivesim.md."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (RAW_IFACE, RAWBURNCTL, Client, DaemonTestCase, Monitor, disc_matches_image,
                     drive_fds, drive_state, make_image, make_wav, write_finished)

E = 'org.rawburn1.Error.'


def cdtext_image(tmp):
    """An album with CD-Text (titles and performers), raw P-W."""
    for i, freq in ((1, 440), (2, 550)):
        make_wav(os.path.join(tmp, 't%d.wav' % i), 300, freq)
    cue = os.path.join(tmp, 'text.cue')
    with open(cue, 'w') as f:
        f.write('PERFORMER "The Testers"\nTITLE "Read Back"\n'
                'FILE "t1.wav" WAVE\n  TRACK 01 AUDIO\n    TITLE "One"\n    INDEX 01 00:00:00\n'
                'FILE "t2.wav" WAVE\n  TRACK 02 AUDIO\n    TITLE "Two"\n    INDEX 01 00:00:00\n')
    image = os.path.join(tmp, 'text.img')
    subprocess.run([RAWBURNCTL, 'image', 'create', '-t', 'raw', cue, '-o', image], check=True,
                   capture_output=True)
    return image


class Checked(DaemonTestCase):
    DRIVES = ('cdr80', 'cdr80,modes=notest-raw', 'cdr74,capacity=00:30:00',
              'cdr74,capacity=00:30:00,overburn=1000')
    ARGS = ('--finish-timeout=2',)

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.images = tempfile.mkdtemp(prefix='rawburn-checked-')
        cls.image = make_image(cls.images, 3)
        cls.text_image = cdtext_image(cls.images)
        # 40 s of audio: its lead-out (LBA 3000) is past the small discs' 00:30:00 (2100).
        cls.long_image = make_image(cls.images, 3, sectors=(1500, 1500), name='long.img')

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.images, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def new_disc(self, name='sr0', media='cdr80'):
        self.daemon.ctl('%s clear-faults' % name, '%s take' % name, '%s insert %s' % (name, media))

    def write(self, image=None, name='sr0'):
        fd = os.open(image or self.image, os.O_RDONLY)
        try:
            self.client.write(fd, name=name)
        finally:
            os.close(fd)

    def write_error(self, image=None, name='sr0'):
        return self.client.error_of(self.write, image, name)

    def released(self, name='sr0'):
        if self.prop(name, RAW_IFACE, 'State') == 'prepared':
            self.daemon.ctl('%s clear-faults' % name)
            self.client.release(name)
        self.assertEqual(self.prop(name, RAW_IFACE, 'State'), 'idle')
        self.assertEqual(drive_fds(self.daemon, name), [])
        self.assertEqual(drive_state(self.daemon, name)['locked'], 'no')

    # ---- read back after every burn

    def test_a_toc_that_reads_back_wrong_fails_the_burn(self):
        self.daemon.ctl('sr0 fault toc-mismatch')
        name, message = self.write_error()
        self.assertEqual(name, E + 'VerifyFailed', message)
        self.assertIn('0xE0AA0001', message)
        self.assertIn('lead-out starts at LBA 601 on the disc, 600 in the image', message)
        self.released()
        # Turned off, the same disc passes: the caller asked for no check.
        self.new_disc()
        self.daemon.ctl('sr0 fault toc-mismatch')
        self.assertEqual(self.client.prepare(RequestedSectorType=3, CheckAfterWrite=False), 0)
        self.write()
        self.released()

    def test_cd_text_is_read_back(self):
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        self.write(self.text_image)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.text_image, 3)
        self.assertTrue(ok)
        self.released()
        # The check reads format 5 when the image has CD-Text: a drive that
        # fails it fails the burn, by name.
        self.new_disc()
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        self.daemon.ctl('sr0 fault sense 04/44/00 op=0x43 format=5')
        name, message = self.write_error(self.text_image)
        self.assertEqual(name, E + 'UnexpectedResponseFromDevice', message)
        self.assertIn('READ TOC format 5 after writing', message)
        self.released()

    # ---- every kind of command: a CHECK CONDITION reaches the caller by name

    def test_sense_on_each_command_of_the_preparation(self):
        for op, fault in (('00', 'op=0x00'), ('46', 'op=0x46'), ('51', 'op=0x51'),
                          ('43', 'op=0x43 format=4'), ('5A', 'op=0x5a'), ('55', 'op=0x55'),
                          ('BB', 'op=0xbb'), ('1E', 'op=0x1e')):
            with self.subTest(command=op):
                self.new_disc()
                self.daemon.ctl('sr0 fault sense 04/44/00 ' + fault)
                name, message = self.client.error_of(self.client.prepare, RequestedSectorType=3)
                self.assertEqual(name, E + 'UnexpectedResponseFromDevice', message)
                self.assertIn('command %sh, sense 04/44/00' % op, message)
                self.assertIn('Hint: the drive reports a hardware fault', message)
                self.released()

    def test_sense_on_each_command_of_the_write(self):
        for op, fault in (('46', 'op=0x46'), ('51', 'op=0x51 count=1'),
                          ('43', 'op=0x43 format=4'), ('5A', 'op=0x5a'), ('55', 'op=0x55'),
                          ('BB', 'op=0xbb'), ('2A', 'op=0x2a after=3'), ('5C', 'op=0x5c'),
                          ('35', 'op=0x35'), ('00', 'op=0x00'), ('43', 'op=0x43 format=0'),
                          ('43', 'op=0x43 format=2'), ('51', 'op=0x51 after=1')):
            with self.subTest(command=op, fault=fault):
                self.new_disc()
                self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
                try:
                    self.daemon.ctl('sr0 fault sense 03/0C/00 ' + fault)
                    name, message = self.write_error()
                    self.assertEqual(name, E + 'UnexpectedResponseFromDevice', message)
                    self.assertIn('command %sh, sense 03/0C/00' % op, message)
                    self.assertIn('Hint: the disc could not be written there', message)
                    result = self.prop('sr0', RAW_IFACE, 'LastWriteResult')
                    self.assertEqual(result[2]['Sense']['data'], '03/0C/00')
                finally:
                    self.released()

    def test_loss_of_streaming_and_power_calibration_have_hints(self):
        for sense, error, hint in (('03/0C/09', 'LossOfStreaming', 'turn BURN-Free on'),
                                   ('03/73/03', 'UnexpectedResponseFromDevice',
                                    'power calibration failed: lower the write speed')):
            with self.subTest(sense=sense):
                self.new_disc()
                self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
                try:
                    self.daemon.ctl('sr0 fault sense %s op=0x2a after=5' % sense)
                    name, message = self.write_error()
                    self.assertEqual(name, E + error, message)
                    self.assertIn(hint, message)
                finally:
                    self.released()

    # ---- simulation that means what it says

    def test_simulate_records_nothing(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        self.assertEqual(self.client.prepare(RequestedSectorType=3, Simulate=True), 0)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'Simulate'))
        self.write()
        finished = monitor.wait_for(write_finished)
        self.assertIn('"Simulated" variant boolean true', finished)
        state = drive_state(self.daemon)
        self.assertEqual(state['disc'], 'blank')
        self.assertEqual(state['test_write'], 'yes')
        self.released()

    def test_simulate_refused_where_the_drive_cannot_rehearse(self):
        name, message = self.client.error_of(self.client.prepare, 'sr1', RequestedSectorType=3,
                                             Simulate=True)
        self.assertEqual(name, E + 'TestWriteNotSupported', message)
        self.assertIn('0xE0AA0002', message)
        self.assertEqual(self.prop('sr1', RAW_IFACE, 'State'), 'idle')
        # Without Simulate the same drive burns.
        self.assertEqual(self.client.prepare('sr1', RequestedSectorType=3), 0)
        self.client.release('sr1')

    # ---- overburn

    def test_overburn_as_far_as_the_drive_writes(self):
        # Without Overburn: refused before anything is written.
        name, message = self.write_error(self.long_image, 'sr2')
        self.assertEqual(name, E + 'NotEnoughSpace', message)
        self.assertEqual(drive_state(self.daemon, 'sr2')['disc'], 'blank')
        # With it, on a drive that writes no further than the disc: the drive
        # refuses the sectors past its end, and says so by name.
        self.assertEqual(self.client.prepare('sr2', RequestedSectorType=3, Overburn=True), 0)
        name, message = self.write_error(self.long_image, 'sr2')
        self.assertEqual(name, E + 'NotEnoughSpace', message)
        self.assertIn('sense 05/63/00', message)
        self.released('sr2')
        # A drive that overburns 1000 sectors takes it all.
        self.assertEqual(self.client.prepare('sr3', RequestedSectorType=3, Overburn=True), 0)
        self.write(self.long_image, 'sr3')
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.long_image, 3, name='sr3')
        self.assertTrue(ok, '%s vs %s' % (got, want))
        self.released('sr3')

    # ---- bounded waits

    def test_a_drive_that_never_finishes_is_let_go(self):
        # After SYNCHRONIZE CACHE the drive says "long write in progress" for
        # ever: rawburnd gives up after --finish-timeout (2 s) by name.
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        self.daemon.ctl('sr0 fault sense 02/04/08 op=0x00')
        name, message = self.write_error()
        self.assertEqual(name, E + 'RecorderCommandTimeout', message)
        self.assertIn('did not finish writing its buffer within 2 s', message)
        self.released()
        self.assert_alive()


if __name__ == '__main__':
    unittest.main(verbosity=2)
