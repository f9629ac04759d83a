#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnd learns each drive's write modes at discovery: drivesim drives with fewer
modes (SPEC key modes=, docs/drivesim.md) report what they really accept in
SupportedWriteModes, IsRecorderSupported and SupportedSectorTypes follow, page 05h is
left as the drive had it, and the quirks file takes away what it names. The expected
lists are written out from drivesim's documented modes, not from the daemon."""

import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import RAW_IFACE, REC_IFACE, Client, DaemonTestCase, Monitor, prop, rec_path

EVERYTHING = ['RAW/R96R', 'RAW/R96P', 'RAW/R16', 'SAO', 'TAO',
              'TEST/RAW/R96R', 'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO', 'TEST/TAO']


def state(daemon, name):
    """drivesim's state dump of a drive as a dict."""
    return dict(line.split('=', 1) for line in daemon.ctl(name + ' state'))


class Profiles(DaemonTestCase):
    DRIVES = ('cdr80',                              # sr0: every mode
              'cdr80,modes=sao,tao',                # sr1: no raw writing
              'cdr80,modes=raw96p,raw16,sao',       # sr2: no R96R (002Eh still claims it)
              'cdr80,modes=notest-raw',             # sr3: no Test Write in RAW
              'cdr80,modes=notest',                 # sr4: no Test Write at all
              'cdrw',                               # sr5: a CD-RW in a default drive
              'cdr80,modes=raw')                    # sr6: raw only (power-on page RAW/R96R)

    def test_default_drive_has_everything(self):
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'), EVERYTHING)
        self.assertEqual(self.prop('sr5', REC_IFACE, 'SupportedWriteModes'), EVERYTHING)
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'IsRecorderSupported'))
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'SupportedSectorTypes'), [1, 2, 3])

    def test_drive_without_raw(self):
        self.assertEqual(self.prop('sr1', REC_IFACE, 'SupportedWriteModes'),
                         ['SAO', 'TAO', 'TEST/SAO', 'TEST/TAO'])
        # Not a raw recorder: IMAPI2's IsRecorderSupported and no sector type.
        self.assertFalse(self.prop('sr1', RAW_IFACE, 'IsRecorderSupported'))
        self.assertFalse(self.prop('sr1', RAW_IFACE, 'IsCurrentMediaSupported'))
        self.assertEqual(self.prop('sr1', RAW_IFACE, 'SupportedSectorTypes'), [])

    def test_drive_without_r96r(self):
        # Feature 002Eh's R-W bit claims both P-W forms; the MODE SELECT probe of RAW with
        # data block type 3 is refused (05/26/00), so R96R is not listed.
        self.assertEqual(self.prop('sr2', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96P', 'RAW/R16', 'SAO',
                          'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO'])
        self.assertTrue(self.prop('sr2', RAW_IFACE, 'IsRecorderSupported'))
        # IMAPI sector types: 1 PQ only (R16), 2 cooked (R96P); not 3 raw (R96R).
        self.assertEqual(self.prop('sr2', RAW_IFACE, 'SupportedSectorTypes'), [1, 2])

    def test_drives_without_test_write(self):
        # 002Eh's one Test Write bit stays set for SAO: only MODE SELECT tells that RAW
        # cannot simulate.
        self.assertEqual(self.prop('sr3', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96R', 'RAW/R96P', 'RAW/R16', 'SAO', 'TAO',
                          'TEST/SAO', 'TEST/TAO'])
        self.assertEqual(self.prop('sr4', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96R', 'RAW/R96P', 'RAW/R16', 'SAO', 'TAO'])
        self.assertEqual(self.prop('sr4', RAW_IFACE, 'SupportedSectorTypes'), [1, 2, 3])

    def test_raw_only_drive(self):
        self.assertEqual(self.prop('sr6', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96R', 'RAW/R96P', 'RAW/R16',
                          'TEST/RAW/R96R', 'TEST/RAW/R96P', 'TEST/RAW/R16'])

    def test_page05_is_left_as_it_was(self):
        # Each drive's power-on page 05h (docs/drivesim.md, modes=): TAO Mode 1, else SAO,
        # else RAW with the first raw mode; no Test Write. The probes end on a page with
        # Test Write, so a drive not put back would show it.
        power_on = {'sr0': ('1', '8'), 'sr1': ('1', '8'), 'sr2': ('2', '8'), 'sr3': ('1', '8'),
                    'sr4': ('1', '8'), 'sr5': ('1', '8'), 'sr6': ('3', '3')}
        for name, (write_type, block_type) in power_on.items():
            s = state(self.daemon, name)
            self.assertEqual((s['write_type'], s['block_type'], s['test_write'], s['bufe']),
                             (write_type, block_type, 'no', 'no'), name)
            # The probes wrote nothing.
            self.assertEqual(s['disc'], 'blank', name)
            self.assertEqual(s['writes'], '0', name)

    def test_modes_logged_once_per_drive(self):
        log = self.daemon.read_log()
        self.assertIn('Drive sr1 writes SAO TAO TEST/SAO TEST/TAO', log)
        self.assertEqual(log.count('Drive sr1 writes'), 1)
        self.assertNotIn('not confirmed', log)

    def test_media_change_keeps_the_modes_without_probing_again(self):
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        # The next MODE SELECT would fail and use the fault up.
        self.daemon.ctl('sr2 fault sense 05/26/00 op=0x55 count=1')
        self.daemon.ctl('sr2 eject')
        mon.wait_for(lambda l: rec_path('sr2') in l and
                     prop('MediaPresent', 'boolean false') in l)
        self.daemon.ctl('sr2 insert cdrw74')
        mon.wait_for(lambda l: rec_path('sr2') in l and
                     prop('MediaPresent', 'boolean true') in l)
        self.assertEqual(self.prop('sr2', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96P', 'RAW/R16', 'SAO',
                          'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO'])
        # The fault is still armed: no MODE SELECT reached the drive.
        self.assertIn('sense:05/26/00,op=0x55,count=1', state(self.daemon, 'sr2')['faults'])

    def test_hotplugged_drive_is_probed(self):
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        name = self.daemon.ctl('add cdr80,modes=raw16,notest-raw')[0]
        self.assertEqual(name, 'sr7')
        mon.wait_for(lambda l: 'InterfacesAdded' in l and rec_path('sr7') in l)
        self.assertEqual(self.prop('sr7', REC_IFACE, 'SupportedWriteModes'), ['RAW/R16'])
        self.assertEqual(self.prop('sr7', RAW_IFACE, 'SupportedSectorTypes'), [1])
        s = state(self.daemon, 'sr7')
        self.assertEqual((s['write_type'], s['block_type'], s['test_write']), ('3', '1', 'no'))


class PrepareMedia(DaemonTestCase):
    # PrepareMedia refuses at once what the drive cannot write, and its own look at the
    # drive (the probe on its exclusive descriptor) keeps the modes found at discovery.
    DRIVES = ('cdr80,modes=raw96p,raw16,sao', 'cdr80,modes=sao,tao')

    def setUp(self):
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)

    def test_refused_before_the_disc_is_touched(self):
        name, message = self.client.error_of(self.client.prepare, 'sr0', RequestedSectorType=3)
        self.assertEqual(name, 'org.rawburn1.Error.DataBlockTypeNotSupported')
        name, message = self.client.error_of(self.client.prepare, 'sr1', RequestedSectorType=2)
        self.assertEqual(name, 'org.rawburn1.Error.RecorderNotSupported')
        self.assertIn('SupportedWriteModes', message)
        for drive in ('sr0', 'sr1'):
            s = state(self.daemon, drive)
            self.assertEqual((s['locked'], s['writes'], s['disc']), ('no', '0', 'blank'))

    def test_prepare_keeps_the_confirmed_modes(self):
        want = ['RAW/R96P', 'RAW/R16', 'SAO', 'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO']
        self.assertEqual(self.client.prepare('sr0', RequestedSectorType=2), 0)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'), want)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'SupportedSectorTypes'), [1, 2])
        self.client.release('sr0')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'), want)


class UnconfirmedProbe(DaemonTestCase):
    # sr0 refuses every MODE SENSE with NOT READY while rawburnd first looks at it, so the
    # probes cannot run: the claim from GET CONFIGURATION stands, and the probes run when
    # the drive is looked at again.
    DRIVES = ('cdr80,modes=raw96p,raw16,sao,fault=sense:02/04/01:op=0x5a',)

    def test_claimed_until_confirmed(self):
        # 002Eh claims R96R too (its R-W bit covers both P-W forms).
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96R', 'RAW/R96P', 'RAW/R16', 'SAO',
                          'TEST/RAW/R96R', 'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO'])
        self.assertIn('not confirmed by MODE SELECT', self.daemon.read_log())
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        self.daemon.ctl('sr0 clear-faults', 'sr0 eject', 'sr0 close-tray')
        mon.wait_for(lambda l: 'string "SupportedWriteModes" variant array [ string "RAW/R96P"'
                     in l)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96P', 'RAW/R16', 'SAO',
                          'TEST/RAW/R96P', 'TEST/RAW/R16', 'TEST/SAO'])


