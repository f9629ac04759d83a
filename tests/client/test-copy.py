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

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import EXIT_MEDIA, BurnTestCase
from harness import RAWBURNCTL, SOURCE, disc_matches_image, make_wav

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


class DiscCase(BurnTestCase):
    # sr0: the pressed disc (inserted by each test), sr1: a blank CD-R.
    DRIVES = ('cdr80', 'cdr80')

    def press(self, image, name='sr0'):
        """The disc in drive name becomes image, pressed."""
        self.daemon.ctl('%s take' % name, '%s insert cdrom:%s' % (name, image))
        for _ in range(200):
            # rawburnd has seen it (no longer the blank CD-R).
            r = self.ctl('info', name, '--json')
            if r.returncode == 0 and '"blank":false' in r.stdout.replace(' ', ''):
                return
            time.sleep(0.05)
        self.fail('%s: rawburnd does not see the pressed disc' % name)

    def read(self, *args, ok=True, name='sr0'):
        out = os.path.join(self.tmp, 'copy.dao96')
        r = self.ctl('image', 'read', name, '-o', out, *args)
        if ok:
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return out, r

    def assert_same_disc(self, source, copy):
        """copy holds source's every sector: lead-in (TOC in Q, CD-Text in
        R-W), track 1's pause, program area and lead-out, main channel and
        P-W; and the inspector finds the same TOC, tracks, CD-Text and MCN."""
        self.assertEqual(os.path.getsize(copy), os.path.getsize(source))
        with open(source, 'rb') as a, open(copy, 'rb') as b:
            for i in range(sectors(source)):
                sa, sb = a.read(SECTOR), b.read(SECTOR)
                if sa != sb:
                    where = 'main channel' if sa[:2352] != sb[:2352] else 'subchannel'
                    self.fail('%s: LBA %d differs from %s (%s)' % (copy, FIRST_LBA + i,
                                                                   source, where))
        ia, ib = inspect(source), inspect(copy)
        for key in ('toc', 'tracks', 'cdtext', 'mcn'):
            if key in ia:
                self.assertEqual(ia[key], ib.get(key), key)

    def album(self):
        return create(os.path.join(self.tmp, 'album.dao96'), 'pregap.cue', cwd=corpus())

    def pcm(self, path, leadout):
        """The main channel of LBA 0 to the lead-out."""
        with open(path, 'rb') as f:
            f.seek(-FIRST_LBA * SECTOR)
            return b''.join(f.read(SECTOR)[:2352] for _ in range(leadout))


