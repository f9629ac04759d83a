# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the rawburnctl burn tests share: two short tones as WAV files, the
cue sheet of them, the image `rawburnctl image create` makes, a fresh blank
disc, the disc compared with an image, and rawburnctl's error events."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from harness import (RAWBURNCTL, DaemonTestCase, Monitor, disc_matches_image, make_wav, prop,
                     rawburnctl, rec_path)

# rawburnctl's exit statuses (client/exit-status.h).
EXIT_FAILED, EXIT_USAGE, EXIT_NO_DRIVE, EXIT_MEDIA, EXIT_PERMISSION = 1, 2, 3, 4, 5
EXIT_CANCELLED, EXIT_BUSY, EXIT_SOURCE, EXIT_VERIFY, EXIT_UNSUPPORTED = 6, 8, 9, 10, 11

TRACKS = (300, 375)  # sectors: 4 s and 5 s


class BurnTestCase(DaemonTestCase):
    DRIVES = ('cdr80',)

    def setUp(self):
        super().setUp()
        self.wavs = []
        for i, n in enumerate(TRACKS):
            path = os.path.join(self.tmp, 't%d.wav' % (i + 1))
            make_wav(path, n, 440 + 220 * i)
            self.wavs.append(path)

    def ctl(self, *args, **kw):
        return rawburnctl(self.address, *args, **kw)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def cue(self):
        return self.write('album.cue', 'PERFORMER "rawburn"\nTITLE "Tones"\n'
                          'FILE "t1.wav" WAVE\n  TRACK 01 AUDIO\n    TITLE "A"\n'
                          '    INDEX 01 00:00:00\n'
                          'FILE "t2.wav" WAVE\n  TRACK 02 AUDIO\n    TITLE "B"\n'
                          '    INDEX 00 00:00:00\n    INDEX 01 00:01:00\n')

    def image_of(self, *sources, sector_type='raw', extra=()):
        """The image rawburnctl's creator makes of the same sources."""
        out = os.path.join(self.tmp, 'expected-%s.img' % sector_type)
        r = subprocess.run([RAWBURNCTL, 'image', 'create', '-t', sector_type, '-o', out] +
                           list(extra) + list(sources), capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def new_disc(self, name='sr0', media='cdr80'):
        """A fresh blank disc, once rawburnd has read it (so that its own
        reading does not meet the faults a test arms next)."""
        self.daemon.ctl('%s clear-faults' % name)
        state = self.state(name)
        if state['media'] == media and state['disc'] == 'blank':
            return  # as it came: rawburnd has read it and would signal no change
        mon = Monitor(self.address)
        try:
            self.daemon.ctl('%s take' % name, '%s insert %s' % (name, media))
            # From a written disc to a blank one: rawburnd signals the change.
            mon.wait_for(lambda m: 'member=PropertiesChanged' in m and rec_path(name) in m and
                         prop('MediaPhysicallyBlank', 'boolean true') in m)
        finally:
            mon.stop()

    def burn(self, *args, **kw):
        r = self.ctl('burn', *args, **kw)
        self.assertEqual(r.returncode, 0, 'burn failed:\n' + r.stdout + r.stderr)
        return r

    def assert_recorded(self, image, sector_type=3, stream_leadin=22650, name='sr0'):
        ok, got, want = disc_matches_image(self.daemon, self.tmp, image, sector_type,
                                           stream_leadin, name=name)
        self.assertTrue(ok, 'the disc differs from the image (%s vs %s)' % (got, want))

    def state(self, name='sr0'):
        return dict(l.split('=', 1) for l in self.daemon.ctl('%s state' % name))

    def assert_error(self, r, name, status, words, drive='sr0'):
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        errors = [json.loads(l) for l in r.stdout.splitlines() if '"event":"error"' in l]
        self.assertTrue(errors, r.stdout)
        self.assertEqual(errors[0]['name'], 'org.rawburn1.Error.' + name)
        self.assertEqual(errors[0]['exit_status'], status)
        self.assertIn(words, errors[0]['hint'])
        self.assertIn('rawburnctl: %s: %s' % (drive, words), r.stderr)

    def burn_error(self, *args, **kw):
        return self.ctl('--json', 'burn', *args, **kw)

    def events(self, r):
        """rawburnctl --json's events."""
        return [json.loads(l) for l in r.stdout.splitlines() if l.startswith('{')]
