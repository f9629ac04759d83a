#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A burn that is right or says why not (issue 9 on the command line), the
real rawburnctl on the real rawburnd and drivesim:

- burn --verify reads the disc back (ReadMedia) and compares it sector for
  sector with what was sent: an intact disc passes in every sector type and
  from every kind of source; a disc drivesim damaged (`srN corrupt`) between
  the write and the read-back fails with the first LBA and the count, exit
  status 10;
- burn --no-check turns off rawburnd's TOC read-back (PrepareMedia
  CheckAfterWrite=false): drivesim's `toc-mismatch` fails a checked burn with
  VerifyFailed and passes an unchecked one;
- burn --dry-run touches no media (drivesim's `srN state` is the same
  before and after) and says what the burn would do: layout, CD-Text, the
  size against this disc's ATIP capacity, or the common sizes without a
  disc or without rawburnd, and the warnings;
- burn --simulate is PrepareMedia's Simulate: the disc stays blank and the
  burn says it was simulated; a drive without Test Write in raw mode
  refuses it in words (TestWriteNotSupported, exit status 11);
- errors carry what the drive said: the daemon's hint for the sense in
  words, and sense and command in --json."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from burn_case import (EXIT_CANCELLED, EXIT_FAILED, EXIT_MEDIA, EXIT_UNSUPPORTED, EXIT_USAGE,
                       EXIT_VERIFY, BurnTestCase)
from harness import (CDR80_LEADIN, RAW_IFACE, RAWBURNCTL, Bus, LineReader, make_wav, rawburnctl)


class ChecksTestCase(BurnTestCase):
    def error_event(self, r):
        errors = [e for e in self.events(r) if e['event'] == 'error']
        self.assertTrue(errors, r.stdout + r.stderr)
        return errors[0]


# ---------------------------------------------------------------- --verify

