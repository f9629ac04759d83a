#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnctl burn, the real client on the real rawburnd and drivesim: every
SOURCE kind (raw image file or stdin, cue sheet, cdrdao TOC, CloneCD, ISO,
audio files, FLAC with an embedded CUESHEET) burned, and the disc drivesim
recorded compared byte for byte with the image `rawburnctl image create`
makes of the same source; the progress bar on a terminal (tmux), plain lines
and JSON events otherwise; Ctrl-C twice, SIGTERM and `rawburnctl cancel`;
and every error of IMAPI2's WriteMedia page a person can meet, in words."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import (EXIT_BUSY, EXIT_CANCELLED, EXIT_FAILED, EXIT_MEDIA, EXIT_NO_DRIVE,
                       EXIT_PERMISSION, EXIT_SOURCE, EXIT_UNSUPPORTED, TRACKS, BurnTestCase)
from harness import (BUS, CDR80_LEADIN, RAW_IFACE, RAWBURNCTL, REC_IFACE, SOURCE, LineReader,
                     rawburnctl_on_terminal,
                     polkit_allow, rec_path, start_polkit_mock)


class Sources(BurnTestCase):
    def test_raw_image_file_goes_as_its_descriptor(self):
        image = self.image_of(*self.wavs)
        r = self.burn(image)
        self.assertIn('Burning %s: raw image, raw P-W (2448-byte) sectors (2 tracks, 0:09)' %
                      image, r.stdout)
        self.assertIn('sr0: burn complete: ', r.stdout)
        self.assert_recorded(image)
        self.assertEqual(self.state()['disc'], 'complete')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_raw_image_on_standard_input(self):
        image = self.image_of(*self.wavs)
        with open(image, 'rb') as f:
            r = self.burn('-', stdin=f)
        self.assertIn('standard input: raw image', r.stdout)
        self.assert_recorded(image)

    def test_cue_sheet_made_on_the_fly(self):
        cue = self.cue()
        image = self.image_of(cue)
        before = sorted(os.listdir(self.tmp))
        r = self.burn(cue)
        self.assertIn('Burning 2 tracks, 0:09, made on the fly as raw sectors', r.stdout)
        # Streamed: no file was made beside the sources.
        self.assertEqual(sorted(os.listdir(self.tmp)), before)
        self.assert_recorded(image)

    def test_cdrdao_toc(self):
        toc = self.write('album.toc', 'CD_DA\nTRACK AUDIO\nFILE "t1.wav" 0\n'
                         'TRACK AUDIO\nPREGAP 00:02:00\nFILE "t2.wav" 0\n')
        image = self.image_of(toc)
        self.burn(toc)
        self.assert_recorded(image)

    def test_clonecd(self):
        work = os.path.join(self.tmp, 'clone')
        os.mkdir(work)
        for i, wav in enumerate(self.wavs):
            subprocess.run(['sox', wav, '-t', 'raw', os.path.join(work, 'ac'[i] + '.pcm')],
                           check=True)
        subprocess.run(['/usr/bin/python3', os.path.join(SOURCE, 'tests/image/make-clonecd.py')],
                       cwd=work, env=dict(os.environ, A=str(TRACKS[0]), C=str(TRACKS[1])),
                       check=True)
        ccd = os.path.join(work, 'clone.ccd')
        image = self.image_of(ccd)
        self.burn(ccd)
        self.assert_recorded(image)

    def test_iso_and_audio_files(self):
        data = os.path.join(self.tmp, 'data')
        os.mkdir(data)
        with open(os.path.join(data, 'readme.txt'), 'w') as f:
            f.write('rawburn\n' * 100000)  # 800 kB: a track of more than 4 s
        iso = os.path.join(self.tmp, 'data.iso')
        subprocess.run(['genisoimage', '-quiet', '-R', '-o', iso, data], check=True)
        image = self.image_of(iso, self.wavs[1])
        r = self.burn(iso, self.wavs[1])
        self.assertIn('Burning 2 tracks', r.stdout)
        self.assert_recorded(image)

    def test_audio_files(self):
        image = self.image_of(*self.wavs)
        self.burn(*self.wavs)
        self.assert_recorded(image)

    def test_flac_with_embedded_cuesheet(self):
        album = os.path.join(self.tmp, 'album.wav')
        subprocess.run(['sox'] + self.wavs + [album], check=True)
        flac = os.path.join(self.tmp, 'album.flac')
        subprocess.run(['flac', '-s', '-o', flac, album], check=True)
        sheet = self.write('sheet.cue', 'FILE "album.flac" WAVE\n  TRACK 01 AUDIO\n'
                           '    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:04:00\n')
        subprocess.run(['metaflac', '--import-cuesheet-from=' + sheet, flac], check=True)
        image = self.image_of(flac)
        r = self.burn(flac)
        self.assertIn('2 tracks from its embedded CUESHEET', r.stderr)
        self.assert_recorded(image)

    def test_each_sector_type(self):
        # Audio files: no CD-Text, which PQ-only sectors cannot carry.
        for name, number in (('pq', 1), ('cooked', 2), ('raw', 3)):
            with self.subTest(sector_type=name):
                self.new_disc()
                image = self.image_of(*self.wavs, sector_type=name)
                r = self.burn('--sector-type', name, *self.wavs)
                self.assertIn('made on the fly as %s sectors' % name, r.stdout)
                self.assert_recorded(image, number)
                self.assertEqual(self.state()['block_type'], str(number))
                # And the same image burned as a file, its type found by the inspector.
                self.new_disc()
                r = self.burn(image)
                self.assertIn('raw image, %s' % {1: 'PQ (2368-byte)', 2: 'raw P-W (2448-byte)',
                                                 3: 'raw P-W (2448-byte)'}[number], r.stdout)
                if number != 2:  # a cooked image reads as raw unless told
                    self.assert_recorded(image, number)

    def test_image_starting_elsewhere_uses_write_media2(self):
        first = CDR80_LEADIN - 100
        image = self.image_of(*self.wavs, extra=('--first-lba', str(first)))
        self.burn('--first-lba', str(first), image)
        self.assert_recorded(image, stream_leadin=-first)

    def test_simulation_records_nothing(self):
        r = self.burn('--simulate', self.cue())
        self.assertIn('sr0: prepared for a simulation', r.stdout)
        self.assertIn('sr0: simulated: nothing was written: the drive went through the burn '
                      'with the laser off', r.stdout)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        self.assertEqual(self.state()['disc'], 'blank')

    def test_speed_burnfree_and_eject(self):
        r = self.burn('--speed', '16', '--no-burnfree', '--eject', self.cue())
        self.assertIn('sr0: prepared: 16× (1200 sectors/s), BURN-Free off', r.stdout)
        self.assertIn('sr0: ejecting the disc', r.stdout)
        state = self.state()
        self.assertEqual(state['tray'], 'open')
        self.assertEqual(state['disc'], 'complete')

    def test_plain_lines_when_not_a_terminal(self):
        r = self.burn(self.cue())
        lines = r.stdout.splitlines()
        self.assertIn('sr0: preparing', lines)
        self.assertTrue(any(l.startswith('sr0: writing ') for l in lines), r.stdout)
        self.assertNotIn('\r', r.stdout)
        self.assertNotIn('\033', r.stdout)
        self.assertRegex(lines[-1], r'^sr0: burn complete: \d+ sectors in 0:\d\d$')

    def test_json_events(self):
        image = self.image_of(*self.wavs)
        r = self.burn('--json', image)
        events = [json.loads(l) for l in r.stdout.splitlines()]
        kinds = [e['event'] for e in events]
        self.assertEqual(kinds[:2], ['start', 'prepared'])
        self.assertEqual(kinds[-3:], ['write-finished', 'released', 'done'])
        self.assertEqual(set(kinds[2:-3]), {'update'})
        start = events[0]
        self.assertTrue(start['raw_image'])
        self.assertEqual(start['sector_type'], 'raw')
        updates = [e for e in events if e['event'] == 'update']
        actions = [u['action'] for u in updates]
        self.assertEqual(actions, sorted(actions, key=['preparing', 'writing',
                                                       'finishing'].index))
        self.assertIn('writing', actions)
        percents = [u['percent'] for u in updates if u['percent'] is not None]
        self.assertEqual(percents, sorted(percents))
        self.assertEqual(percents[-1], 100.0)
        self.assertEqual(updates[-1]['start_lba'], CDR80_LEADIN)
        finished = events[-3]
        self.assertIs(finished['ok'], True)
        sectors = os.path.getsize(image) // 2448 - (22650 + CDR80_LEADIN)
        self.assertEqual(finished['sectors_written'], sectors)
        self.assertEqual(updates[-1]['sector_count'], sectors)
        self.assertEqual(events[-1], {'event': 'done', 'ok': True, 'exit_status': 0})


