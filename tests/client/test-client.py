#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real rawburnctl against the real rawburnd on drivesim and a private
system bus: list, info, monitor, eject, close-tray, drive choice, and the
errors a person meets before any burn (no daemon, no bus, polkit saying no,
a drive held by someone else, gone, or silent). Expected values come from
drivesim's documented media (docs/drivesim.md), not from the daemon."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'daemon'))
from harness import (BUS, RAWBURNCTL, REC_IFACE, SOURCE, Bus, DaemonTestCase, LineReader,
                     polkit_allow, rawburnctl, rec_path, start_polkit_mock)

# exit statuses, rawburnctl(1)
EXIT_FAILED, EXIT_USAGE, EXIT_NO_DRIVE, EXIT_MEDIA, EXIT_PERMISSION = 1, 2, 3, 4, 5
EXIT_NO_DAEMON, EXIT_BUSY, EXIT_SOURCE = 7, 8, 9


class ClientTestCase(DaemonTestCase):
    def ctl(self, *args, **kw):
        return rawburnctl(self.address, *args, **kw)

    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, 'rawburnctl failed:\n' + r.stdout + r.stderr)
        return r.stdout

    def json_lines(self, text):
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def hold(self, name, client='Brasero'):
        """Another program takes the drive (AcquireExclusiveAccess) and keeps
        it until its connection closes: a dbus-python connection of ours."""
        import dbus
        conn = dbus.bus.BusConnection(self.address)
        self.addCleanup(conn.close)
        obj = conn.get_object(BUS, rec_path(name))
        obj.AcquireExclusiveAccess(False, client, dbus_interface=REC_IFACE)
        return conn