class Copy(DiscCase):
    # ----------------------------------------------------------- the discs

    def test_audio_with_cdtext_pregaps_and_indexes(self):
        source = self.album()
        self.press(source)
        copy, r = self.read()
        self.assertIn('CD-Text', r.stdout)
        self.assert_same_disc(source, copy)
        # pregap.cue: track 2's 2 s pregap, track 3's 1 s one and its index 2,
        # track 1's ISRC, the catalogue number.
        tracks = inspect(copy)['tracks']
        self.assertEqual([[(i['index'], i['lba']) for i in t['indexes']] for t in tracks],
                         [[(0, -150), (1, 0)], [(0, 375), (1, 525)],
                          [(0, 975), (1, 1050), (2, 1125)]])
        self.assertEqual(tracks[0]['isrc'], 'USABC2600001')
        self.assertEqual(inspect(copy)['mcn'], '4006381333931')

    def test_cdtext_in_two_blocks(self):
        source = create(os.path.join(self.tmp, 'bil.dao96'), 'bil.toc', cwd=corpus())
        self.press(source)
        copy, _ = self.read()
        self.assert_same_disc(source, copy)
        self.assertEqual(len(inspect(copy)['cdtext']['blocks']), 2)

    def test_mixed_mode2_data_and_audio(self):
        source = create(os.path.join(self.tmp, 'game.dao96'), 'game-redump.cue', cwd=corpus())
        self.press(source)
        copy, _ = self.read()
        self.assert_same_disc(source, copy)
        self.assertEqual([t['mode'] for t in inspect(copy)['tracks']][:2], ['mode2', 'audio'])

    def test_mode1_data_and_audio(self):
        make_wav(os.path.join(self.tmp, 'bonus.wav'), 300)
        iso = os.path.join(corpus(), 'game.iso')
        source = create(os.path.join(self.tmp, 'mode1.dao96'), '--allow-short-tracks', iso,
                        os.path.join(self.tmp, 'bonus.wav'))
        self.press(source)
        copy, _ = self.read()
        self.assert_same_disc(source, copy)
        tracks = inspect(copy)['tracks']
        self.assertEqual([t['mode'] for t in tracks], ['mode1', 'audio'])
        self.assertEqual(tracks[0]['data_errors'], 0)
        # A read offset moves the audio, never the data.
        copy, _ = self.read('--read-offset', '100')
        start = tracks[1]['start_lba']
        with open(source, 'rb') as a, open(copy, 'rb') as b:
            a.seek(-FIRST_LBA * SECTOR)
            b.seek(-FIRST_LBA * SECTOR)
            self.assertEqual(a.read(start * SECTOR), b.read(start * SECTOR))
        self.assertEqual(inspect(copy)['tracks'][0]['data_errors'], 0)

    def cdg(self):
        """A CD+G disc: one song with 4 packs a sector (mode 1 item 1, tile
        block) of counted data."""
        make_wav(os.path.join(self.tmp, 'song.wav'), 375)
        with open(os.path.join(self.tmp, 'song.cdg'), 'wb') as f:
            for p in range(375 * 4):
                pack = bytearray(24)
                pack[0], pack[1] = 0x09, 0x06
                for i in range(4, 20):
                    pack[i] = (p * 7 + i * 13) & 0x3f
                f.write(pack)
        with open(os.path.join(self.tmp, 'song.cue'), 'w') as f:
            f.write('FILE "song.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n')
        return create(os.path.join(self.tmp, 'cdg.dao96'), 'song.cue', cwd=self.tmp)

    def test_cdg(self):
        source = self.cdg()
        self.press(source)
        copy, _ = self.read()
        self.assert_same_disc(source, copy)
        self.assertEqual(inspect(copy)['tracks'][0]['rw']['cdg_packs'], 1500)

    def test_hidden_track_one_audio(self):
        make_wav(os.path.join(self.tmp, 'a.wav'), 525, 330)
        make_wav(os.path.join(self.tmp, 'b.wav'), 300, 550)
        with open(os.path.join(self.tmp, 'htoa.cue'), 'w') as f:
            f.write('FILE "a.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 00 00:00:00\n'
                    '  INDEX 01 00:03:00\nFILE "b.wav" WAVE\n TRACK 02 AUDIO\n'
                    '  INDEX 01 00:00:00\n')
        source = create(os.path.join(self.tmp, 'htoa.dao96'), 'htoa.cue', cwd=self.tmp)
        self.press(source)
        copy, _ = self.read()
        self.assert_same_disc(source, copy)
        # The hidden audio is track 1's pause, from LBA -150 to 224.
        self.assertEqual(inspect(copy)['tracks'][0]['indexes'],
                         [{'index': 0, 'lba': -150}, {'index': 1, 'lba': 225}])

    # ------------------------------------------------------------ copy

    def test_copy_to_a_blank_cdr(self):
        source = self.album()
        self.press(source)
        r = self.ctl('copy', 'sr0', 'sr1')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, source, 3, name='sr1')
        self.assertTrue(ok, 'sr1 did not record the source image (%s of %s)' % (got, want))

    def test_copy_of_cdg_verified(self):
        """Burn options after --: the copy read back and compared (R-W too)."""
        source = self.cdg()
        self.press(source)
        r = self.ctl('copy', 'sr0', 'sr1', '--', '--verify')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('verified', r.stdout)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, source, 3, name='sr1')
        self.assertTrue(ok, 'sr1 did not record the source image (%s of %s)' % (got, want))

    def test_copy_needs_two_drives(self):
        self.assertEqual(self.ctl('copy', 'sr0').returncode, 2)
        self.assertEqual(self.ctl('copy', 'sr0', 'sr0').returncode, 2)

    # ------------------------------------------------- offsets and errors

    def test_read_offset_moves_the_audio(self):
        source = self.album()
        self.press(source)
        copy, r = self.read('--read-offset', '30')
        self.assertIn('read offset +30 samples\n', r.stdout)
        leadout = inspect(source)['leadout']['lba']
        want = self.pcm(source, leadout)[30 * 4:] + bytes(30 * 4)
        self.assertTrue(self.pcm(copy, leadout) == want, 'the audio did not move by 30 samples')
        # The subchannel stays where it was: the TOC, the pauses, the indexes.
        self.assertEqual(inspect(copy)['tracks'], inspect(source)['tracks'])

    def test_leadout_read_in_part(self):
        """Drives stop somewhere in the lead-out: the rest is made."""
        source = self.album()
        self.press(source)
        leadout = inspect(source)['leadout']['lba']
        self.daemon.ctl('sr0 fault sense 05/21/00 op=0xbe lba=%d-%d' % (leadout + 500,
                                                                        leadout + 6749))
        copy, r = self.read()
        # Up to the last whole command before the failure (rawburnd reads 64 at a time).
        got = int(re.search(r'(\d+) of 6750 lead-out sectors from the disc', r.stdout).group(1))
        self.assertTrue(500 - 64 <= got <= 500, r.stdout)
        self.assert_same_disc(source, copy)

    def test_unreadable_sector_refused_then_accepted(self):
        source = self.album()
        self.press(source)
        self.daemon.ctl('sr0 fault sense 03/11/00 op=0xbe lba=1000')
        copy, r = self.read('--retries', '1', ok=False)
        self.assertEqual(r.returncode, EXIT_MEDIA, r.stdout + r.stderr)
        self.assertIn('1000', r.stderr)
        self.assertIn('--accept-errors', r.stderr)
        self.assertFalse(os.path.exists(copy), 'a refused read left an image')
        self.assertEqual(glob.glob(copy + '.*'), [], 'a refused read left its part')
        copy, r = self.read('--accept-errors')
        self.assertIn('1000', r.stdout)
        with open(source, 'rb') as a, open(copy, 'rb') as b:
            at = (1000 - FIRST_LBA) * SECTOR
            a.seek(at)
            b.seek(at)
            sa, sb = a.read(SECTOR), b.read(SECTOR)
        self.assertEqual(sb[:2352], bytes(2352))
        self.assertEqual(sb[2352:], sa[2352:], 'the unreadable sector lost its subchannel')