class Verify(ChecksTestCase):
    DRIVES = ('cdr80',)

    def verify_ok(self, *args):
        r = self.ctl('burn', '--verify', *args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r'sr0: verified: all \d+ sectors of the program area read '
                                   r'back as they were sent')
        self.assertEqual(self.state()['disc'], 'complete')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        return r

    def test_an_intact_disc_passes(self):
        cue = self.cue()
        r = self.verify_ok(cue)
        lines = r.stdout.splitlines()
        done = [i for i, l in enumerate(lines) if l.startswith('sr0: burn complete')][0]
        self.assertEqual(lines[done + 1], 'sr0: verifying: reading back 675 sectors (LBA 0 to '
                                          '674) to compare with what was sent')
        self.assertEqual(lines[-1], 'sr0: verified: all 675 sectors of the program area read '
                                    'back as they were sent (main channel and Q subchannel, R-W '
                                    'subchannel)')
        # A raw image file, read again from the file, as JSON events.
        self.new_disc()
        image = self.image_of(cue)
        r = self.ctl('--json', 'burn', '--verify', image)
        self.assertEqual(r.returncode, 0, r.stderr)
        kinds = [e['event'] for e in self.events(r) if e['event'] not in ('update',
                                                                          'verify-progress')]
        self.assertEqual(kinds, ['start', 'prepared', 'write-finished', 'verify-start',
                                 'verify-finished', 'released', 'done'])
        finished = [e for e in self.events(r) if e['event'] == 'verify-finished'][0]
        self.assertEqual(finished, {'event': 'verify-finished', 'drive': 'sr0', 'ok': True,
                                    'stopped': False, 'first_lba': 0, 'sectors': 675,
                                    'compared': 675, 'differing': 0})

    def test_each_sector_type_and_data(self):
        for name in ('pq', 'cooked', 'raw'):
            with self.subTest(sector_type=name):
                self.new_disc()
                r = self.verify_ok('--sector-type', name, *self.wavs)
                self.assertIn(', R-W subchannel)' if name == 'raw' else 'and Q subchannel)',
                              r.stdout)
        # Mode 1 data: scrambled in the stream, descrambled by the drive.
        tree = os.path.join(self.tmp, 'tree')
        os.mkdir(tree)
        with open(os.path.join(tree, 'readme.txt'), 'w') as f:
            f.write('rawburn\n' * 100000)
        iso = os.path.join(self.tmp, 'data.iso')
        subprocess.run(['genisoimage', '-quiet', '-R', '-o', iso, tree], check=True)
        self.new_disc()
        self.verify_ok(iso, self.wavs[1])

    def start_burn(self, *args, wait_fd=None):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL='C.UTF-8')
        if wait_fd is not None:
            env['RAWBURNCTL_TEST_VERIFY_WAIT_FD'] = str(wait_fd)
        proc = subprocess.Popen([RAWBURNCTL, 'burn'] + list(args), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                pass_fds=(wait_fd,) if wait_fd is not None else ())
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, LineReader(proc.stdout), LineReader(proc.stderr)

    def paused_burn(self, *args):
        """A burn that stops between its write and its read-back until told:
        rawburnctl reads a line from RAWBURNCTL_TEST_VERIFY_WAIT_FD first."""
        r, w = os.pipe()
        self.addCleanup(lambda: os.close(w) if w is not None else None)
        proc, out, err = self.start_burn('--verify', *args, wait_fd=r)
        os.close(r)
        return proc, out, err, w

    def test_a_damaged_disc_fails(self):
        proc, out, err, go = self.paused_burn('--json', self.cue())
        out.wait_for(lambda l: '"event":"write-finished"' in l, 'the write ending')
        # Written, not yet read back: damage three sectors of track 2.
        self.assertEqual(self.daemon.ctl('sr0 corrupt 400 3'), ['corrupted 3 sectors from LBA 400'])
        os.write(go, b'go\n')
        self.assertEqual(proc.wait(timeout=120), EXIT_VERIFY)
        finished = json.loads(out.wait_for(lambda l: '"event":"verify-finished"' in l))
        self.assertEqual((finished['ok'], finished['differing'], finished['compared']),
                         (False, 3, 675))
        self.assertEqual(finished['first_differing_lba'], 400)
        self.assertEqual(finished['first_differing_track'], 2)
        self.assertEqual(finished['differs_in'], 'the main channel')
        error = json.loads(out.wait_for(lambda l: '"event":"error"' in l))
        self.assertEqual(error['name'], 'rawburnctl.VerifyMismatch')
        self.assertEqual(error['exit_status'], EXIT_VERIFY)
        done = json.loads(out.wait_for(lambda l: '"event":"done"' in l))
        self.assertEqual(done['exit_status'], EXIT_VERIFY)
        err.wait_for(lambda l: 'rawburnctl: sr0: the disc does not read back as the image: 3 of '
                               '675 sectors differ, the first at LBA 400 (00:07:25, track 02) in '
                               'the main channel: try another disc, or a lower speed with '
                               '--speed.' in l, 'the sentence')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_ctrl_c_before_the_read_back_stops_it(self):
        proc, out, err, go = self.paused_burn(self.cue())
        out.wait_for(lambda l: l.startswith('sr0: burn complete'), 'the write ending')
        proc.send_signal(signal.SIGINT)
        err.wait_for(lambda l: 'sr0: verification stopped: the disc is burned, but was not '
                               'checked' in l, 'the stop')
        self.assertEqual(proc.wait(timeout=60), EXIT_CANCELLED)
        self.assertEqual(self.state()['disc'], 'complete')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_eject_comes_after_the_read_back(self):
        r = self.verify_ok('--eject', self.cue())
        lines = r.stdout.splitlines()
        self.assertEqual(lines[-1], 'sr0: ejecting the disc')
        self.assertTrue(lines[-2].startswith('sr0: verified: '), lines)
        self.assertEqual(self.state()['tray'], 'open')

    def test_a_stream_that_cannot_be_read_again_is_refused_first(self):
        image = self.image_of(*self.wavs)
        with open(image, 'rb') as f:
            r = self.ctl('burn', '--verify', '-', stdin=f)
        self.assertEqual(r.returncode, EXIT_USAGE)
        self.assertIn('--verify reads the image again after the burn: give it as a file, or the '
                      'sources it is made of, not on standard input', r.stderr)
        r = self.ctl('burn', '--verify', '--simulate', image)
        self.assertEqual(r.returncode, EXIT_USAGE)
        self.assertIn('a simulation records nothing to read back', r.stderr)
        state = self.state()
        self.assertEqual((state['disc'], state['writes']), ('blank', '0'))