class Listing(ClientTestCase):
    DRIVES = ('cdr80', 'cdrw74', 'none', 'dvdr')

    def test_list_shows_each_drive_and_disc(self):
        out = self.assert_ok(self.ctl('list'))
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith('DRIVE'))
        self.assertEqual([l.split()[0] for l in lines[1:]], ['sr0', 'sr1', 'sr2', 'sr3'])
        self.assertIn('/dev/sr0', lines[1])
        self.assertIn('DRVSIM CD-RW RAW96 SIM 1.00', lines[1])
        # Minutes of audio before the last possible lead-out (LBA 359849 and 332850).
        self.assertIn('blank CD-R, 79:57', lines[1])
        self.assertIn('blank CD-RW, 73:58', lines[2])
        self.assertIn('no disc', lines[3])
        self.assertIn('DVD-R, cannot be burned raw', lines[4])
        for line in lines[1:]:
            self.assertTrue(line.rstrip().endswith('idle'), line)

    def test_list_without_legend_and_as_json(self):
        out = self.assert_ok(self.ctl('list', '--no-legend'))
        self.assertTrue(out.startswith('sr0 '))
        events = self.json_lines(self.assert_ok(self.ctl('list', '--json')))
        self.assertEqual([e['drive'] for e in events], ['sr0', 'sr1', 'sr2', 'sr3'])
        cdr, cdrw, empty, dvd = events
        self.assertEqual(cdr['event'], 'drive')
        self.assertEqual((cdr['media'], cdr['blank'], cdr['writable']), ('CD-R', True, True))
        self.assertEqual(cdr['leadin_start_lba'], -11634)
        self.assertEqual(cdr['leadin_start_msf'], '97:26:66')
        self.assertEqual(cdr['last_leadout_lba'], 359849)
        self.assertEqual(cdr['last_leadout_msf'], '79:59:74')
        self.assertEqual(cdr['write_speeds_x'][0], 48)
        self.assertEqual(cdr['write_speeds_sectors_per_second'][0], 3600)
        self.assertEqual(cdr['sector_types'], ['pq', 'cooked', 'raw'])
        self.assertEqual((cdrw['media'], cdrw['last_leadout_lba']), ('CD-RW', 332850))
        self.assertEqual((empty['media_present'], empty['media']), (False, None))
        self.assertEqual((dvd['media'], dvd['writable']), ('DVD-R', False))
        self.assertEqual(cdr['device_paths'], ['/dev/sr0', '/dev/sg0'])

    def test_info_of_a_blank_cdr80(self):
        out = self.assert_ok(self.ctl('info', 'sr0'))
        self.assertTrue(out.startswith('sr0 (/org/rawburn1/recorder/sr0)'))
        self.assertRegex(out, r'Device: /dev/sr0, /dev/sg0\n')
        self.assertRegex(out, r'Disc: CD-R\n')
        self.assertRegex(out, r'Blank: yes\n')
        self.assertRegex(out, r'Writable: yes')
        # ATIP lead-in start and last possible lead-out of drivesim's CD-R 80.
        self.assertRegex(out, r'Lead-in start: 97:26:66 \(LBA -11634\)')
        self.assertRegex(out, r'Last lead-out: 79:59:74 \(LBA 359849\): room for 79:57 of '
                              r'audio, 702\.8 MiB of data')
        self.assertRegex(out, r'Write speeds: 48× 40× .*\(3600, 3000, .* sectors/s\)')
        self.assertRegex(out, r'Current speed: 48× \(3600 sectors/s, 8467 kB/s\)')
        self.assertRegex(out, r'Raw writing: yes, sector types pq, cooked, raw')
        self.assertRegex(out, r'Exclusive owner: none')
        self.assertRegex(out, r'State: idle')

    def test_info_of_cdrw_empty_tray_and_dvd(self):
        out = self.assert_ok(self.ctl('info', 'sr1'))
        self.assertRegex(out, r'Disc: CD-RW\n')
        self.assertRegex(out, r'Last lead-out: 74:00:00 \(LBA 332850\): room for 73:58 of audio')
        self.assertRegex(out, r'Write speeds: 10× 8× 4× \(750, 600, 300 sectors/s\)')
        out = self.assert_ok(self.ctl('info', 'sr2'))
        self.assertRegex(out, r'Disc: none\n')
        self.assertNotIn('Lead-in start', out)
        out = self.assert_ok(self.ctl('info', 'sr3'))
        self.assertRegex(out, r'Disc: DVD-R\n')
        self.assertRegex(out, r'Writable: no: only blank CD-R and CD-RW discs can be burned raw')
        self.assertNotIn('Lead-in start', out)

    def test_info_names_the_drive_every_way(self):
        by_name = self.assert_ok(self.ctl('info', 'sr1'))
        self.assertEqual(self.assert_ok(self.ctl('info', '/dev/sr1')), by_name)
        self.assertEqual(self.assert_ok(self.ctl('info', '/dev/sg1')), by_name)
        self.assertEqual(self.assert_ok(self.ctl('info', rec_path('sr1'))), by_name)
        # Without DRIVE: all of them.
        out = self.assert_ok(self.ctl('info'))
        for name in ('sr0', 'sr1', 'sr2', 'sr3'):
            self.assertIn('%s (%s)' % (name, rec_path(name)), out)

    def test_info_json(self):
        (event,) = self.json_lines(self.assert_ok(self.ctl('--json', 'info', 'sr0')))
        self.assertEqual(event['drive'], 'sr0')
        self.assertEqual(event['audio_minutes'], 79.97)
        self.assertEqual(event['data_mib'], 702.8)

    def test_unknown_drive(self):
        r = self.ctl('info', 'sr9')
        self.assertEqual(r.returncode, EXIT_NO_DRIVE)
        self.assertIn('there is no drive "sr9": the drives are sr0, sr1, sr2, sr3', r.stderr)
        r = self.ctl('--json', 'eject', '/dev/sr7')
        self.assertEqual(r.returncode, EXIT_NO_DRIVE)
        self.assertEqual(self.json_lines(r.stdout)[0]['name'], 'rawburnctl.NoSuchDrive')

    def test_several_drives_need_a_name(self):
        r = self.ctl('eject')
        self.assertEqual(r.returncode, EXIT_USAGE)
        self.assertIn('there are several drives (sr0, sr1, sr2, sr3): name one', r.stderr)

    def test_usage_errors(self):
        for args in (['frobnicate'], ['list', 'extra'], ['info', '--bogus'], ['info', 'a', 'b'],
                     ['eject', 'sr0', 'sr1'], ['burn'], ['burn', '--speed', 'fast', 'x.cue'],
                     ['burn', '--sector-type', 'odd', 'x.cue'], ['--bogus', 'list']):
            r = self.ctl(*args)
            self.assertEqual(r.returncode, EXIT_USAGE, args)
            self.assertTrue(r.stderr.strip(), args)
        self.assertIn('rawburnctl burn [OPTIONS] SOURCE', self.assert_ok(self.ctl('burn', '--help')))