class ReadOffsetFromQuirks(DiscCase):
    """The drive's read offset from the quirks files (rawburnd's ReadOffset)
    applies unless an option says otherwise."""

    def start_extra(self):
        self.conf = os.path.join(self.tmp, 'quirks.conf')
        with open(self.conf, 'w') as f:
            f.write('vendor=DRVSIM product="CD-RW RAW96 SIM" read-offset=-12\n')
        self.ARGS = ('--local-quirks', self.conf)

    def test_the_drives_read_offset(self):
        source = self.album()
        self.press(source)
        copy, r = self.read()
        self.assertIn('read offset -12 samples (local quirks file)', r.stdout)
        leadout = inspect(source)['leadout']['lba']
        want = bytes(12 * 4) + self.pcm(source, leadout)[:-12 * 4]
        self.assertTrue(self.pcm(copy, leadout) == want, 'the audio did not move by -12 samples')
        copy, r = self.read('--no-read-offset')
        self.assertIn('(no read offset)', r.stdout)
        self.assert_same_disc(source, copy)


class CopyToMany(DiscCase):
    # sr0: the pressed disc; sr1 and sr2: blank CD-Rs, burned at once from the one read
    # (burn's fan-out), each then holding the pressed disc's image.
    DRIVES = ('cdr80', 'cdr80', 'cdr80')

    def test_copy_to_two_blank_cdrs(self):
        source = self.album()
        self.press(source)
        r = self.ctl('copy', 'sr0', 'sr1', 'sr2')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for name in ('sr1', 'sr2'):
            ok, got, want = disc_matches_image(self.daemon, self.tmp, source, 3, name=name)
            self.assertTrue(ok, '%s did not record the source image (%s of %s)'
                            % (name, got, want))


if __name__ == '__main__':
    unittest.main()