class PrepareDuringProbe(DaemonTestCase):
    # rawburnd's own probe confirms the write modes with the drive open exclusively (on a
    # drive just plugged in, or one whose modes are not confirmed yet). A PrepareMedia
    # that comes meanwhile is no other program's conflict: it waits for the probe and
    # then prepares, instead of AccessDenied "in use by another program". The probe is
    # held up by a MODE SELECT that times out (10 s), so the call surely comes inside it.
    DRIVES = ('cdr80,fault=sense:02/04/01:op=0x5a',)

    def test_prepare_waits_for_the_probe(self):
        client = Client(self.address)
        self.addCleanup(client.close)
        self.assertIn('not confirmed by MODE SELECT', self.daemon.read_log())
        self.daemon.ctl('sr0 clear-faults', 'sr0 fault timeout op=0x55 count=1',
                        'sr0 eject', 'sr0 close-tray')
        # The probe is inside the MODE SELECT once drivesim has used the fault up.
        deadline = time.monotonic() + 30
        while 'timeout' in state(self.daemon, 'sr0')['faults']:
            self.assertLess(time.monotonic(), deadline, 'the probe never sent MODE SELECT')
            time.sleep(0.05)
        self.assertEqual(client.prepare('sr0'), 0)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')
        client.release('sr0')
        self.assertEqual(state(self.daemon, 'sr0')['locked'], 'no')


