#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every return code of IMAPI2's IDiscFormat2RawCD::WriteMedia page (and the
other codes imapi2.md lists for the burn methods), produced on the real
rawburnd by arming the matching drivesim fault or by the matching misuse,
and seen by the client as its D-Bus error name. docs/burn-errors.md is the
table of code → how → test. After each, the drive is let go (no descriptor
of it left in the daemon) and the daemon still answers."""

import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (RAW_IFACE, RAWBURNCTL, Client, DaemonTestCase, Monitor, drive_fds,
                     drive_state, make_image, make_wav, option_variants, prop)

E = 'org.rawburn1.Error.'


class Errors(DaemonTestCase):
    """One prepared client per test; faults are armed after PrepareMedia so
    that the write (not the preparation) meets them."""
    DRIVES = ('cdr80',)
    ARGS = ('--command-timeout=2', '--ready-timeout=2')

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.images = tempfile.mkdtemp(prefix='rawburn-errors-')
        cls.image = make_image(cls.images, 3)
        cls.image_pq = make_image(cls.images, 1)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.images, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.gone = False
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def tearDown(self):
        # Whatever happened, the daemon answers, and once released it holds
        # nothing of the drive.
        self.assert_alive()
        if self.gone:
            self.assertEqual(drive_fds(self.daemon), [])
            return
        if self.prop('sr0', RAW_IFACE, 'State') == 'prepared':
            self.daemon.ctl('sr0 clear-faults')
            self.client.release()
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        self.assertEqual(drive_fds(self.daemon), [])
        self.assertEqual(drive_state(self.daemon)['locked'], 'no')

    def prepare(self, **opts):
        opts.setdefault('RequestedSectorType', 3)
        opts.setdefault('ClientName', 'errors-test')
        self.assertEqual(self.client.prepare(**opts), 0)

    def write_error(self, fd=None, leadin=None, image=None):
        close = fd is None
        if fd is None:
            fd = os.open(image or self.image, os.O_RDONLY)
        try:
            name, message = self.client.error_of(self.client.write, fd, leadin=leadin)
        finally:
            if close:
                os.close(fd)
        return name, message

    def assert_write_fails(self, error, fault=None, fd=None, leadin=None, image=None,
                           hresult=None, words=None, **prepare_opts):
        self.prepare(**prepare_opts)
        if fault:
            self.daemon.ctl('sr0 fault ' + fault)
        name, message = self.write_error(fd, leadin, image)
        self.assertEqual(name, E + error, message)
        if hresult:
            self.assertIn('(HRESULT %s)' % hresult, message)
        if words:
            self.assertIn(words, message)
        return message

    # ---- misuse of the call and the stream

    def test_pointer_for_a_descriptor_that_is_not_a_stream(self):
        fd = os.eventfd(0)
        self.addCleanup(os.close, fd)
        self.assert_write_fails('Pointer', fd=fd, hresult='0x80004003', words='not a stream')

    def test_invalid_handle_for_an_unconnected_socket(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(s.close)
        self.assert_write_fails('InvalidHandle', fd=s.fileno(), words='not connected')

    def test_invalid_arg_for_directories_devices_write_only_and_o_path(self):
        self.prepare()
        for what, flags, path in (('directory', os.O_RDONLY | os.O_DIRECTORY, self.tmp),
                                  ('device', os.O_RDONLY, '/dev/null'),
                                  ('write-only', os.O_WRONLY, self.image),
                                  ('O_PATH', os.O_PATH, self.image)):
            with self.subTest(what=what):
                fd = os.open(path, flags)
                try:
                    name, message = self.write_error(fd)
                finally:
                    os.close(fd)
                self.assertEqual(name, E + 'InvalidArg', message)
                self.assertIn('0x80070057', message)
        for leadin in (-1, 45151):
            with self.subTest(stream_leadin_sectors=leadin):
                name, message = self.write_error(leadin=leadin)
                self.assertEqual(name, E + 'InvalidArg', message)
        # None of that touched the disc.
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_stream_not_supported_without_lead_in_q(self):
        zeros = os.path.join(self.tmp, 'zeros.img')
        with open(zeros, 'wb') as f:
            f.truncate(30000 * 2448)
        self.assert_write_fails('StreamNotSupported', image=zeros, hresult='0xC0AA060D',
                                words='lead-in Q')
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_stream_not_supported_for_a_size_that_is_not_whole_sectors(self):
        # A 2368-byte image given as raw P-W: 2448 does not divide its size.
        self.assert_write_fails('StreamNotSupported', image=self.image_pq,
                                words='whole number of 2448-byte sectors')

    def test_stream_not_supported_for_a_pipe_ending_mid_lead_in(self):
        r, w = os.pipe()
        with open(self.image, 'rb') as f:
            data = f.read(15000 * 2448 + 1000)
        import threading
        t = threading.Thread(target=lambda: (os.write(w, data), os.close(w)), daemon=True)
        t.start()
        try:
            self.assert_write_fails('StreamNotSupported', fd=r)
        finally:
            os.close(r)

    def test_stream_leadin_too_short(self):
        # The stream starts at 97:30:00, later than this disc's 97:26:66.
        late = make_image(self.tmp, 3, first_lba=-450150 + 97 * 4500 + 30 * 75)
        self.assert_write_fails('StreamLeadinTooShort', image=late,
                                leadin=450150 - 97 * 4500 - 30 * 75, hresult='0xC0AA060F',
                                words='97:26:66')
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_not_enough_space(self):
        # 75 minutes of (generated) pregap on a 74-minute disc, through a pipe:
        # refused from the lead-in's TOC before anything is written.
        self.daemon.ctl('sr0 take', 'sr0 insert cdr74')
        wav = os.path.join(self.tmp, 'short.wav')
        make_wav(wav, 300)
        cue = os.path.join(self.tmp, 'long.cue')
        with open(cue, 'w') as f:
            f.write('FILE "short.wav" WAVE\n  TRACK 01 AUDIO\n    PREGAP 75:00:00\n'
                    '    INDEX 01 00:00:00\n')
        creator = subprocess.Popen([RAWBURNCTL, 'image', 'create', cue, '-o', '-'],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.addCleanup(creator.wait)
        self.addCleanup(creator.stdout.close)
        self.assert_write_fails('NotEnoughSpace', fd=creator.stdout.fileno(),
                                hresult='0xC0AA0609', words='74:00:00')
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')

    def test_media_is_not_prepared_while_the_own_preparation_runs(self):
        # The drive takes a while to become ready: WriteMedia sent right after
        # PrepareMedia, before its answer, finds the preparation unfinished.
        self.daemon.ctl('sr0 fault becoming-ready op=0x00 count=4')
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        self.client.send('sr0', 'PrepareMedia', (option_variants({'ClientName': 'early-writer'}),))
        name, message = self.write_error()
        self.assertEqual(name, E + 'MediaIsNotPrepared', message)
        self.assertIn('0xC0AA0602', message)
        monitor.wait_for(lambda m: prop('State', 'string "prepared"') in m)

    def test_media_is_not_blank_on_a_second_write(self):
        self.prepare()
        fd = os.open(self.image, os.O_RDONLY)
        self.client.write(fd)
        os.close(fd)
        name, message = self.write_error()
        self.assertEqual(name, E + 'MediaIsNotBlank', message)
        self.assertIn('0xC0AA0606', message)

    def test_out_of_memory_when_the_buffer_budget_is_spent(self):
        self.daemon.stop()
        self.daemon = type(self.daemon)(self.tmp, self.bus, self.DRIVES,
                                        ('--buffer-size=32M', '--max-buffer-memory=16M'))
        self.client.close()
        self.client = Client(self.address)
        self.assert_write_fails('OutOfMemory', hresult='0x8007000E', words='max-buffer-memory')

    def test_fail_when_the_image_is_truncated_mid_write(self):
        # Covered with a drive that burns in real time: test-burn-robust.py
        # (image truncated mid-write). Here: a file that shrinks before the
        # write starts reading it is refused as incomplete.
        short = os.path.join(self.tmp, 'short.img')
        with open(self.image, 'rb') as src, open(short, 'wb') as dst:
            dst.write(src.read((22650 + 500) * 2448))  # before its lead-out at 600
        self.assert_write_fails('StreamNotSupported', image=short, words='incomplete')

    # ---- the drive answers the write with an error

    def test_device_errors_by_name(self):
        cases = (
            ('RecorderCommandTimeout', 'timeout op=0x2a count=1', '0xC0AA020D'),
            ('RecorderInvalidResponseFromDevice', 'invalid-response op=0x51 count=1',
             '0xC0AA02FF'),
            ('RecorderMediaUpsideDown', 'upside-down op=0x2a', '0xC0AA0204'),
            ('RecorderMediaBecomingReady', 'becoming-ready op=0x2a', '0xC0AA0205'),
            ('RecorderMediaNoMedia', 'no-medium op=0x2a', '0xC0AA0202'),
            ('RecorderMediaFormatInProgress', 'format-in-progress op=0x2a', '0xC0AA0206'),
            ('RecorderMediaBusy', 'busy op=0x51', '0xC0AA0207'),
            ('LossOfStreaming', 'loss-of-streaming op=0x2a after=20', '0xC0AA0300'),
            ('RecorderMediaIncompatible', 'incompatible-medium op=0x2a', '0xC0AA0203'),
            ('RecorderNoSuchModePage', 'no-such-mode-page op=0x5a', '0xC0AA0201'),
            ('RecorderInvalidModeParameters', 'invalid-mode-parameters op=0x55', '0xC0AA0208'),
            ('RecorderMediaWriteProtected', 'write-protected', '0xC0AA0209'),
            ('RecorderMediaSpeedMismatch', 'speed-mismatch op=0xbb', '0xC0AA020F'),
            ('DeviceNotExist', 'device-gone op=0x2a after=10', '0x80070037'),
        )
        for error, fault, hresult in cases:
            with self.subTest(error=error):
                if error == 'DeviceNotExist':
                    break  # the drive goes away: last, in its own test below
                self.daemon.ctl('sr0 clear-faults', 'sr0 take', 'sr0 insert cdr80')
                message = self.assert_write_fails(error, fault=fault, hresult=hresult)
                if error not in ('RecorderCommandTimeout', 'RecorderInvalidResponseFromDevice'):
                    self.assertRegex(message, r'sense [0-9A-F]{2}/[0-9A-F]{2}/[0-9A-F]{2}')
                self.daemon.ctl('sr0 clear-faults')
                self.client.release()

    def test_device_not_exist_when_the_drive_goes_mid_write(self):
        self.assert_write_fails('DeviceNotExist', fault='device-gone op=0x2a after=10',
                                hresult='0x80070037')
        self.gone = True

    # ---- who holds the drive

    def test_recorder_locked_and_write_in_progress_for_others(self):
        self.prepare()
        other = Client(self.address)
        self.addCleanup(other.close)
        fd = os.open(self.image, os.O_RDONLY)
        try:
            name, message = other.error_of(other.write, fd)
        finally:
            os.close(fd)
        self.assertEqual(name, E + 'RecorderLocked', message)
        self.assertIn('errors-test', message)
        name, message = other.error_of(other.prepare, ClientName='second')
        self.assertEqual(name, E + 'RecorderLocked', message)
        name, message = other.error_of(other.raw().SetWriteSpeed, -1, False)
        self.assertEqual(name, E + 'RecorderLocked', message)

    def test_media_is_prepared_and_client_name_checks(self):
        name, message = self.client.error_of(self.client.prepare, ClientName='')
        self.assertEqual(name, E + 'ClientNameIsNotValid', message)
        name, message = self.client.error_of(self.client.prepare, ClientName='tab\there')
        self.assertEqual(name, E + 'ClientNameIsNotValid', message)
        self.prepare()
        name, message = self.client.error_of(self.client.prepare, ClientName='again')
        self.assertEqual(name, E + 'MediaIsPrepared', message)
        self.assertIn('0xC0AA0603', message)
        name, message = self.client.error_of(self.client.props().Set, RAW_IFACE, 'ClientName',
                                             'renamed')
        self.assertEqual(name, E + 'MediaIsPrepared', message)

    def test_state_errors_of_the_other_methods(self):
        raw = self.client.raw()
        # (SetWriteSpeed and the settable properties are taken before
        # PrepareMedia, as IMAPI2 takes them: test-imapi-order.py.)
        for call, args, error in ((raw.ReleaseMedia, (), 'MediaIsNotPrepared'),
                                  (raw.CancelWrite, (), 'WriteNotInProgress')):
            with self.subTest(call=call):
                name, message = self.client.error_of(call, *args)
                self.assertEqual(name, E + error, message)
        props = self.client.props()
        self.prepare()
        name, message = self.client.error_of(raw.CancelWrite)
        self.assertEqual(name, E + 'WriteNotInProgress', message)
        name, message = self.client.error_of(props.Set, RAW_IFACE, 'RequestedSectorType', 7)
        self.assertEqual(name, E + 'InvalidArg', message)
        name, message = self.client.error_of(raw.SetWriteSpeed, 0, False)
        self.assertEqual(name, E + 'InvalidArg', message)

    def test_unknown_and_mistyped_options(self):
        for opts, words in (({'Color': 'red'}, 'unknown'),
                            ({'RequestedSectorType': 'raw'}, 'int32'),
                            ({'RequestedSectorType': 4}, '1 (PQ only)'),
                            ({'RequestedWriteSpeed': -2}, 'fastest'),
                            ({'Simulate': ('i', 1)}, 'boolean')):
            with self.subTest(opts=opts):
                name, message = self.client.error_of(self.client.prepare, **opts)
                self.assertEqual(name, E + 'InvalidArg', message)
                self.assertIn(words, message)

    def test_speed_adjusted_success_codes(self):
        # drivesim rounds down to the speeds it has (docs/drivesim.md): 7× is
        # not one of them, so the drive writes slower and says so.
        self.assertEqual(self.client.prepare(RequestedSectorType=3, RequestedWriteSpeed=7 * 75),
                         0x00AA0004)
        self.assertEqual(int(self.client.raw().SetWriteSpeed(-1, False)), 0)
        self.assertEqual(int(self.client.raw().SetWriteSpeed(-1, True)), 0x00AA0005)
        self.assertEqual(int(self.client.raw().SetWriteSpeed(7 * 75, True)), 0x00AA0006)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'RequestedWriteSpeed'), 7 * 75)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'RequestedRotationTypeIsPureCAV'))


class PrepareErrors(DaemonTestCase):
    """What PrepareMedia says about the media, on drives that hold it."""
    DRIVES = ('none', 'cdrom:IMAGE', 'dvdr', 'cdr80,fault=becoming-ready', 'cdr80',
              'dvdr,fault=sense:05/30/02:op=0xad')
    ARGS = ('--ready-timeout=1',)

    def setUp(self):
        import tempfile
        self.images = tempfile.mkdtemp(prefix='rawburn-prepare-')
        self.addCleanup(__import__('shutil').rmtree, self.images, True)
        # A pressed disc: what drivesim recorded from an earlier burn.
        image = make_image(self.images, 3)
        self.DRIVES = tuple(d.replace('IMAGE', image) for d in type(self).DRIVES)
        self.image = image
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def test_media_errors(self):
        for drive, error, hresult in (('sr0', 'RecorderMediaNoMedia', '0xC0AA0202'),
                                      ('sr1', 'MediaIsNotSupported', '0xC0AA0607'),
                                      ('sr2', 'MediaIsNotSupported', '0xC0AA0607'),
                                      ('sr3', 'RecorderMediaBecomingReady', '0xC0AA0205')):
            with self.subTest(drive=drive):
                name, message = self.client.error_of(self.client.prepare, drive)
                self.assertEqual(name, E + error, message)
                self.assertIn(hresult, message)
                self.assertEqual(self.prop(drive, RAW_IFACE, 'State'), 'idle')
                self.assertEqual(drive_fds(self.daemon, drive), [])
            if drive == 'sr2':
                self.assertIn('DVD-R (1 layer, profile 0011h)', message)
        self.assertIn('still not ready after 1 s', message)

    def test_dvd_structure_not_present_through_a_one_shot_write(self):
        # A drive that calls its disc a DVD but has no DVD structure for it.
        fd = os.open(self.image, os.O_RDONLY)
        try:
            name, message = self.client.error_of(self.client.write, fd, name='sr5')
        finally:
            os.close(fd)
        self.assertEqual(name, E + 'RecorderDvdStructureNotPresent', message)
        self.assertIn('0xC0AA020E', message)
        self.assertIn('sense 05/30/02', message)
        self.assertEqual(drive_fds(self.daemon, 'sr5'), [])

    def test_not_blank_after_a_burn_and_through_a_one_shot_write(self):
        fd = os.open(self.image, os.O_RDONLY)
        try:
            self.client.write(fd, name='sr4')
            name, message = self.client.error_of(self.client.prepare, 'sr4')
            self.assertEqual(name, E + 'MediaIsNotBlank', message)
            name, message = self.client.error_of(self.client.write, fd, name='sr4')
            self.assertEqual(name, E + 'MediaIsNotBlank', message)
        finally:
            os.close(fd)
        self.assertIn('insert a blank one', message)
        self.assertEqual(drive_fds(self.daemon, 'sr4'), [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