class Completion(ClientTestCase):
    """The bash completion as bash runs it: COMP_WORDS in, COMPREPLY out; the
    drives come from the real rawburnctl and rawburnd."""
    DRIVES = ('cdr80', 'cdrw74')

    def complete(self, *words):
        script = os.path.join(SOURCE, 'client', 'rawburnctl.bash-completion')
        quoted = ' '.join("'%s'" % w for w in words)
        r = subprocess.run(['bash', '-c', 'source "$0"; COMP_WORDS=(rawburnctl %s); '
                            'COMP_CWORD=%d; _rawburnctl; printf "%%s\\n" "${COMPREPLY[@]}"'
                            % (quoted, len(words)), script],
                           env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address,
                                    PATH=os.path.dirname(RAWBURNCTL) + ':' + os.environ['PATH']),
                           capture_output=True, text=True, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [l for l in r.stdout.splitlines() if l]

    def test_commands_and_options(self):
        self.assertEqual(self.complete('bu'), ['burn'])
        for c in ('list', 'info', 'monitor', 'burn', 'blank', 'cancel', 'eject', 'close-tray',
                  'image', 'drives'):
            self.assertIn(c, self.complete(''))
        self.assertEqual(self.complete('bl'), ['blank'])
        self.assertEqual(self.complete('blank', '--f'), ['--fast', '--full'])
        self.assertEqual(self.complete('blank', ''), ['sr0', '/dev/sr0', 'sr1', '/dev/sr1'])
        for option in ('--dry-run', '--verify', '--no-check', '--no-write-offset'):
            self.assertIn(option, self.complete('burn', '--'))
        self.assertEqual(self.complete('drives', ''), ['list', 'set-offset'])
        self.assertEqual(self.complete('drives', '--c'), ['--config'])
        self.assertEqual(self.complete('cl'), ['close-tray'])
        self.assertEqual(self.complete('burn', '--sec'), ['--sector-type'])
        self.assertEqual(self.complete('burn', '--sector-type', ''), ['raw', 'cooked', 'pq'])
        self.assertEqual(self.complete('--json', 'burn', '-s', 'm'), ['max'])
        self.assertEqual(self.complete('image', ''), ['create', 'inspect', 'read', '--help'])
        self.assertEqual(self.complete('image', 'read', ''), ['sr0', '/dev/sr0', 'sr1', '/dev/sr1'])
        self.assertEqual(self.complete('image', 'read', '--acc'), ['--accept-errors'])
        self.assertEqual(self.complete('co'), ['copy'])
        self.assertIn('--no-read-offset', self.complete('copy', '--'))
        self.assertEqual(self.complete('image', 'inspect', '-t', ''), ['pq', 'pw'])
        self.assertIn('--dry-run', self.complete('image', 'create', '--'))
        self.assertIn('--no-legend', self.complete('list', '--'))

    def test_drives_from_rawburnd_and_files(self):
        self.assertEqual(self.complete('eject', ''), ['sr0', '/dev/sr0', 'sr1', '/dev/sr1'])
        self.assertEqual(self.complete('burn', '--drive', 's'), ['sr0', 'sr1'])
        with open(os.path.join(self.tmp, 'album.cue'), 'w') as f:
            f.write('')
        self.assertEqual(self.complete('burn', '--drive', 'sr0', 'alb'), ['album.cue'])


