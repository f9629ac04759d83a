#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnd on drivesim and a private system bus, seen through busctl and
gdbus: drives, every property, the introspection contract, hotplug, media
changes, bad input. Expected values come from drivesim's documented media
(docs/drivesim.md) and MMC/IMAPI2 numbering, not from the daemon."""

import json
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUS, MGR_IFACE, RAW_IFACE, REC_IFACE, SOURCE, DaemonTestCase, Monitor,
                     busctl, call_error, gdbus_error, prop, rec_path)

ECS = 'org.freedesktop.DBus.Property.EmitsChangedSignal'


def members(iface_element):
    """The comparable shape of an interface: names, argument names, types,
    directions, access, and whether changes are signalled."""
    out = set()
    for m in iface_element:
        if m.tag == 'method':
            args = tuple((a.get('name'), a.get('type'), a.get('direction', 'in'))
                         for a in m.findall('arg'))
            out.add(('method', m.get('name'), args))
        elif m.tag == 'signal':
            args = tuple((a.get('name'), a.get('type')) for a in m.findall('arg'))
            out.add(('signal', m.get('name'), args))
        elif m.tag == 'property':
            ecs = 'true'
            for a in m.findall('annotation'):
                if a.get('name') == ECS:
                    ecs = a.get('value')
            out.add(('property', m.get('name'), m.get('type'), m.get('access'), ecs))
    return out


class Drives(DaemonTestCase):
    def test_busctl_tree_lists_the_drives(self):
        r = busctl(self.address, 'tree', BUS)
        self.assertIn('/org/rawburn1/recorder/sr0', r.stdout)
        self.assertIn('/org/rawburn1/recorder/sr1', r.stdout)

    def test_manager_lists_recorders(self):
        r = busctl(self.address, '--json=short', 'call', BUS, '/org/rawburn1', MGR_IFACE,
                   'EnumerateRecorders')
        self.assertEqual(json.loads(r.stdout)['data'][0], [rec_path('sr0'), rec_path('sr1')])
        r = busctl(self.address, '--json=short', 'get-property', BUS, '/org/rawburn1', MGR_IFACE,
                   'IsSupportedEnvironment')
        self.assertTrue(json.loads(r.stdout)['data'])

    def test_object_manager_gives_both_interfaces(self):
        r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', BUS,
                            '--object-path', '/org/rawburn1', '--method',
                            'org.freedesktop.DBus.ObjectManager.GetManagedObjects'],
                           capture_output=True, text=True, check=True)
        for name in ('sr0', 'sr1'):
            self.assertIn("'%s'" % rec_path(name), r.stdout)
        self.assertIn("'VendorId': <'DRVSIM'>", r.stdout)
        self.assertIn("'StartOfNextSession': <-11634>", r.stdout)

    def test_recorder_identity(self):
        self.assertEqual(self.prop('sr0', REC_IFACE, 'VendorId'), 'DRVSIM')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ProductId'), 'CD-RW RAW96 SIM')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ProductRevision'), '1.00')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'VolumeName'), '/dev/sr0')
        self.assertEqual(self.prop('sr1', REC_IFACE, 'LegacyDeviceNumber'), 1)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'DevicePaths'), ['/dev/sr0', '/dev/sg0'])
        self.assertEqual(self.prop('sr0', REC_IFACE, 'VolumePathNames'), [])
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ActiveDiscRecorder'),
                         'pci-0000:00:1f.2-ata-2')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), '')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ProbeError'), '')
        self.assertTrue(self.prop('sr0', REC_IFACE, 'DeviceCanLoadMedia'))

    def test_profiles_features_mode_pages(self):
        profiles = self.prop('sr0', REC_IFACE, 'SupportedProfiles')
        # MMC profiles: 0008h CD-ROM, 0009h CD-R, 000Ah CD-RW
        for p in (0x08, 0x09, 0x0a):
            self.assertIn(p, profiles)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'CurrentProfiles'), [0x09])
        self.assertEqual(self.prop('sr1', REC_IFACE, 'CurrentProfiles'), [0x0a])
        features = self.prop('sr0', REC_IFACE, 'SupportedFeaturePages')
        # Profile list, Core, CD Track at Once, CD Mastering
        for f in (0x0000, 0x0001, 0x002d, 0x002e):
            self.assertIn(f, features)
        self.assertTrue(set(self.prop('sr0', REC_IFACE, 'CurrentFeaturePages')) <= set(features))
        pages = self.prop('sr0', REC_IFACE, 'SupportedModePages')
        self.assertIn(0x05, pages)  # write parameters
        self.assertIn(0x2a, pages)  # capabilities

    def test_rawcd_properties_of_blank_cdr80(self):
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'IsRecorderSupported'))
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'IsCurrentMediaSupported'))
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'MediaHeuristicallyBlank'))
        # IMAPI_MEDIA_TYPE_CDR = 2, CDRW = 3
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'CurrentPhysicalMediaType'), 2)
        self.assertEqual(self.prop('sr1', RAW_IFACE, 'CurrentPhysicalMediaType'), 3)
        self.assertEqual(sorted(self.prop('sr0', RAW_IFACE, 'SupportedMediaTypes')), [2, 3])
        # ATIP lead-in start 97:26:66 = LBA -11634; last lead-out 79:59:74 = 359849
        # (80 min) and 74:00:00 = 332850 (74 min).
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'StartOfNextSession'), -11634)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'LastPossibleStartOfLeadout'), 359849)
        self.assertEqual(self.prop('sr1', RAW_IFACE, 'LastPossibleStartOfLeadout'), 332850)
        sectors = self.prop('sr0', RAW_IFACE, 'SupportedSectorTypes')
        self.assertIn(1, sectors)  # PQ only
        self.assertIn(3, sectors)  # raw P-W
        speeds = self.prop('sr0', RAW_IFACE, 'SupportedWriteSpeeds')
        # default speed=48: 48 x 75 sectors/s is the highest
        self.assertEqual(max(speeds), 3600)
        descriptors = self.prop('sr0', RAW_IFACE, 'SupportedWriteSpeedDescriptors')
        self.assertEqual([d[2] for d in descriptors], speeds)
        self.assertTrue(all(d[0] == 2 for d in descriptors))
        self.assertIn(self.prop('sr0', RAW_IFACE, 'CurrentWriteSpeed'), speeds)

    def test_gdbus_reads_every_property(self):
        for iface, xml in ((REC_IFACE, 'org.rawburn1.DiscRecorder2.xml'),
                           (RAW_IFACE, 'org.rawburn1.DiscFormat2RawCD.xml')):
            names = [p.get('name') for p in
                     ET.parse(os.path.join(SOURCE, 'dbus', xml)).getroot().iter('property')]
            r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', BUS,
                                '--object-path', rec_path('sr0'), '--method',
                                'org.freedesktop.DBus.Properties.GetAll', iface],
                               capture_output=True, text=True, check=True)
            for n in names:
                if n != 'VolumePathNames':
                    self.assertIn("'%s':" % n, r.stdout)
            for n in names:
                r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', BUS,
                                    '--object-path', rec_path('sr0'), '--method',
                                    'org.freedesktop.DBus.Properties.Get', iface, n],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, n + ': ' + r.stderr)

    def test_introspection_matches_the_xml_contract(self):
        for path, files in (('/org/rawburn1', ['org.rawburn1.Manager.xml']),
                            (rec_path('sr0'), ['org.rawburn1.DiscRecorder2.xml',
                                               'org.rawburn1.DiscFormat2RawCD.xml',
                                               'org.rawburn1.DiscFormat2Erase.xml'])):
            r = busctl(self.address, '--json=short', 'call', BUS, path,
                       'org.freedesktop.DBus.Introspectable', 'Introspect')
            served = ET.fromstring(json.loads(r.stdout)['data'][0])
            served_ifaces = {i.get('name'): i for i in served.findall('interface')}
            contract = set()
            for f in files:
                contract |= {i.get('name') for i in
                             ET.parse(os.path.join(SOURCE, 'dbus', f)).getroot()
                             .findall('interface')}
            self.assertEqual({n for n in served_ifaces if n.startswith('org.rawburn1.')},
                             contract)
            for f in files:
                for iface in ET.parse(os.path.join(SOURCE, 'dbus', f)).getroot() \
                               .findall('interface'):
                    name = iface.get('name')
                    self.assertIn(name, served_ifaces)
                    self.assertEqual(members(served_ifaces[name]), members(iface),
                                     '%s differs from dbus/%s' % (name, f))

    def test_arguments_carry_names(self):
        r = subprocess.run(['gdbus', 'introspect', '--address', self.address, '--dest', BUS,
                            '--object-path', rec_path('sr0')], capture_output=True, text=True,
                           check=True)
        self.assertIn('AcquireExclusiveAccess(in  b force,', r.stdout)


class Hotplug(DaemonTestCase):
    DRIVES = ('cdr80',)

    def test_drive_added_and_removed(self):
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        name = self.daemon.ctl('add cdrw80')[0]
        self.assertEqual(name, 'sr1')
        mon.wait_for(lambda l: 'InterfacesAdded' in l and rec_path('sr1') in l)
        # Announced with real values already.
        self.assertEqual(self.prop('sr1', REC_IFACE, 'VendorId'), 'DRVSIM')
        self.assertEqual(self.prop('sr1', RAW_IFACE, 'CurrentPhysicalMediaType'), 3)
        self.daemon.ctl('remove sr1')
        mon.wait_for(lambda l: 'InterfacesRemoved' in l and rec_path('sr1') in l)
        r = busctl(self.address, 'tree', BUS)
        self.assertNotIn(rec_path('sr1'), r.stdout)
        self.assert_alive()

    def test_media_eject_and_insert(self):
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        self.daemon.ctl('sr0 eject')
        mon.wait_for(lambda l: 'PropertiesChanged' in l and RAW_IFACE in l and
                     prop('CurrentPhysicalMediaType', 'int32 0') in l)
        self.assertFalse(self.prop('sr0', REC_IFACE, 'MediaPresent'))
        self.assertFalse(self.prop('sr0', RAW_IFACE, 'MediaPhysicallyBlank'))
        self.assertEqual(self.prop('sr0', REC_IFACE, 'CurrentProfiles'), [])
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'SupportedWriteSpeeds'), [])
        self.daemon.ctl('sr0 insert cdrw74')
        mon.wait_for(lambda l: 'PropertiesChanged' in l and RAW_IFACE in l and
                     prop('CurrentPhysicalMediaType', 'int32 3') in l)
        self.assertTrue(self.prop('sr0', REC_IFACE, 'MediaPresent'))
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'LastPossibleStartOfLeadout'), 332850)

    def test_eject_method_opens_the_tray(self):
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        mon.wait_for(lambda l: 'PropertiesChanged' in l and prop('MediaPresent', 'boolean false') in l)
        # As on a real drive, the disc waits in the open tray.
        self.assertIn('tray=open', self.daemon.ctl('sr0 state'))

    def test_mcn_disabled_until_enabled_or_caller_leaves(self):
        try:
            import dbus
        except ImportError:
            self.fail('python3-dbus missing')
        conn = dbus.bus.BusConnection(self.address)
        rec = dbus.Interface(conn.get_object(BUS, rec_path('sr0')), REC_IFACE)
        rec.DisableMcn()
        rec.DisableMcn()  # counted
        self.daemon.ctl('sr0 eject')
        # Not followed while disabled (a round trip through the daemon after
        # drivesim has sent the uevent).
        self.assertTrue(self.prop('sr0', REC_IFACE, 'MediaPresent'))
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        rec.EnableMcn()
        self.assertTrue(self.prop('sr0', REC_IFACE, 'MediaPresent'))
        # The last EnableMcn reads the drive again and tells.
        rec.EnableMcn()
        mon.wait_for(lambda l: prop('MediaPresent', 'boolean false') in l)
        # Disabled again by a caller that then leaves: re-enabled, as IMAPI2
        # re-enables MCN for an application that exits.
        rec.DisableMcn()
        conn.close()
        busctl(self.address, 'call', BUS, '/org/rawburn1', 'org.freedesktop.DBus.Peer', 'Ping')
        self.daemon.ctl('sr0 insert cdr80')
        mon.wait_for(lambda l: prop('MediaPresent', 'boolean true') in l)


class ExclusiveAccess(DaemonTestCase):
    DRIVES = ('cdr80',)

    def connect(self):
        try:
            import dbus
        except ImportError:
            self.fail('python3-dbus missing')
        conn = dbus.bus.BusConnection(self.address)
        rec = dbus.Interface(conn.get_object(BUS, rec_path('sr0')), REC_IFACE)
        return conn, rec

    def test_holder_locks_out_others_until_it_leaves(self):
        conn, rec = self.connect()
        rec.AcquireExclusiveAccess(False, 'Burner App')
        rec.AcquireExclusiveAccess(False, 'Burner App')  # counted
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), 'Burner App')
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        self.assertIn('org.rawburn1.Error.RecorderLocked', err)
        self.assertIn('0xC0AA0210', err)
        self.assertIn('Burner App', err)
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'AcquireExclusiveAccess',
                          'true', 'other')
        self.assertIn('RecorderLocked', err)
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'ReleaseExclusiveAccess')
        self.assertIn('RecorderLocked', err)
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'DisableMcn')
        self.assertIn('RecorderLocked', err)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))
        rec.ReleaseExclusiveAccess()
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), 'Burner App')
        # The holder itself may eject.
        rec.EjectMedia()
        self.assertIn('tray=open', self.daemon.ctl('sr0 state'))
        mon = Monitor(self.address)
        self.addCleanup(mon.stop)
        conn.close()
        mon.wait_for(lambda l: prop('ExclusiveAccessOwner', 'string ""') in l)
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'CloseTray')

    def test_release_without_hold(self):
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'ReleaseExclusiveAccess')
        self.assertIn('org.rawburn1.Error.Fail', err)
        self.assert_alive()

    def test_release_by_count(self):
        conn, rec = self.connect()
        self.addCleanup(conn.close)
        rec.AcquireExclusiveAccess(False, 'one')
        rec.ReleaseExclusiveAccess()
        # Released: a second client can take it.
        conn2, rec2 = self.connect()
        self.addCleanup(conn2.close)
        rec2.AcquireExclusiveAccess(False, 'two')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), 'two')


class BadInput(DaemonTestCase):
    def test_wrong_argument_types(self):
        err = call_error(self.address, rec_path('sr0'), REC_IFACE, 'AcquireExclusiveAccess',
                         's', 'x')
        self.assertIn('nvalid', err)
        err = call_error(self.address, rec_path('sr0'), REC_IFACE, 'EjectMedia', 's', 'x')
        self.assertIn('nvalid', err)
        self.assert_alive()

    def test_invalid_client_name(self):
        err = call_error(self.address, rec_path('sr0'), REC_IFACE, 'AcquireExclusiveAccess',
                         'bs', 'false', '')
        self.assertIn('0xC0AA0211', err)  # E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID
        self.assert_alive()

    def test_unknown_object_and_member(self):
        err = call_error(self.address, rec_path('sr9'), REC_IFACE, 'EjectMedia')
        self.assertIn('nknown', err)
        err = call_error(self.address, rec_path('sr0'), REC_IFACE, 'Frobnicate')
        self.assertIn('nknown', err)
        r = busctl(self.address, 'get-property', BUS, rec_path('sr0'), REC_IFACE, 'Nope',
                   check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assert_alive()

    def test_call_on_a_vanished_drive(self):
        self.daemon.ctl('remove sr1')
        mon = Monitor(self.address)
        mon.stop()
        # The object goes with the drive (possibly a moment after the uevent).
        for _ in range(2):
            err = call_error(self.address, rec_path('sr1'), REC_IFACE, 'EjectMedia')
            self.assertTrue('nknown' in err or 'DeviceNotExist' in err or '0x80070037' in err,
                            err)
        self.assert_alive()

    def test_device_gone_mid_command(self):
        self.daemon.ctl('sr1 fault device-gone')
        err = call_error(self.address, rec_path('sr1'), REC_IFACE, 'EjectMedia')
        self.assertTrue('DeviceNotExist' in err or '0x80070037' in err or 'nknown' in err, err)
        self.assert_alive()

    def test_command_timeout_reaches_the_caller(self):
        # The drive never answers START STOP UNIT: SG_IO gives up after the
        # daemon's 10 s command timeout (host status DID_TIME_OUT).
        self.daemon.ctl('sr1 fault timeout op=0x1b count=1')
        err = gdbus_error(self.address, rec_path('sr1'), REC_IFACE, 'EjectMedia')
        self.assertIn('org.rawburn1.Error.RecorderCommandTimeout', err)
        self.assertIn('0xC0AA020D', err)
        self.assert_alive()


class Misbehaving(DaemonTestCase):
    DRIVES = ('cdr80,fault=invalid-response:op=0x46', 'cdr80', 'cdr80,fault=upside-down')

    def test_sense_is_named(self):
        # drivesim's upside-down disc: 02/57/00 → E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN
        err = self.prop('sr2', REC_IFACE, 'ProbeError')
        self.assertIn('02/57/00', err)
        self.assertIn('RecorderMediaUpsideDown', err)
        self.assertFalse(self.prop('sr2', RAW_IFACE, 'MediaPhysicallyBlank'))

    def test_bad_drive_is_marked_not_fatal(self):
        self.assertIn('GET CONFIGURATION', self.prop('sr0', REC_IFACE, 'ProbeError'))
        self.assertEqual(self.prop('sr0', REC_IFACE, 'VendorId'), 'DRVSIM')
        self.assertEqual(self.prop('sr1', REC_IFACE, 'ProbeError'), '')
        self.assert_alive()


if __name__ == '__main__':
    unittest.main(verbosity=2)