class CheckAfterWrite(ChecksTestCase):
    def test_no_check_turns_off_the_toc_read_back(self):
        # The TOC read back after the write differs from the image's lead-in.
        self.daemon.ctl('sr0 fault toc-mismatch')
        r = self.ctl('--json', 'burn', self.cue())
        self.assertEqual(r.returncode, EXIT_VERIFY, r.stdout + r.stderr)
        self.assertEqual(self.error_event(r)['name'], 'org.rawburn1.Error.VerifyFailed')
        self.assertIn('rawburnctl: sr0: the disc does not read back as the image says',
                      r.stderr)
        self.new_disc()
        self.daemon.ctl('sr0 fault toc-mismatch')
        r = self.ctl('burn', '--no-check', self.cue())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('sr0: burn complete', r.stdout)
        self.assertEqual(self.state()['disc'], 'complete')


# ---------------------------------------------------------------- --dry-run

class DryRun(ChecksTestCase):
    DRIVES = ('cdr74', 'none', 'cdr80,modes=notest-raw', 'cdrw74')

    def untouched(self, name='sr0'):
        state = self.state(name)
        self.assertEqual(state['writes'], '0', state)
        self.assertEqual(state['locked'], 'no', state)
        return state

    def test_touches_nothing_and_says_what_it_would_do(self):
        before = self.untouched()
        self.assertEqual(before['disc'], 'blank')
        r = self.ctl('burn', '--dry-run', self.cue())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.state(), before)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        out = r.stdout
        self.assertTrue(out.startswith('Dry run of a burn of 2 tracks, 0:09, made on the fly as '
                                       'raw sectors: no disc is touched.\n'), out)
        # The layout, as image create --dry-run prints it.
        self.assertRegex(out, r'track 01 +audio, control 0, pause 150 at 00:00:00, start '
                              r'00:02:00 \(LBA 0\), 300 sectors')
        self.assertIn('lead-out:    00:11:00 (LBA 675)', out)
        # The CD-Text the lead-in carries, decoded.
        self.assertIn('  TITLE      disc      Tones\n', out)
        self.assertIn('  TITLE      track 02  B\n', out)
        self.assertIn('  PERFORMER  disc      rawburn\n', out)
        # Against this disc's ATIP: 74 minutes, lead-in 97:26:66.
        self.assertIn('size:        lead-out at 00:11:00 (LBA 675): 0:09 of audio, 1.3 MiB of '
                      'data', out)
        self.assertIn('disc:        sr0 (DRVSIM CD-RW RAW96 SIM 1.00): blank CD-R (74 minutes), '
                      'lead-in from 97:26:66 (LBA -11634), last lead-out 74:00:00 (LBA 332850): '
                      'room for 73:58 of audio, 650.1 MiB of data', out)
        self.assertIn('fits:        yes, with 73:49 of audio, 648.8 MiB of data to spare', out)
        self.assertIn('warnings:    none', out)

    def test_too_long_for_the_disc(self):
        toc = self.write('long.toc', 'CD_DA\nTRACK AUDIO\nSILENCE 75:00:00\n')
        r = self.ctl('--json', 'burn', '--dry-run', toc)
        self.assertEqual(r.returncode, EXIT_MEDIA, r.stdout + r.stderr)
        (event,) = self.events(r)
        self.assertEqual(event['event'], 'dry-run')
        self.assertEqual((event['drive'], event['leadout_lba'], event['last_leadout_lba'],
                          event['disc_minutes']), ('sr0', 337500, 332850, 74))
        self.assertIs(event['fits'], False)
        self.assertEqual(event['spare_sectors'], -4650)
        self.assertIn('the image does not fit on the disc in sr0', ' '.join(event['warnings']))
        r = self.ctl('burn', '--dry-run', toc)
        self.assertIn('fits:        no: 1:02 of audio, 9.1 MiB of data too long', r.stdout)
        self.untouched()

    def test_without_a_disc_the_common_sizes(self):
        r = self.ctl('burn', '--dry-run', '-d', 'sr1', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('disc:        none in sr1: against the common disc sizes', r.stdout)
        for minutes, room in ((74, '73:58 of audio, 650.1 MiB'), (80, '79:58 of audio, 702.8 MiB'),
                              (90, '89:58 of audio, 790.7 MiB'), (99, '98:58 of audio, 869.8 MiB')):
            self.assertRegex(r.stdout, r'  %d min: +room for %s of data; fits: yes, with ' %
                             (minutes, room))
        r = self.ctl('--json', 'burn', '--dry-run', '-d', 'sr1', self.cue())
        (event,) = self.events(r)
        self.assertEqual([(s['minutes'], s['fits']) for s in event['sizes']],
                         [(74, True), (80, True), (90, True), (99, True)])
        self.assertEqual(event['sizes'][1]['last_leadout_lba'], 359850)
        self.assertEqual([(t['field'], t['track'], t['text']) for t in event['cdtext'][0]['text']],
                         [('TITLE', 0, 'Tones'), ('TITLE', 1, 'A'), ('TITLE', 2, 'B'),
                          ('PERFORMER', 0, 'rawburn')])

    def test_warnings(self):
        r = self.ctl('burn', '--dry-run', '-d', 'sr2', '--simulate', '--speed', '52', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('warning:     sr2 cannot simulate a raw burn of raw sectors (no '
                      'TEST/RAW/R96R): --simulate would be refused', r.stdout)
        self.assertIn('warning:     sr2 writes this disc at 48× at most: --speed 52× gets 48×',
                      r.stdout)
        self.untouched('sr2')
        # An image whose lead-in starts after the disc's; it was read by the inspector.
        image = self.image_of(*self.wavs, extra=('--first-lba', '-1000'))
        r = self.ctl('burn', '--dry-run', '--first-lba', '-1000', image)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warning:     the image's lead-in starts at 99:48:50, after this disc's at "
                      '97:26:66: rawburnd would refuse it', r.stdout)
        self.assertIn('TOC (lead-in Q):', r.stdout)
        self.untouched()
        # A disc that is not blank.
        r = self.ctl('burn', '-d', 'sr3', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.ctl('burn', '--dry-run', '-d', 'sr3', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('warning:     the disc in sr3 is not blank: insert a blank CD-R, or erase '
                      'this CD-RW with rawburnctl blank', r.stdout)

    def test_a_raw_image(self):
        image = self.image_of(self.cue())
        r = self.ctl('burn', '--dry-run', image)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('raw image %s:' % image, r.stdout)
        self.assertIn('CD-Text:', r.stdout)
        self.assertIn('fits:        yes', r.stdout)
        self.untouched()


class DryRunWithoutRawburnd(unittest.TestCase):
    def test_against_the_common_sizes(self):
        tmp = tempfile.mkdtemp(prefix='rawburnctl-test-')
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        bus = Bus(tmp)
        self.addCleanup(bus.stop)
        wav = os.path.join(tmp, 'a.wav')
        make_wav(wav, 300)
        r = rawburnctl(bus.address, 'burn', '--dry-run', wav)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('disc:        none to compare with (rawburnd is not running): against the '
                      'common disc sizes', r.stdout)
        self.assertIn('  80 min:    room for 79:58 of audio', r.stdout)
        self.assertEqual(r.stderr, '')


# ---------------------------------------------------------------- --simulate

class Simulate(ChecksTestCase):
    DRIVES = ('cdr80', 'cdr80,modes=notest-raw')

    def test_a_simulation_is_a_test_write_and_says_so(self):
        r = self.ctl('--json', 'burn', '--simulate', self.cue())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        events = {e['event']: e for e in self.events(r)}
        self.assertIs(events['prepared']['simulate'], True)
        self.assertIs(events['write-finished']['simulated'], True)
        # The drive had Test Write on (page 05h), went through the burn, recorded nothing.
        state = self.state()
        self.assertEqual((state['disc'], state['test_write'], state['recorded_end']),
                         ('blank', 'yes', str(CDR80_LEADIN)))
        self.assertGreater(int(state['sectors_written']), 0)
        r = self.ctl('burn', '--simulate', self.cue())
        self.assertIn('sr0: prepared for a simulation', r.stdout)
        self.assertRegex(r.stdout, r'sr0: simulated: nothing was written: the drive went through '
                                   r'the burn with the laser off: \d+ sectors in 0:\d\d\n')
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))

    def test_a_drive_without_test_write_refuses(self):
        r = self.ctl('--json', 'burn', '-d', 'sr1', '--simulate', self.cue())
        self.assertEqual(r.returncode, EXIT_UNSUPPORTED, r.stdout + r.stderr)
        error = self.error_event(r)
        self.assertEqual(error['name'], 'org.rawburn1.Error.TestWriteNotSupported')
        self.assertEqual(error['operation'], 'PrepareMedia')
        self.assertIn('rawburnctl: sr1: this drive cannot rehearse in this write mode: burn '
                      'without --simulate', r.stderr)
        state = self.state('sr1')
        self.assertEqual((state['disc'], state['writes'], state['locked']), ('blank', '0', 'no'))
        # The same drive burns for real.
        r = self.ctl('burn', '-d', 'sr1', self.cue())
        self.assertEqual(r.returncode, 0, r.stderr)


# ---------------------------------------------------------------- the sense

class SenseInErrors(ChecksTestCase):
    def test_power_calibration_failed(self):
        # OPC failed on the first WRITE (03/73/03 POWER CALIBRATION AREA ERROR).
        self.daemon.ctl('sr0 fault sense 03/73/03 op=0x2a count=1')
        r = self.ctl('--json', 'burn', self.cue())
        self.assertEqual(r.returncode, EXIT_FAILED, r.stdout + r.stderr)
        error = self.error_event(r)
        self.assertEqual((error['sense'], error['sense_key'], error['asc'], error['ascq']),
                         ('03/73/03', 3, 0x73, 3))
        self.assertEqual(error['command'], 0x2a)
        self.assertIn('power calibration failed', error['sense_hint'])
        self.assertIn('lower the write speed', error['sense_hint'])
        self.assertIn('the drive reported a write error', error['hint'])
        lines = [l for l in r.stderr.splitlines() if l.startswith('rawburnctl: sr0: ')]
        self.assertIn('the drive reported a write error it could not recover from', lines[0])
        self.assertTrue(lines[1].startswith('rawburnctl: sr0: power calibration failed: lower '
                                            'the write speed'), lines)
        # The sense itself only for experts.
        self.assertNotIn('03/73/03', r.stderr)

    def test_errors_without_a_sense_have_none(self):
        self.assertEqual(self.ctl('burn', self.cue()).returncode, 0)
        r = self.ctl('--json', 'burn', self.cue())
        error = self.error_event(r)
        self.assertEqual(error['name'], 'org.rawburn1.Error.MediaIsNotBlank')
        for key in ('sense', 'sense_key', 'command', 'sense_hint'):
            self.assertNotIn(key, error)


if __name__ == '__main__':
    unittest.main(verbosity=2)