class Drives(ClientTestCase):
    """rawburnctl drives: each drive with the write modes it really accepts
    (drivesim's modes=), the sector types that follow, and its write and read
    offsets (rawburnd's WriteOffset and ReadOffset, from the quirks files);
    then the offsets the quirks files hold."""
    DRIVES = ('cdr80', 'cdr80,modes=raw96p,raw16,sao', 'cdr80,modes=sao,tao',
              'cdr80,modes=notest-raw,revision=2.00')

    def start_extra(self):
        # The same files for rawburnd and rawburnctl: the distribution's, then the local one.
        self.dist = os.path.join(self.tmp, 'dist-quirks.conf')
        self.conf = os.path.join(self.tmp, 'quirks.conf')
        with open(self.dist, 'w') as f:
            f.write('vendor=DRVSIM product="CD-RW RAW96 SIM" write-offset=+30\n')
        with open(self.conf, 'w') as f:
            f.write('vendor=DRVSIM product="CD-RW RAW96 SIM" revision=1.* write-offset=+6\n'
                    'vendor=PLEXTOR product="DVDR   PX-716A" write-offset=+30\n'
                    'vendor=DRVSIM product="CD-RW RAW96 SIM" revision=2.* read-offset=-472\n')
        self.ARGS = ('--quirks', self.dist, '--local-quirks', self.conf)

    def drives(self, *args):
        return self.ctl('drives', '--config', self.conf, *args,
                        env={'RAWBURN_QUIRKS': self.dist})

    def test_write_modes_sector_types_and_offsets(self):
        out = self.assert_ok(self.drives())
        blocks = out.split('\n\n')
        self.assertTrue(blocks[0].startswith('drives rawburnd sees:\n'), out)
        sr0, sr1, sr2, sr3 = blocks[0].split('\nsr')[1:]
        self.assertTrue(sr0.startswith('0  DRVSIM CD-RW RAW96 SIM 1.00 (/dev/sr0)\n'), sr0)
        self.assertIn('  Write modes:  RAW/R96R RAW/R96P RAW/R16 SAO TAO TEST/RAW/R96R '
                      'TEST/RAW/R96P TEST/RAW/R16 TEST/SAO TEST/TAO\n', sr0)
        self.assertIn('  Raw writing:  yes, sector types pq, cooked, raw\n', sr0)
        self.assertIn('  Simulation:   yes (Test Write), with pq, cooked, raw\n', sr0)
        self.assertTrue(sr0.endswith('\n  Write offset: +6 samples (local quirks file)\n'
                                     '  Read offset:  none (no quirks file names this drive)'), sr0)
        # Revision 2.00: the local line for 1.* does not match, the distribution's does;
        # its read offset is the local 2.* line's.
        self.assertTrue(sr3.endswith('\n  Write offset: +30 samples (distribution quirks file)\n'
                                     '  Read offset:  -472 samples (local quirks file)'), sr3)
        # No R96R: no raw P-W sectors.
        self.assertIn('  Write modes:  RAW/R96P RAW/R16 SAO TEST/RAW/R96P TEST/RAW/R16 '
                      'TEST/SAO\n', sr1)
        self.assertIn('  Raw writing:  yes, sector types pq, cooked\n', sr1)
        # No raw mode at all.
        self.assertIn('  Write modes:  SAO TAO TEST/SAO TEST/TAO\n', sr2)
        self.assertIn('  Raw writing:  no: this drive cannot burn raw (it has no RAW write '
                      'mode), rawburn cannot burn with it\n', sr2)
        self.assertNotIn('Simulation', sr2)
        # Raw, but no Test Write in raw.
        self.assertIn('  Simulation:   no: this drive has no Test Write in raw mode', sr3)
        # Then the quirks files' offsets, the distribution's first.
        self.assertEqual(blocks[1], 'offsets in %s, then %s (the later wins):\n'
                         '  VENDOR     PRODUCT            REVISION  WRITE OFFSET   READ OFFSET    '
                         'FILE\n'
                         '  DRVSIM     CD-RW RAW96 SIM    *         +30 samples    -              '
                         'distribution:1\n'
                         '  DRVSIM     CD-RW RAW96 SIM    1.*       +6 samples     -              '
                         'local:1\n'
                         '  PLEXTOR    DVDR   PX-716A     *         +30 samples    -              '
                         'local:2\n'
                         '  DRVSIM     CD-RW RAW96 SIM    2.*       -              -472 samples   '
                         'local:3\n'
                         % (self.dist, self.conf))

    def test_json(self):
        events = self.json_lines(self.assert_ok(self.drives('--json')))
        drives = [e for e in events if e['event'] == 'drive']
        self.assertEqual([d['drive'] for d in drives], ['sr0', 'sr1', 'sr2', 'sr3'])
        sr0, sr1, sr2, sr3 = drives
        self.assertEqual(sr0['write_modes'][:5], ['RAW/R96R', 'RAW/R96P', 'RAW/R16', 'SAO', 'TAO'])
        self.assertEqual((sr0['raw_writing'], sr0['sector_types'], sr0['write_offset']),
                         (True, ['pq', 'cooked', 'raw'], 6))
        self.assertEqual(sr0['write_offset_source'], 'local')
        self.assertEqual((sr3['write_offset'], sr3['write_offset_source']), (30, 'distribution'))
        self.assertEqual((sr0['read_offset'], sr0['read_offset_source']), (0, 'none'))
        self.assertEqual((sr3['read_offset'], sr3['read_offset_source']), (-472, 'local'))
        self.assertEqual(sr1['sector_types'], ['pq', 'cooked'])
        self.assertEqual(sr1['simulate_sector_types'], ['pq', 'cooked'])
        self.assertEqual((sr2['raw_writing'], sr2['write_modes'], sr2['sector_types']),
                         (False, ['SAO', 'TAO', 'TEST/SAO', 'TEST/TAO'], []))
        self.assertEqual(sr3['simulate_sector_types'], [])
        models = [e for e in events if e['event'] == 'drive-model']
        self.assertEqual([(m['vendor'], m['revision'], m['write_offset'], m['read_offset'],
                           m['source'], m['line']) for m in models],
                         [('DRVSIM', '*', 30, None, 'distribution', 1),
                          ('DRVSIM', '1.*', 6, None, 'local', 1),
                          ('PLEXTOR', '*', 30, None, 'local', 2),
                          ('DRVSIM', '2.*', None, -472, 'local', 3)])
        self.assertEqual(models[2]['file'], self.conf)

    def test_set_offset_writes_the_local_quirks_file(self):
        out = self.assert_ok(self.drives('set-offset', 'ACME', 'CD-RW  X', '-472'))
        self.assertIn('ACME CD-RW  X: write offset -472 samples, in %s' % self.conf, out)
        with open(self.conf) as f:
            self.assertEqual(f.read().splitlines()[-1],
                             'vendor="ACME" product="CD-RW  X" write-offset=-472')
        r = self.drives('set-offset', 'ACME', 'X', '88201')
        self.assertEqual(r.returncode, 1)
        self.assertIn('a write offset of 88201 samples is beyond ±88200', r.stderr)

    def test_info_shows_the_write_modes(self):
        out = self.assert_ok(self.ctl('info', 'sr2'))
        self.assertIn('Write modes: SAO TAO TEST/SAO TEST/TAO\n', out)
        self.assertIn('Raw writing: no\n', out)