class MonitorsABurn(BurnTestCase):
    """rawburnctl monitor in one shell while rawburnctl burn runs in another."""

    def start_monitor(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8')
        proc = subprocess.Popen([RAWBURNCTL, 'monitor'] + list(args), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        out = LineReader(proc.stdout)
        out.wait_for(lambda l: l.startswith('sr0') or '"drive":"sr0"' in l, 'the drive list')
        return proc, out

    def test_progress_and_outcome_of_another_programs_burn(self):
        proc, out = self.start_monitor()
        r = self.burn(self.cue())
        sectors = re.search(r'burn complete: (\d+) sectors', r.stdout).group(1)
        out.wait_for(lambda l: l == 'sr0: state: idle')
        seen = out.seen[1:]
        in_order = ['sr0: state: preparing for "rawburnctl"', 'sr0: state: writing for "rawburnctl"',
                    'sr0: burn finished: %s sectors' % sectors, 'sr0: state: idle']
        self.assertEqual([l for l in seen if l in in_order], in_order)
        self.assertIn('sr0: preparing', seen)
        self.assertTrue([l for l in seen if l.startswith('sr0: writing ')], seen)
        self.assertIn('sr0: disc: CD-R, not blank', seen)
        # The burn's own hold of the drive is not reported as someone else's.
        self.assertFalse([l for l in seen if 'held by' in l], seen)
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), 0)

    def test_json(self):
        proc, out = self.start_monitor('--json')
        self.burn(self.cue())
        update = json.loads(out.wait_for(lambda l: '"event":"update"' in l))
        self.assertEqual(update['drive'], 'sr0')
        self.assertEqual(update['start_lba'], CDR80_LEADIN)
        done = json.loads(out.wait_for(lambda l: '"event":"write-finished"' in l))
        self.assertIs(done['ok'], True)
        self.assertGreater(done['sectors_written'], 0)
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), 0)