class Quirks(DaemonTestCase):
    DRIVES = ('cdr80', 'cdr80,revision=2.00', 'cdr80,vendor=OTHER')
    QUIRKS = '\n'.join([
        '# drivesim as a drive with quirks',
        'vendor=DRVSIM product="CD-RW RAW96 SIM" revision=1.* drop=RAW/R96P,TEST/* '
        'write-offset=+30',
        'vendor=DRVSIM revision=2.* drop=SAO',
        'this line is wrong',
        'vendor=OTHER drop=RAW/* write-offset=+6',
        ''])
    # The local administrator's file, read after the distribution's: its offsets win.
    LOCAL_QUIRKS = '\n'.join([
        'vendor=OTHER write-offset=+667',
        'vendor=DRVSIM revision=1.* write-offset=lots',
        ''])

    def start_extra(self):
        path = os.path.join(self.tmp, 'quirks.conf')
        with open(path, 'w') as f:
            f.write(self.QUIRKS)
        local = os.path.join(self.tmp, 'local-quirks.conf')
        with open(local, 'w') as f:
            f.write(self.LOCAL_QUIRKS)
        self.ARGS = ('--quirks', path, '--local-quirks', local)

    def test_quirks_drop_modes(self):
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'),
                         ['RAW/R96R', 'RAW/R16', 'SAO', 'TAO'])
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'SupportedSectorTypes'), [1, 3])
        # Revision 2.00 is not 1.*: only its own line applies.
        self.assertEqual(self.prop('sr1', REC_IFACE, 'SupportedWriteModes'),
                         [m for m in EVERYTHING if m not in ('SAO', 'TEST/SAO')])
        # RAW/* takes the raw modes and so their Test Write.
        self.assertEqual(self.prop('sr2', REC_IFACE, 'SupportedWriteModes'),
                         ['SAO', 'TAO', 'TEST/SAO', 'TEST/TAO'])
        self.assertFalse(self.prop('sr2', RAW_IFACE, 'IsRecorderSupported'))

    def test_offset_and_bad_line_logged(self):
        log = self.daemon.read_log()
        self.assertIn('Drive sr0: write offset +30 samples (distribution quirks file)', log)
        self.assertNotIn('Drive sr1: write offset', log)
        self.assertIn("quirks.conf:4: 'this' is not KEY=VALUE; line ignored", log)
        self.assertIn('local-quirks.conf:2: write-offset=lots: give samples from -88200 to '
                      '+88200, e.g. +30 or -472; line ignored', log)
        self.assertIn('Drive sr2: write offset +667 samples (local quirks file)', log)

    def test_write_offset_property(self):
        # drivesim's own model, DRVSIM CD-RW RAW96 SIM 1.00: the distribution's +30 (the
        # local file's bad line for it is skipped).
        self.assertEqual(self.prop('sr0', REC_IFACE, 'WriteOffset'), 30)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'WriteOffsetSource'), 'distribution')
        # Revision 2.00: no line with an offset.
        self.assertEqual(self.prop('sr1', REC_IFACE, 'WriteOffset'), 0)
        self.assertEqual(self.prop('sr1', REC_IFACE, 'WriteOffsetSource'), 'none')
        # Both files name OTHER: the local one wins.
        self.assertEqual(self.prop('sr2', REC_IFACE, 'WriteOffset'), 667)
        self.assertEqual(self.prop('sr2', REC_IFACE, 'WriteOffsetSource'), 'local')

    def test_reload_on_sighup(self):
        # The administrator changes the local file (rawburnctl drives set-offset does) and
        # reloads: the drives take the new entries without a restart, and what the files no
        # longer say goes (sr0's drops, sr2's offset falls back to the distribution's).
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        with open(os.path.join(self.tmp, 'local-quirks.conf'), 'w') as f:
            f.write('vendor=DRVSIM revision=1.* write-offset=-12\n')
        with open(os.path.join(self.tmp, 'quirks.conf'), 'w') as f:
            f.write('vendor=OTHER write-offset=+6\n')
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        mon.wait_for(lambda l: 'WriteOffset' in l and 'int32 -12' in l)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'WriteOffset'), -12)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'WriteOffsetSource'), 'local')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'SupportedWriteModes'), EVERYTHING)
        self.assertEqual(self.prop('sr2', REC_IFACE, 'WriteOffset'), 6)
        self.assertEqual(self.prop('sr2', REC_IFACE, 'WriteOffsetSource'), 'distribution')
        self.assertEqual(self.prop('sr2', REC_IFACE, 'SupportedWriteModes'), EVERYTHING)
        self.assertIn('drive quirks read again: 2 entries', self.daemon.read_log())
        self.assert_alive()


if __name__ == '__main__':
    unittest.main(verbosity=2)
