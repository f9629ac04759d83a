#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""EraseMedia (IMAPI2 IDiscFormat2Erase) and ReadMedia (the disc read back
for rawburnctl burn --verify) through the real rawburnd on drivesim: a CD-RW
burned, erased and burned again; refusals; the read-back equal to the image
byte for byte (data sectors scrambled again as the image has them)."""

import os
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (DEADLINE, RAW_IFACE, RAWBURNCTL, REC_IFACE, Client, DaemonTestCase, Monitor,
                     drive_fds, drive_state, make_image, make_wav, option_variants, prop)

E = 'org.rawburn1.Error.'
ERASE_IFACE = 'org.rawburn1.DiscFormat2Erase'


def erase(client, name='sr0', **options):
    return client.call(name, ERASE_IFACE, 'EraseMedia', 'a{sv}', (option_variants(options),),
                       timeout=600)


def read_media(client, fd, first, count, name='sr0'):
    return client.call(name, RAW_IFACE, 'ReadMedia', 'hii', (0, first, count), fds=(fd,),
                       timeout=600)


def read_back(client, first, count, name='sr0'):
    """ReadMedia into a pipe drained by a thread; returns the bytes."""
    r, w = os.pipe()
    chunks = []

    def drain():
        while True:
            b = os.read(r, 1 << 20)
            if not b:
                break
            chunks.append(b)

    t = threading.Thread(target=drain, daemon=True)
    t.start()
    try:
        read_media(client, w, first, count, name)
    finally:
        os.close(w)
    t.join(DEADLINE)
    os.close(r)
    return b''.join(chunks)


class EraseErrors(DaemonTestCase):
    """The E_IMAPI_ERASE_* codes rawburnd's erase can meet, each where it
    applies (docs/burn-errors.md lists those that cannot occur)."""
    # sr3: a CD-R-only writer holding a CD-RW (docs/drivesim.md, cdrw-write=no).
    DRIVES = ('cdrw74', 'dvdr', 'cdrom:%s', 'cdrw74,cdrw-write=no')
    ARGS = ('--erase-timeout=2',)
    # Counts BLANKs down without firing: the state's after= says whether one arrived.
    BLANK_TRIPWIRE = 'fault sense 04/44/00 op=0xa1 after=1000'

    def setUp(self):
        self.pressed = os.path.join(tempfile.gettempdir(), 'rawburn-erase-pressed-%d.img' %
                                    os.getpid())
        self.DRIVES = tuple(d.replace('%s', self.pressed) for d in type(self).DRIVES)
        image = make_image(tempfile.gettempdir(), 3, sectors=(300,),
                           name=os.path.basename(self.pressed))
        self.addCleanup(os.unlink, image)
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def assert_erase_fails(self, error, name='sr0', hresult=None, **options):
        got, message = self.client.error_of(erase, self.client, name, **options)
        self.assertEqual(got, E + error, message)
        if hresult:
            self.assertIn(hresult, message)
        # Nothing is left held or locked, and the drive answers again.
        self.daemon.ctl('%s clear-faults' % name)
        self.assertEqual(drive_fds(self.daemon, name), [])
        self.assertEqual(drive_state(self.daemon, name)['locked'], 'no')
        self.assertFalse(self.prop(name, ERASE_IFACE, 'Erasing'))
        return message

    def test_client_name_is_not_valid(self):
        for bad in ('', 'tab\there', 'x' * 65):
            with self.subTest(name=bad):
                self.assert_erase_fails('EraseClientNameIsNotValid', hresult='0xC0AA090B',
                                        ClientName=bad)

    def test_media_is_not_supported_or_not_erasable(self):
        message = self.assert_erase_fails('EraseMediaIsNotSupported', 'sr1', '0xC0AA0909')
        self.assertIn('DVD', message)
        # A pressed CD is a CD the drive cannot erase.
        self.assert_erase_fails('EraseMediaIsNotErasable', 'sr2', '0x80AA0904')

    def test_drive_failed_spinup_command(self):
        self.daemon.ctl('sr0 fault sense 04/44/00 op=0x1b')
        message = self.assert_erase_fails('EraseDriveFailedSpinupCommand', hresult='0x80AA0908')
        self.assertIn('04/44/00', message)
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_unexpected_drive_response_during_erase(self):
        # The first TEST UNIT READY is the wait for the drive; the second is
        # the first look at the running BLANK.
        self.daemon.ctl('sr0 fault sense 04/44/00 op=0x00 after=1 count=1')
        message = self.assert_erase_fails('EraseUnexpectedDriveResponseDuringErase',
                                          hresult='0x80AA0907')
        self.assertIn('04/44/00', message)
        self.assertIn('while erasing', message)

    def test_drive_failed_erase_command(self):
        # ILLEGAL MODE FOR THIS TRACK: the drive's own reason, not one of MMC's
        # named conditions.
        self.daemon.ctl('sr0 fault sense 05/64/00 op=0xa1')
        message = self.assert_erase_fails('EraseDriveFailedEraseCommand', hresult='0x80AA0905')
        self.assertIn('BLANK', message)

    def test_took_longer_than_one_hour(self):
        # rawburnd waits --erase-timeout (an hour unless told; 2 s here) for a
        # drive that keeps saying "operation in progress".
        self.daemon.ctl('sr0 fault busy op=0x00 after=1')
        message = self.assert_erase_fails('EraseTookLongerThanOneHour', hresult='0x80AA0906')
        self.assertIn('within 2 s', message)

    def blanks_seen(self, name):
        faults = drive_state(self.daemon, name)['faults']
        return 1000 - int(faults.split('op=0xa1,after=')[1].split(',')[0].split()[0])

    def test_recorder_not_supported(self):
        # The drive cannot write CD-RW, so cannot erase the one it holds: refused for the
        # drive, from what it said when found, with no BLANK sent.
        self.assertNotIn(0x0A, self.prop('sr3', REC_IFACE, 'SupportedProfiles'))
        self.daemon.ctl('sr3 ' + self.BLANK_TRIPWIRE)
        got, message = self.client.error_of(erase, self.client, 'sr3', FullErase=True)
        self.assertEqual(got, E + 'EraseRecorderNotSupported', message)
        self.assertIn('0xC0AA090A', message)
        self.assertIn('this drive cannot erase CD-RW discs (it writes CD-R only)', message)
        self.assertEqual(self.blanks_seen('sr3'), 0)
        state = drive_state(self.daemon, 'sr3')
        self.assertEqual((state['media'], state['disc'], state['locked']),
                         ('cdrw74', 'blank', 'no'))
        self.assertEqual(drive_fds(self.daemon, 'sr3'), [])
        self.assertFalse(self.prop('sr3', ERASE_IFACE, 'Erasing'))
        self.assertEqual(self.prop('sr3', REC_IFACE, 'ExclusiveAccessOwner'), '')
        self.assertEqual(self.prop('sr3', RAW_IFACE, 'State'), 'idle')
        # The tripwire sees a BLANK where one is sent: the drive that writes CD-RW erases.
        self.daemon.ctl('sr0 ' + self.BLANK_TRIPWIRE)
        erase(self.client, 'sr0')
        self.assertEqual(self.blanks_seen('sr0'), 1)

    def test_disc_information_too_small(self):
        self.daemon.ctl('sr0 fault invalid-response op=0x51 count=1')
        self.assert_erase_fails('EraseDiscInformationTooSmall', hresult='0x80AA0902')


class EraseAndRead(DaemonTestCase):
    DRIVES = ('cdrw74', 'cdr80', 'none', 'cdrw74,realtime,speed=48')

    def setUp(self):
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def burn(self, image, name='sr0'):
        fd = os.open(image, os.O_RDONLY)
        try:
            self.client.write(fd, name=name)
        finally:
            os.close(fd)

    def test_burn_erase_burn_again(self):
        image = make_image(self.tmp, 3)
        self.burn(image)
        self.assertEqual(drive_state(self.daemon)['disc'], 'complete')
        erase(self.client, ClientName='erase-test')
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')
        self.assertEqual(drive_state(self.daemon)['locked'], 'no')
        self.assertEqual(drive_fds(self.daemon), [])
        self.burn(image)
        self.assertEqual(drive_state(self.daemon)['disc'], 'complete')
        erase(self.client, FullErase=True)
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_minimal_erase_reports_progress(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        self.burn(make_image(self.tmp, 3), 'sr3')
        erase(self.client, 'sr3')
        update = monitor.wait_for(lambda m: 'interface=%s; member=Update' % ERASE_IFACE in m and
                                  m.count('int32 ') == 2 and not m.endswith('int32 0'))
        elapsed, total = [int(x) for x in update.split('int32 ')[1:3]]
        self.assertGreater(total, 0)
        self.assertLessEqual(elapsed, total + 1)
        monitor.wait_for(lambda m: prop('Erasing', 'boolean false') in m)

    def test_erase_refusals(self):
        name, message = self.client.error_of(erase, self.client, 'sr1')
        self.assertEqual(name, E + 'EraseMediaIsNotErasable', message)
        self.assertIn('CD-R', message)
        self.assertEqual(drive_state(self.daemon, 'sr1')['disc'], 'blank')
        name, message = self.client.error_of(erase, self.client, 'sr2')
        self.assertEqual(name, E + 'RecorderMediaNoMedia', message)
        name, message = self.client.error_of(erase, self.client, 'sr0', Quick=True)
        self.assertEqual(name, E + 'InvalidArg', message)
        # Prepared for writing by another caller: locked; by the caller: release first.
        other = Client(self.address)
        self.addCleanup(other.close)
        self.assertEqual(other.prepare('sr0', ClientName='holder'), 0)
        name, message = self.client.error_of(erase, self.client, 'sr0')
        self.assertEqual(name, E + 'RecorderLocked', message)
        name, message = other.error_of(erase, other, 'sr0')
        self.assertEqual(name, E + 'MediaIsPrepared', message)
        other.release('sr0')
        self.assertEqual(drive_fds(self.daemon, 'sr1'), [])

    def test_others_wait_while_erasing(self):
        self.burn(make_image(self.tmp, 3), 'sr3')
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        done = {}
        t = threading.Thread(target=lambda: done.update(r=erase(self.client, 'sr3')),
                             daemon=True)
        t.start()
        monitor.wait_for(lambda m: prop('Erasing', 'boolean true') in m)
        other = Client(self.address)
        self.addCleanup(other.close)
        name, message = other.error_of(other.prepare, 'sr3', ClientName='impatient')
        self.assertEqual(name, E + 'RecorderLocked', message)
        self.assertIn('busy erasing', message)
        # A second erase, by anyone, meets IMAPI2's "recorder in use".
        for who in (other, self.client):
            name, message = who.error_of(erase, who, 'sr3')
            self.assertEqual(name, E + 'EraseRecorderInUse', message)
            self.assertIn('0x80AA0900', message)
        t.join(DEADLINE * 3)
        self.assertIn('r', done)
        self.assertEqual(other.prepare('sr3', ClientName='patient'), 0)
        other.release('sr3')

    def test_read_back_equals_the_image(self):
        # Mode 1 data (scrambled in the image, descrambled by the drive) and audio.
        iso = os.path.join(self.tmp, 'data.iso')
        os.mkdir(os.path.join(self.tmp, 'tree'))
        with open(os.path.join(self.tmp, 'tree', 'hello.txt'), 'w') as f:
            f.write('hello\n' * 1000)
        subprocess.run(['genisoimage', '-quiet', '-o', iso, os.path.join(self.tmp, 'tree')],
                       check=True)
        wav = os.path.join(self.tmp, 'a.wav')
        make_wav(wav, 300)
        image = os.path.join(self.tmp, 'mixed.img')
        subprocess.run([RAWBURNCTL, 'image', 'create', '--allow-short-tracks', '-o', image, iso,
                        wav], check=True,
                       capture_output=True)
        self.burn(image, 'sr1')
        with open(image, 'rb') as f:
            f.seek(22650 * 2448)
            want = f.read()
        count = len(want) // 2448
        got = read_back(self.client, 0, count, 'sr1')
        self.assertEqual(len(got), len(want))
        self.assertEqual(got, want)
        # The owner of a preparation reads what it has just written, before
        # ReleaseMedia: through the preparation's own hold on the drive.
        self.assertEqual(self.client.prepare('sr0'), 0)
        name, message = self.client.error_of(read_back, self.client, 0, 10, 'sr0')
        self.assertIn(name, (E + 'Fail', E + 'UnexpectedResponseFromDevice',
                             E + 'RecorderInvalidResponseFromDevice'), message)  # still blank
        self.burn(image, 'sr0')
        self.assertEqual(read_back(self.client, 0, count, 'sr0'), want)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'Owner'), self.client.conn.get_unique_name())
        self.client.release('sr0')
        self.assertEqual(drive_fds(self.daemon, 'sr0'), [])
        # A part from the middle, one-shot.
        self.assertEqual(read_back(self.client, 100, 50, 'sr1'), want[100 * 2448:150 * 2448])
        self.assertEqual(drive_fds(self.daemon, 'sr1'), [])

    def test_read_refusals(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        for args, words in (((w, -1, 10), 'first_lba'), ((w, 0, 0), 'sector_count'),
                            ((r, 0, 10), 'not open for writing')):
            with self.subTest(args=args[1:]):
                name, message = self.client.error_of(read_media, self.client, *args,
                                                     name='sr1')
                self.assertEqual(name, E + 'InvalidArg', message)
                self.assertIn(words, message)

    def test_read_toc(self):
        """ReadToc: the drive's READ TOC response as it came, for a copy."""
        image = make_image(self.tmp, 3)
        self.burn(image, 'sr1')
        toc = bytes(self.client.call('sr1', RAW_IFACE, 'ReadToc', 'y', (2,))[0])
        # Header (length, first and last session), then A0, A1, A2 and the tracks.
        self.assertEqual(int.from_bytes(toc[:2], 'big') + 2, len(toc))
        points = sorted(toc[i + 3] for i in range(4, len(toc), 11))
        self.assertEqual(points, [1, 2, 0xA0, 0xA1, 0xA2])
        toc0 = bytes(self.client.call('sr1', RAW_IFACE, 'ReadToc', 'y', (0,))[0])
        self.assertEqual(toc0[2:4], b'\x01\x02')  # first and last track
        # make_image's album has no CD-Text: format 5 is the header alone.
        text = bytes(self.client.call('sr1', RAW_IFACE, 'ReadToc', 'y', (5,))[0])
        self.assertLessEqual(len(text), 4)
        self.assertEqual(drive_fds(self.daemon, 'sr1'), [])
        name, message = self.client.error_of(self.client.call, 'sr1', RAW_IFACE, 'ReadToc', 'y',
                                             (4,))
        self.assertEqual(name, E + 'InvalidArg', message)
        self.assertIn('format', message)
        # A drive another caller has prepared is its own (as for ReadMedia).
        other = Client(self.address)
        self.addCleanup(other.close)
        self.assertEqual(other.prepare('sr0'), 0)
        name, message = self.client.error_of(self.client.call, 'sr0', RAW_IFACE, 'ReadToc', 'y',
                                             (2,))
        self.assertEqual(name, E + 'RecorderLocked', message)
        other.release('sr0')

    def test_reader_that_goes_away(self):
        image = make_image(self.tmp, 3)
        self.burn(image, 'sr1')
        r, w = os.pipe()
        os.close(r)
        name, message = self.client.error_of(read_media, self.client, w, 0, 1000, 'sr1')
        os.close(w)
        self.assertEqual(name, E + 'Fail', message)
        self.assertIn('closed', message)
        self.assert_alive()
        self.assertEqual(drive_fds(self.daemon, 'sr1'), [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