class Tray(ClientTestCase):
    DRIVES = ('cdr80',)

    def test_eject_and_close_tray(self):
        self.assertEqual(self.assert_ok(self.ctl('eject')), 'sr0: tray open\n')
        self.assertIn('tray=open', self.daemon.ctl('sr0 state'))
        self.assertEqual(self.assert_ok(self.ctl('close-tray', '/dev/sr0')), 'sr0: tray closed\n')
        self.assertIn('tray=closed', self.daemon.ctl('sr0 state'))
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))

    def test_eject_json(self):
        (event,) = self.json_lines(self.assert_ok(self.ctl('eject', '--json', 'sr0')))
        self.assertEqual(event, {'event': 'eject', 'drive': 'sr0', 'ok': True})

    def test_drive_held_by_another_program(self):
        self.hold('sr0', 'Brasero')
        out = self.assert_ok(self.ctl('list'))
        self.assertIn('held by "Brasero"', out)
        self.assertIn('Exclusive owner: Brasero', self.assert_ok(self.ctl('info')))
        r = self.ctl('eject')
        self.assertEqual(r.returncode, EXIT_BUSY)
        self.assertIn('sr0: another program is using the drive (rawburnctl info names it): '
                      'wait until it has finished, or close it.', r.stderr)
        # The daemon's own words only on request.
        self.assertNotIn('RecorderLocked', r.stderr)
        r = self.ctl('--verbose', 'eject')
        self.assertIn('org.rawburn1.Error.RecorderLocked', r.stderr)
        self.assertIn('0xC0AA0210', r.stderr)
        r = self.ctl('eject', '--json')
        event = self.json_lines(r.stdout)[0]
        self.assertEqual(event['event'], 'error')
        self.assertEqual(event['name'], 'org.rawburn1.Error.RecorderLocked')
        self.assertIn('0xC0AA0210', event['message'])
        self.assertIn('another program is using the drive', event['hint'])
        self.assertEqual(event['exit_status'], EXIT_BUSY)