class Terminal(BurnTestCase):
    # Burning in real time at 48×: the bar is on screen for a few seconds.
    DRIVES = ('cdr80,realtime',)

    def test_progress_bar_in_tmux(self):
        if not shutil.which('tmux'):
            self.fail('tmux missing (tests/install-deps.sh)')
        screen, stream, status = rawburnctl_on_terminal(self.tmp, self.address, 'burn',
                                                        self.cue())
        self.assertIn('EXIT=0', screen)
        bar = [l for l in screen.splitlines() if l.startswith('[')]
        self.assertEqual(len(bar), 1, screen)  # redrawn in place, one line
        self.assertRegex(bar[0], r'^\[#+\] 100\.0% +\d+\.\d× +buffer +\d+% +fifo +\d+% +ETA '
                                 r'\d+:\d\d +(writing|finishing)$')
        self.assertRegex(screen, r'sr0: burn complete: \d+ sectors in 0:\d\d')
        redraws = stream.count('\r[')
        self.assertGreater(redraws, 3, 'the bar was drawn %d times' % redraws)
        # It moved: some redraw showed the burn part way, with a speed.
        self.assertRegex(stream, r'\r\[#*>? *\] +([1-9]|[1-9]\d)\.\d% +\d+\.\d× ')

    def test_verify_bar_in_tmux(self):
        screen, stream, status = rawburnctl_on_terminal(self.tmp, self.address, 'burn',
                                                        '--verify', self.cue())
        self.assertIn('EXIT=0', screen)
        self.assertRegex(screen, r'sr0: verified: all \d+ sectors of the program area read back')
        # The burn's bar stays on screen; the verify bar is drawn in place on
        # the next line and wiped before the verdict is printed over it.
        bar = [l for l in screen.splitlines() if l.startswith('[')]
        self.assertEqual(len(bar), 1, screen)
        self.assertIn('writing', stream)
        verifying = re.findall(r'\r\[[#> ]+\] +(\d+\.\d)%  verifying  (\d+) of (\d+) sectors',
                               stream)
        self.assertGreater(len(verifying), 3, 'the verify bar was drawn %d times' % len(verifying))
        self.assertTrue(any(0 < float(p) < 100 for p, _, _ in verifying), verifying)
        self.assertEqual(verifying[-1][0], '100.0')
        self.assertEqual(verifying[-1][1], verifying[-1][2])
        self.assertRegex(stream, r'of \d+ sectors\x1b\[K\r\x1b\[Ksr0: verified')


