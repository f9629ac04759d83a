#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The burn engine through the real rawburnd on drivesim: PrepareMedia,
WriteMedia, WriteMedia2, ReleaseMedia from a libdbus client and from gdbus;
each sector type, from a file and from a pipe; the disc drivesim recorded is
compared with the image byte for byte from the media's lead-in start.
Images are made by rawburnctl, expected values come from drivesim's
documented media (docs/drivesim.md) and the IMAPI2 definitions."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUS, CDR80_LEADIN, RAW_IFACE, REC_IFACE, Client, DaemonTestCase, Monitor,
                     disc_matches_image, make_image, pipe_from_file, rec_path, update_args,
                     write_finished)


def gdbus_write(address, fd, method='WriteMedia', leadin=None, name='sr0'):
    """gdbus passes the descriptor given as "@h N" (GLib 2.74)."""
    args = ['gdbus', 'call', '--address', address, '--dest', BUS, '--object-path',
            rec_path(name), '--timeout', '600', '--method', RAW_IFACE + '.' + method,
            '@h %d' % fd]
    if leadin is not None:
        args.append(str(leadin))
    return subprocess.run(args, pass_fds=(fd,), capture_output=True, text=True)


class Burn(DaemonTestCase):
    DRIVES = ('cdr80',)

    def setUp(self):
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def new_disc(self, name='sr0', media='cdr80'):
        self.daemon.ctl('%s take' % name, '%s insert %s' % (name, media))

    def assert_recorded(self, image, sector_type, stream_leadin=22650):
        ok, got, want = disc_matches_image(self.daemon, self.tmp, image, sector_type,
                                           stream_leadin)
        self.assertTrue(ok, 'recorded disc differs from the image (%s vs %s)' % (got, want))

    def burn_prepared(self, image, sector_type, pipe=False, leadin=None):
        self.assertEqual(self.client.prepare(RequestedSectorType=sector_type,
                                             ClientName='test-burn'), 0)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), 'test-burn')
        if pipe:
            fd, feeder = pipe_from_file(image)
        else:
            fd = os.open(image, os.O_RDONLY)
        try:
            self.client.write(fd, leadin=leadin)
        finally:
            os.close(fd)
        self.client.release()
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_each_sector_type_from_file_and_pipe(self):
        for sector_type in (1, 2, 3):
            image = make_image(self.tmp, sector_type)
            for pipe in (False, True):
                with self.subTest(sector_type=sector_type, pipe=pipe):
                    self.new_disc()
                    self.burn_prepared(image, sector_type, pipe=pipe)
                    self.assert_recorded(image, sector_type)
                    state = dict(l.split('=', 1) for l in self.daemon.ctl('sr0 state'))
                    self.assertEqual(state['disc'], 'complete')
                    self.assertEqual(state['block_type'], str(sector_type))
                    self.assertEqual(state['write_type'], '3')
                    self.assertEqual(state['locked'], 'no')

    def test_write_media2_streams_that_start_elsewhere(self):
        # A stream starting exactly at the media's lead-in start, one starting
        # at 96:00:00 and the IMAPI2 default expressed as WriteMedia2.
        for first_lba in (CDR80_LEADIN, -450150 + 96 * 4500, -22650):
            image = make_image(self.tmp, 3, first_lba=first_lba)
            for pipe in (False, True):
                with self.subTest(first_lba=first_lba, pipe=pipe):
                    self.new_disc()
                    self.burn_prepared(image, 3, pipe=pipe, leadin=-first_lba)
                    self.assert_recorded(image, 3, stream_leadin=-first_lba)

    def test_one_gdbus_call_burns_a_disc(self):
        image = make_image(self.tmp, 2)
        fd = os.open(image, os.O_RDONLY)
        r = gdbus_write(self.address, fd)
        os.close(fd)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_recorded(image, 2)
        # The one-shot preparation was let go with the call.
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'Owner'), '')
        self.assertFalse(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        result = self.prop('sr0', RAW_IFACE, 'LastWriteResult')
        self.assertEqual(result[0], '')
        self.assertEqual(result[2]['SectorsWritten']['data'],
                         (os.path.getsize(image) // 2448) - (22650 + CDR80_LEADIN))

    def test_one_gdbus_call_from_a_pipe_with_write_media2(self):
        image = make_image(self.tmp, 2, first_lba=CDR80_LEADIN)
        fd, feeder = pipe_from_file(image)
        r = gdbus_write(self.address, fd, 'WriteMedia2', -CDR80_LEADIN)
        os.close(fd)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_recorded(image, 2, stream_leadin=-CDR80_LEADIN)

    def test_progress_signals_and_outcome(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        image = make_image(self.tmp, 3)
        self.burn_prepared(image, 3)
        first = monitor.wait_for(lambda m: update_args(m) is not None)
        # current_action 1 (preparing) comes first, start_lba is the lead-in start
        self.assertIn('int32 1 ', first)
        self.assertIn('int32 %d ' % CDR80_LEADIN, first)
        monitor.wait_for(lambda m: 'member=Update' in m and ' int32 2 ' in m.split(
            'member=Update', 1)[1][:40])
        finished = monitor.wait_for(write_finished)
        self.assertIn('string "" string ""', finished)
        self.assertIn('"SectorsWritten" variant int64 %d' % (
            os.path.getsize(image) // 2448 - (22650 + CDR80_LEADIN)), finished)
        self.assertIn('"Simulated" variant boolean false', finished)
        scheduling = self.prop('sr0', RAW_IFACE, 'WriterScheduling')
        self.assertTrue(scheduling.startswith('SCHED_FIFO priority 40'), scheduling)


if __name__ == '__main__':
    unittest.main(verbosity=2)