class Faults(ClientTestCase):
    DRIVES = ('cdr80', 'cdr80')

    def test_drive_gone(self):
        self.daemon.ctl('sr1 fault device-gone')
        r = self.ctl('eject', 'sr1')
        # Gone during the call (DeviceNotExist) or already removed (UnknownObject).
        self.assertEqual(r.returncode, EXIT_NO_DRIVE, r.stderr)
        self.assertIn('sr1: the drive is gone', r.stderr)

    def test_drive_stops_answering(self):
        # START STOP UNIT never answered: the daemon's 10 s command timeout.
        self.daemon.ctl('sr1 fault timeout op=0x1b count=1')
        r = self.ctl('eject', 'sr1')
        self.assertEqual(r.returncode, EXIT_FAILED, r.stderr)
        self.assertIn('sr1: the drive stopped answering: eject and reinsert the disc, or unplug '
                      'and replug the drive, then try again.', r.stderr)


class Monitor(ClientTestCase):
    DRIVES = ('cdr80', 'none')

    def start_monitor(self, *args):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address)
        proc = subprocess.Popen([RAWBURNCTL, 'monitor'] + list(args), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        # The drives are printed once the signals are subscribed: from here
        # on nothing can be missed.
        out = LineReader(proc.stdout)
        out.wait_for(lambda l: l.startswith('sr1') or '"drive":"sr1"' in l, 'the drive list')
        return proc, out

    def stop_monitor(self, proc):
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), 0)

    def test_hotplug_media_and_holders(self):
        proc, out = self.start_monitor()
        self.daemon.ctl('add cdrw80')
        line = out.wait_for(lambda l: 'drive added' in l)
        self.assertEqual(line, 'sr2: drive added: DRVSIM CD-RW RAW96 SIM 1.00 (/dev/sr2), '
                               'blank CD-RW, idle')
        self.daemon.ctl('sr2 eject')
        self.assertEqual(out.wait_for(lambda l: l.startswith('sr2: disc')), 'sr2: disc: no disc')
        self.daemon.ctl('sr2 insert cdr74')
        self.assertEqual(out.wait_for(lambda l: l.startswith('sr2: disc')),
                         'sr2: disc: blank CD-R')
        self.daemon.ctl('sr1 insert cdrw74')
        self.assertEqual(out.wait_for(lambda l: l.startswith('sr1: disc')),
                         'sr1: disc: blank CD-RW')
        conn = self.hold('sr0', 'K3b')
        self.assertEqual(out.wait_for(lambda l: l.startswith('sr0: state')),
                         'sr0: state: held by "K3b"')
        conn.close()
        self.assertEqual(out.wait_for(lambda l: l.startswith('sr0: state')), 'sr0: state: idle')
        self.daemon.ctl('remove sr2')
        self.assertEqual(out.wait_for(lambda l: 'removed' in l), 'sr2: drive removed')
        self.stop_monitor(proc)

    def test_daemon_going_away(self):
        proc, out = self.start_monitor()
        self.assertEqual(self.daemon.stop(), 0)
        out.wait_for(lambda l: l == 'rawburnd stopped')
        self.stop_monitor(proc)

    def test_json_events(self):
        proc, out = self.start_monitor('--json')
        first = json.loads(out.seen[0])
        self.assertEqual((first['event'], first['drive'], first['media']), ('drive', 'sr0', 'CD-R'))
        self.daemon.ctl('add cdrw74')
        added = json.loads(out.wait_for(lambda l: '"drive-added"' in l))
        self.assertEqual(added['drive'], 'sr2')
        self.assertEqual(added['last_leadout_lba'], 332850)
        self.daemon.ctl('sr2 eject')
        changed = json.loads(out.wait_for(lambda l: '"properties-changed"' in l and
                                          'DiscRecorder2' in l))
        self.assertEqual(changed['drive'], 'sr2')
        self.assertIs(changed['changed']['MediaPresent'], False)
        disc = json.loads(out.wait_for(lambda l: '"event":"disc"' in l))
        self.assertEqual(disc, {'event': 'disc', 'drive': 'sr2', 'disc': 'no disc'})
        self.daemon.ctl('remove sr2')
        gone = json.loads(out.wait_for(lambda l: '"drive-removed"' in l))
        self.assertEqual(gone, {'event': 'drive-removed', 'drive': 'sr2'})
        self.stop_monitor(proc)