class Cancel(BurnTestCase):
    # 4× in real time: a burn of a minute, to be stopped early.
    DRIVES = ('cdr80,realtime,speed=4',)

    def start_burn(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8')
        proc = subprocess.Popen([RAWBURNCTL, 'burn'] + list(args), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, LineReader(proc.stdout), LineReader(proc.stderr)

    def assert_cancelled(self, proc, err):
        self.assertEqual(proc.wait(timeout=60), EXIT_CANCELLED)
        err.wait_for(lambda l: 'sr0: the burn was cancelled: a CD-R written this far cannot be '
                               'used again, a CD-RW must be erased before its next burn.' in l,
                     'the cancelled message')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        # Stopped part way: written, but far from the whole image.
        whole = os.path.getsize(self.image_of(self.cue())) // 2448 - (22650 + CDR80_LEADIN)
        self.assertFalse(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        self.assertLess(int(self.state()['sectors_written']), whole // 2)

    def test_ctrl_c_asks_then_cancels(self):
        proc, out, err = self.start_burn(self.cue())
        out.wait_for(lambda l: l.startswith('sr0: writing'), 'the write starting')
        proc.send_signal(signal.SIGINT)
        err.wait_for(lambda l: 'press Ctrl-C again to cancel; the disc will be unusable' in l,
                     'the question')
        # Asked, not cancelled: the burn goes on.
        self.assertIsNone(proc.poll())
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'writing')
        proc.send_signal(signal.SIGINT)
        err.wait_for(lambda l: 'sr0: cancelling the burn; waiting for the drive to stop' in l,
                     'cancelling')
        self.assert_cancelled(proc, err)

    def test_sigterm_cancels_at_once_with_json_events(self):
        proc, out, err = self.start_burn('--json', self.cue())
        out.wait_for(lambda l: '"action":"writing"' in l, 'a writing update')
        proc.send_signal(signal.SIGTERM)
        out.wait_for(lambda l: json.loads(l) == {'event': 'interrupt', 'drive': 'sr0',
                                                 'count': 1, 'signal': 'SIGTERM'})
        out.wait_for(lambda l: json.loads(l) == {'event': 'cancelling', 'drive': 'sr0'})
        error = json.loads(out.wait_for(lambda l: '"event":"error"' in l))
        self.assertEqual(error['name'], 'org.rawburn1.Error.RequestCancelled')
        self.assertEqual(error['exit_status'], EXIT_CANCELLED)
        self.assertIn('the burn was cancelled', error['hint'])
        self.assertIn('0xC0AA0002', error['message'])
        self.assertEqual(json.loads(out.wait_for(lambda l: '"done"' in l))['exit_status'],
                         EXIT_CANCELLED)
        self.assert_cancelled(proc, err)

    def test_cancel_from_another_shell(self):
        proc, out, err = self.start_burn(self.cue())
        out.wait_for(lambda l: l.startswith('sr0: writing'), 'the write starting')
        r = self.ctl('cancel')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, 'sr0: cancelling the burn; the disc is left as far as it was '
                                   'written\n')
        self.assert_cancelled(proc, err)
        # Nothing to cancel any more.
        r = self.ctl('cancel', 'sr0')
        self.assertEqual(r.returncode, EXIT_FAILED)
        self.assertIn('sr0: nothing is being burned on this drive.', r.stderr)

    def test_another_program_cannot_take_a_drive_that_is_burning(self):
        proc, out, err = self.start_burn(self.cue())
        out.wait_for(lambda l: l.startswith('sr0: writing'), 'the write starting')
        self.assertIn('writing for "rawburnctl"', self.ctl('list').stdout)
        r = self.ctl('--json', 'burn', self.cue())
        self.assertEqual(r.returncode, EXIT_BUSY, r.stderr)
        self.assertIn('"name":"org.rawburn1.Error.WriteInProgress"', r.stdout)
        self.assertIn('sr0: the drive is already burning a disc: wait until it has finished '
                      '(rawburnctl monitor shows its progress).', r.stderr)
        proc.send_signal(signal.SIGTERM)
        self.assert_cancelled(proc, err)


class Errors(BurnTestCase):
    """The error codes of IMAPI2's WriteMedia page (reference/) as rawburnctl
    says them: each produced on drivesim, seen by name (--json) and in words,
    with its exit status. E_POINTER, E_INVALIDARG, E_OUTOFMEMORY, E_FAIL,
    ERROR_INVALID_HANDLE, MediaIsNotPrepared and DvdStructureNotPresent
    cannot be provoked through rawburnctl, which passes only files and pipes
    and prepares before writing; test-error-hints.c checks their words."""
    DRIVES = ('cdr80', 'none', 'dvdr', 'cdrw74')
    ARGS = ('--command-timeout', '2', '--ready-timeout', '1')

    def test_media_problems(self):
        cue = self.cue()
        self.assert_error(self.burn_error('-d', 'sr1', cue), 'RecorderMediaNoMedia', EXIT_MEDIA,
                          'there is no disc in the drive: insert a blank CD-R or CD-RW and try '
                          'again', 'sr1')
        self.assert_error(self.burn_error('-d', 'sr2', cue), 'MediaIsNotSupported', EXIT_MEDIA,
                          'this disc cannot be burned in raw mode: insert a blank CD-R or CD-RW',
                          'sr2')
        self.burn('-d', 'sr0', cue)
        self.assert_error(self.burn_error('-d', 'sr0', cue), 'MediaIsNotBlank', EXIT_MEDIA,
                          'the disc is not blank: insert a blank CD-R, or a CD-RW that has been '
                          'erased')

    def test_the_sense_stays_for_experts(self):
        self.daemon.ctl('sr0 fault write-protected')
        r = self.ctl('--verbose', 'burn', self.cue())
        self.assertIn('org.rawburn1.Error.RecorderMediaWriteProtected', r.stderr)
        self.assertIn('0xC0AA0209', r.stderr)
        self.assertIn('07/27/00', r.stderr)
        r = self.ctl('burn', self.cue())
        self.assertNotIn('07/27/00', r.stderr)

    def test_drive_held_by_another_program(self):
        import dbus
        conn = dbus.bus.BusConnection(self.address)
        self.addCleanup(conn.close)
        conn.get_object(BUS, rec_path('sr0')).AcquireExclusiveAccess(
            False, 'K3b', dbus_interface=REC_IFACE)
        self.assert_error(self.burn_error('-d', 'sr0', self.cue()), 'RecorderLocked', EXIT_BUSY,
                          'another program is using the drive')

    def test_stream_problems(self):
        # An image that starts after this disc's lead-in (97:26:66).
        late = self.image_of(*self.wavs, extra=('--first-lba', '-1000'))
        self.assert_error(self.burn_error('--first-lba', '-1000', late), 'StreamLeadinTooShort',
                          EXIT_SOURCE, "the image's lead-in starts later than this disc's")
        # Not an image at all, on standard input (a file would be refused here).
        junk = os.path.join(self.tmp, 'junk')
        with open(junk, 'wb') as f:
            f.write(os.urandom(1000 * 2448))
        with open(junk, 'rb') as f:
            self.assert_error(self.burn_error('-', stdin=f), 'StreamNotSupported', EXIT_SOURCE,
                              'the image is not a raw DAO-96 stream the drive can take')
        r = self.ctl('burn', junk)
        self.assertEqual(r.returncode, EXIT_SOURCE)
        self.assertIn('junk', r.stderr)

    def test_not_enough_space(self):
        # 75 minutes of generated silence for a 74-minute CD-RW (sr3).
        toc = self.write('long.toc', 'CD_DA\nTRACK AUDIO\nSILENCE 75:00:00\n')
        r = self.ctl('burn', '-d', 'sr3', toc)
        self.assertEqual(r.returncode, EXIT_MEDIA)
        self.assertIn('sr3: the image does not fit on this disc: its lead-out starts at 75:02:00 '
                      '(75:00 of audio', r.stderr)
        self.assertIn("but this disc's must start by 74:00:00", r.stderr)
        # The same as a stream rawburnctl cannot measure: the daemon says it.
        maker = subprocess.Popen([RAWBURNCTL, 'image', 'create', toc, '-o', '-'],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        r = self.burn_error('-d', 'sr3', '-', stdin=maker.stdout)
        maker.stdout.close()
        maker.wait()
        self.assert_error(r, 'NotEnoughSpace', EXIT_MEDIA,
                          'the image does not fit on this disc', 'sr3')
        self.assertTrue(self.prop('sr3', RAW_IFACE, 'MediaPhysicallyBlank'))


# drivesim faults (docs/drivesim.md) and what rawburnctl says for each.
FAULTS = (
    ('write-protected', 'RecorderMediaWriteProtected', EXIT_MEDIA, 'the disc is write-protected'),
    ('loss-of-streaming', 'LossOfStreaming', EXIT_FAILED,
     'the drive ran out of data: turn BURN-Free on (leave out --no-burnfree), lower the speed '
     'with --speed, or burn from a local file'),
    ('becoming-ready', 'RecorderMediaBecomingReady', EXIT_BUSY,
     'the drive is not ready with the disc yet (spinning it up, or the system still reading '
     'it): wait a few seconds and try again'),
    ('format-in-progress', 'RecorderMediaFormatInProgress', EXIT_BUSY,
     'the disc is being formatted'),
    ('busy', 'RecorderMediaBusy', EXIT_BUSY, 'the drive is busy with a long operation'),
    ('upside-down', 'RecorderMediaUpsideDown', EXIT_MEDIA,
     'the disc seems to be upside down: put it in label side up'),
    ('incompatible-medium', 'RecorderMediaIncompatible', EXIT_MEDIA,
     'the drive cannot use this disc'),
    ('speed-mismatch', 'RecorderMediaSpeedMismatch', EXIT_MEDIA,
     "the disc's speed rating does not suit this drive"),
    ('invalid-mode-parameters', 'RecorderInvalidModeParameters', EXIT_UNSUPPORTED,
     'the drive refused the write settings'),
    ('no-such-mode-page', 'RecorderNoSuchModePage', EXIT_UNSUPPORTED,
     'the drive lacks a settings page that raw burning needs'),
    ('invalid-response op=0x51 count=1', 'RecorderInvalidResponseFromDevice', EXIT_FAILED,
     'the drive gave an answer that makes no sense'),
    ('timeout op=0x2a count=1', 'RecorderCommandTimeout', EXIT_FAILED,
     'the drive stopped answering'),
    ('device-gone op=0x2a after=20', 'DeviceNotExist', EXIT_NO_DRIVE,
     'the drive is gone (unplugged or switched off)'),
)


class DriveFaults(BurnTestCase):
    """One fresh daemon and blank disc per fault, armed once rawburnd has read
    the disc, so that only the burn meets it."""
    DRIVES = ('cdr80',)
    ARGS = ('--command-timeout', '2', '--ready-timeout', '1')

    def check_fault(self, fault, name, status, words):
        self.daemon.ctl('sr0 fault ' + fault)
        self.assert_error(self.burn_error(self.cue()), name, status, words)
        if name != 'DeviceNotExist':
            self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
            self.assert_alive()


def _fault_test(case):
    return lambda self: self.check_fault(*case)


for _case in FAULTS:
    setattr(DriveFaults, 'test_' + _case[0].split()[0].replace('-', '_'), _fault_test(_case))


class WriteOffset(BurnTestCase):
    """The drive's write offset from the quirks files (rawburnd's WriteOffset) goes into the
    image rawburnctl makes for the burn, and into image create --drive; --no-write-offset
    burns unshifted. drivesim records what it is sent: the disc is compared with images
    made with --write-offset and without."""

    def start_extra(self):
        path = os.path.join(self.tmp, 'quirks.conf')
        with open(path, 'w') as f:
            f.write('vendor=DRVSIM product="CD-RW RAW96 SIM" write-offset=+667\n')
        self.ARGS = ('--quirks', path)

    def made(self, name, *args):
        out = os.path.join(self.tmp, name)
        r = subprocess.run([RAWBURNCTL, 'image', 'create', '-t', 'raw', '-o', out] + list(args),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, 'rb') as f:
            return out, f.read()

    def test_burn_applies_the_drives_offset_and_no_write_offset_does_not(self):
        cue = self.cue()
        shifted, shifted_bytes = self.made('shifted.img', '--write-offset', '667', cue)
        plain, plain_bytes = self.made('plain.img', cue)
        self.assertEqual(len(shifted_bytes), len(plain_bytes))
        self.assertNotEqual(shifted_bytes, plain_bytes)

        r = self.burn('--verify', cue)
        self.assertIn('\n  write offset +667 samples (distribution quirks file)\n', r.stdout)
        self.assert_recorded(shifted)

        self.new_disc()
        r = self.burn('--no-write-offset', cue)
        self.assertIn("\n  write offset: none (--no-write-offset; this drive's: +667 samples "
                      "(distribution quirks file))\n", r.stdout)
        self.assert_recorded(plain)

    def test_json_and_dry_run_say_it(self):
        cue = self.cue()
        r = self.burn('--json', cue)
        start = json.loads(r.stdout.splitlines()[0])
        self.assertEqual((start['event'], start['write_offset'], start['write_offset_source']),
                         ('start', 667, 'distribution'))
        r = self.ctl('burn', '--dry-run', cue)
        self.assertIn('write offset: +667 samples (distribution quirks file)\n', r.stdout)
        r = self.ctl('--json', 'burn', '--dry-run', '--no-write-offset', cue)
        event = json.loads(r.stdout.splitlines()[0])
        self.assertEqual((event['write_offset'], event['write_offset_source']), (0, 'none'))

    def test_image_create_for_a_drive(self):
        cue = self.cue()
        shifted, shifted_bytes = self.made('shifted.img', '--write-offset', '667', cue)
        out = os.path.join(self.tmp, 'for-sr0.img')
        r = self.ctl('image', 'create', '--drive', 'sr0', '-o', out, cue)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('sr0 (DRVSIM CD-RW RAW96 SIM 1.00): write offset +667 samples '
                      '(distribution quirks file)\n', r.stdout)
        with open(out, 'rb') as f:
            self.assertEqual(f.read(), shifted_bytes)
        r = self.ctl('image', 'create', '--drive', 'sr0', '--no-write-offset', '-n', cue)
        self.assertEqual(r.returncode, 1)
        self.assertIn('--write-offset, --drive, --drive-model and --no-write-offset: give one',
                      r.stderr)


class AppExample(BurnTestCase):
    """docs/examples/gdbus-burn.c, the desktop application example of
    docs/app-guide.md, built with gdbus-codegen: it burns, and says no."""

    def test_the_example_burns_an_image(self):
        example = os.environ['RAWBURN_GDBUS_EXAMPLE']
        image = self.image_of(*self.wavs)
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address)
        r = subprocess.run([example, 'sr0', image], env=env, capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], 'sr0: blank disc, lead-in at LBA -11634, lead-out by LBA '
                                   '359849')
        self.assertTrue(any(l.startswith('writing ') for l in lines), r.stdout)
        sectors = os.path.getsize(image) // 2448 - (22650 + CDR80_LEADIN)
        self.assertIn('write finished: success, %d sectors written' % sectors, lines)
        self.assertEqual(lines[-1], 'done')
        self.assert_recorded(image)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        r = subprocess.run([example, 'sr0', image], env=env, capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 1)
        self.assertIn('PrepareMedia failed: GDBus.Error:org.rawburn1.Error.MediaIsNotBlank',
                      r.stderr)


class Permission(BurnTestCase):
    ARGS = ('--always-check-polkit',)

    def start_extra(self):
        self.polkitd = start_polkit_mock(self.bus.address)
        self.addCleanup(self.polkitd.wait)
        self.addCleanup(self.polkitd.terminate)

    def test_burn_needs_its_polkit_action(self):
        polkit_allow(self.bus.address, 'org.rawburn1.eject')
        r = self.ctl('burn', self.cue())
        self.assertEqual(r.returncode, EXIT_PERMISSION)
        self.assertIn('sr0: you are not allowed to do this', r.stderr)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        polkit_allow(self.bus.address, 'org.rawburn1.burn')
        self.burn(self.cue())
        self.assertFalse(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))


if __name__ == '__main__':
    unittest.main(verbosity=2)
