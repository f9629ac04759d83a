#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""docs/examples/imapi2-raw-writer.c, the sample of docs/porting-from-imapi2.md
(Microsoft's raw-CD burn sample in IMAPI2's call order, GDBus and
librawburn's image creator), run against rawburnd on drivesim: the disc it
burns is the image `rawburnctl image create` makes of the same WAV files,
and a written disc is refused with the D-Bus error name."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from burn_case import BurnTestCase
from harness import CDR80_LEADIN, RAW_IFACE

SAMPLE = os.environ['RAWBURN_PORT_SAMPLE']


class PortSample(BurnTestCase):
    def sample(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address)
        return subprocess.run([SAMPLE] + list(args), env=env, capture_output=True, text=True,
                              timeout=300)

    def test_the_sample_burns_what_rawburnctl_makes(self):
        # IMAPI2's creator puts the standard 2-second gap between audio
        # tracks unless told otherwise (DisableGaplessAudio false): the cue
        # sheet of the same layout. rawburnctl lays out bare files gapless.
        cue = self.write('gaps.cue', 'FILE "t1.wav" WAVE\n  TRACK 01 AUDIO\n'
                         '    INDEX 01 00:00:00\n'
                         'FILE "t2.wav" WAVE\n  TRACK 02 AUDIO\n    PREGAP 00:02:00\n'
                         '    INDEX 01 00:00:00\n')
        image = self.image_of(cue)
        r = self.sample('-d', 'sr0', *self.wavs)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:3], ['Recorder /org/rawburn1/recorder/sr0',
                                     'Track 1: ' + self.wavs[0], 'Track 2: ' + self.wavs[1]])
        self.assertTrue(any(l.startswith('Writing [') for l in lines), r.stdout)
        sectors = os.path.getsize(image) // 2448 - (22650 + CDR80_LEADIN)
        self.assertIn('Write finished: success (HRESULT 0x00000000), %d sectors' % sectors,
                      lines)
        self.assertEqual(lines[-1], 'Burn succeeded')
        self.assert_recorded(image)
        # ReleaseMedia came: the drive is free.
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        # put_ClientName before PrepareMedia, as the sample has it, was applied.
        self.assertIn('sr0: preparing for "Imapi2Sample"', self.daemon.read_log())

        # The disc is written now: PrepareMedia says so by name, with the HRESULT.
        r = self.sample(*self.wavs)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn('PrepareMedia failed: org.rawburn1.Error.MediaIsNotBlank: ', r.stderr)
        self.assertIn('0xC0AA0606', r.stderr)
        self.assertEqual(r.stdout.splitlines()[-1], 'Burn failed')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_a_file_that_is_no_audio(self):
        bad = self.write('notes.txt', 'not audio\n')
        r = self.sample(bad)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(bad + ': ', r.stderr)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))


if __name__ == '__main__':
    unittest.main(verbosity=2)