class Permission(ClientTestCase):
    DRIVES = ('cdr80',)
    ARGS = ('--always-check-polkit',)

    def start_extra(self):
        self.polkitd = start_polkit_mock(self.bus.address)
        self.addCleanup(self.polkitd.wait)
        self.addCleanup(self.polkitd.terminate)

    def test_polkit_says_no(self):
        polkit_allow(self.bus.address)
        r = self.ctl('eject')
        self.assertEqual(r.returncode, EXIT_PERMISSION)
        self.assertIn('sr0: you are not allowed to do this: run rawburnctl in your desktop '
                      'session or as root, or ask the administrator to allow it (polkit).',
                      r.stderr)
        r = self.ctl('-v', 'eject')
        self.assertIn('org.freedesktop.DBus.Error.AccessDenied', r.stderr)
        self.assertIn('org.rawburn1.eject', r.stderr)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))
        polkit_allow(self.bus.address, 'org.rawburn1.eject')
        self.assert_ok(self.ctl('eject'))


class NoDaemon(unittest.TestCase):
    def test_no_rawburnd_on_the_bus(self):
        tmp = tempfile.mkdtemp(prefix='rawburnctl-test-')
        bus = Bus(tmp)
        self.addCleanup(bus.stop)
        for args in (['list'], ['info'], ['eject', 'sr0'], ['monitor', '--bogus']):
            r = rawburnctl(bus.address, *args)
            if args[-1] == '--bogus':
                self.assertEqual(r.returncode, EXIT_USAGE)
                continue
            self.assertEqual(r.returncode, EXIT_NO_DAEMON, args)
            self.assertIn('rawburnd is not running and could not be started: install rawburn '
                          'and start it with systemctl start rawburnd.', r.stderr)
        r = rawburnctl(bus.address, '--json', 'list')
        event = json.loads(r.stdout.splitlines()[0])
        self.assertEqual(event['name'], 'org.freedesktop.DBus.Error.ServiceUnknown')
        self.assertEqual(event['exit_status'], EXIT_NO_DAEMON)

    def test_drives_without_rawburnd_shows_the_quirks_files(self):
        tmp = tempfile.mkdtemp(prefix='rawburnctl-test-')
        bus = Bus(tmp)
        self.addCleanup(bus.stop)
        conf = os.path.join(tmp, 'quirks.conf')
        with open(conf, 'w') as f:
            f.write('vendor=PLEXTOR product="DVDR   PX-716A" write-offset=+30\n')
        r = rawburnctl(bus.address, 'drives', '--config', conf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, 'rawburnd is not running: no drives to show, only the quirks '
                                   'files\n\noffsets in /nonexistent/quirks.conf, then %s '
                                   '(the later wins):\n'
                                   '  VENDOR     PRODUCT            REVISION  WRITE OFFSET   '
                                   'READ OFFSET    FILE\n'
                                   '  PLEXTOR    DVDR   PX-716A     *         +30 samples    '
                                   '-              local:1\n'
                                   % conf)
        r = rawburnctl(bus.address, '--json', 'drives', '--config', conf)
        self.assertEqual([json.loads(l) for l in r.stdout.splitlines()],
                         [{'event': 'daemon', 'running': False},
                          {'event': 'drive-model', 'vendor': 'PLEXTOR', 'product': 'DVDR   PX-716A',
                           'revision': '*', 'write_offset': 30, 'read_offset': None,
                           'source': 'local', 'file': conf, 'line': 1}])
        # Without a system bus at all, the same.
        r = rawburnctl('unix:path=/nonexistent/bus', 'drives', '--config', conf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('PLEXTOR    DVDR   PX-716A     *         +30 samples    -              '
                      'local:1', r.stdout)

    def test_no_bus(self):
        r = rawburnctl('unix:path=/nonexistent/bus', 'list')
        self.assertEqual(r.returncode, EXIT_NO_DAEMON)
        self.assertIn('cannot connect to the system bus', r.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
