#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""IMAPI2's set-up order on the real rawburnd: a caller sets ClientName and
the other settable properties, and calls SetWriteSpeed, before its
PrepareMedia, as Microsoft's raw-CD sample does. The values are kept for
that caller's bus connection, checked at once, shown to it alone, applied
by its PrepareMedia (whose options win) and gone when it leaves the bus.
And the shell: a disc burnt with `gdbus call` alone."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUS, RAW_IFACE, REC_IFACE, CallError, Client, DaemonTestCase, Monitor,
                     disc_matches_image, get_property, make_image, prop, rec_path)

E = 'org.rawburn1.Error.'
LIMITS = 'org.freedesktop.DBus.Error.LimitsExceeded'
STAGED_MAX = 16  # RAWCD_STAGED_MAX (daemon/service/rawcd-staged.h)
SETTABLE_DEFAULTS = {'ClientName': '', 'RequestedSectorType': 2,
                     'BufferUnderrunFreeDisabled': False, 'RequestedWriteSpeed': -1,
                     'RequestedRotationTypeIsPureCAV': False}


class ImapiOrder(DaemonTestCase):
    DRIVES = ('cdr80',)

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.images = tempfile.mkdtemp(prefix='rawburn-order-')
        cls.image = make_image(cls.images, 3)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.images, ignore_errors=True)

    def client(self):
        c = Client(self.address)
        self.addCleanup(c.close)
        return c

    def settable(self, client):
        """The settable properties as this caller sees them."""
        props = client.props()
        return {name: props.Get(RAW_IFACE, name) for name in SETTABLE_DEFAULTS}

    def settable_by_busctl(self):
        """... and as a newcomer (busctl, a connection of its own) sees them."""
        return {name: get_property(self.address, rec_path('sr0'), RAW_IFACE, name)
                for name in SETTABLE_DEFAULTS}

    def test_imapi2_call_order_burns(self):
        # put_ClientName, put_RequestedSectorType, SetWriteSpeed, PrepareMedia,
        # WriteMedia, ReleaseMedia: one connection, as one IMAPI2 format object.
        app = self.client()
        props = app.props()
        props.Set(RAW_IFACE, 'ClientName', 'IMAPI2 raw sample')
        props.Set(RAW_IFACE, 'RequestedSectorType', 3)
        self.assertEqual(int(app.raw().SetWriteSpeed(16 * 75, False)), 0)
        self.assertEqual(self.settable(app), {
            'ClientName': 'IMAPI2 raw sample', 'RequestedSectorType': 3,
            'BufferUnderrunFreeDisabled': False, 'RequestedWriteSpeed': 16 * 75,
            'RequestedRotationTypeIsPureCAV': False})
        # Nothing is taken yet: the drive is free for anyone.
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'Owner'), '')

        self.assertEqual(app.prepare(), 0)
        # Applied: everyone sees the owner's settings now.
        self.assertEqual(self.settable_by_busctl()['ClientName'], 'IMAPI2 raw sample')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'RequestedSectorType'), 3)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'RequestedWriteSpeed'), 16 * 75)
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'),
                         'IMAPI2 raw sample')
        state = dict(l.split('=', 1) for l in self.daemon.ctl('sr0 state'))
        self.assertEqual(state['block_type'], '3')
        # From here on IMAPI2's rules: the name is the one the lock was taken under.
        with self.assertRaises(CallError) as caught:
            props.Set(RAW_IFACE, 'ClientName', 'renamed')
        self.assertEqual(caught.exception.name, E + 'MediaIsPrepared')

        fd = os.open(self.image, os.O_RDONLY)
        try:
            app.write(fd)
        finally:
            os.close(fd)
        app.release()
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.image, 3)
        self.assertTrue(ok, 'recorded disc differs from the image (%s vs %s)' % (got, want))
        # The staged values went with the PrepareMedia that applied them.
        self.assertEqual(self.settable(app), SETTABLE_DEFAULTS)

    def test_staged_values_are_the_callers_alone(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        a, b = self.client(), self.client()
        a.props().Set(RAW_IFACE, 'ClientName', 'alpha-secret')
        a.props().Set(RAW_IFACE, 'RequestedSectorType', 1)
        a.props().Set(RAW_IFACE, 'BufferUnderrunFreeDisabled', True)
        a.props().Set(RAW_IFACE, 'RequestedWriteSpeed', 8 * 75)
        a.props().Set(RAW_IFACE, 'RequestedRotationTypeIsPureCAV', True)
        mine = {'ClientName': 'alpha-secret', 'RequestedSectorType': 1,
                'BufferUnderrunFreeDisabled': True, 'RequestedWriteSpeed': 8 * 75,
                'RequestedRotationTypeIsPureCAV': True}
        self.assertEqual(self.settable(a), mine)
        # GetAll and GetManagedObjects say the same to the caller.
        all_props = a.call('sr0', 'org.freedesktop.DBus.Properties', 'GetAll', 's',
                           (RAW_IFACE,))[0]
        self.assertEqual({k: all_props[k] for k in mine}, mine)
        # Others see the defaults, and what they stage stays theirs.
        self.assertEqual(self.settable(b), SETTABLE_DEFAULTS)
        self.assertEqual(self.settable_by_busctl(), SETTABLE_DEFAULTS)
        b.props().Set(RAW_IFACE, 'ClientName', 'beta')
        b.raw().SetWriteSpeed(4 * 75, False)
        self.assertEqual(self.settable(a), mine)
        self.assertEqual(self.settable(b)['ClientName'], 'beta')
        self.assertEqual(self.settable(b)['RequestedWriteSpeed'], 4 * 75)

        # b prepares with its own values; a's are not applied, and were never
        # signalled: PropertiesChanged carries what everyone sees.
        self.assertEqual(b.prepare(RequestedSectorType=3), 0)
        seen = []
        monitor.wait_for(lambda m: seen.append(m) or (
            'member=PropertiesChanged' in m and 'variant string "prepared"' in m))
        self.assertFalse([m for m in seen if 'alpha-secret' in m], seen)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'ClientName'), 'beta')
        self.assertFalse(self.prop('sr0', RAW_IFACE, 'BufferUnderrunFreeDisabled'))
        # While b holds the drive, a cannot change anything (IMAPI2's lock) ...
        with self.assertRaises(CallError) as caught:
            a.props().Set(RAW_IFACE, 'RequestedWriteSpeed', -1)
        self.assertEqual(caught.exception.name, E + 'RecorderLocked')
        with self.assertRaises(CallError) as caught:
            a.raw().SetWriteSpeed(-1, False)
        self.assertEqual(caught.exception.name, E + 'RecorderLocked')
        # ... and still sees its own values, b its settings.
        self.assertEqual(self.settable(a), mine)
        self.assertEqual(self.settable(b)['ClientName'], 'beta')
        b.release()
        # a's PrepareMedia applies them once the drive is free (drivesim has
        # no pure CAV speeds: S_IMAPI_ROTATIONADJUSTED).
        self.assertEqual(a.prepare(), 0x00AA0005)
        self.assertEqual(self.settable_by_busctl(), mine)
        a.release()

    def test_checked_at_once(self):
        a = self.client()
        for prop, value, error in (('ClientName', '', 'ClientNameIsNotValid'),
                                   ('ClientName', 'tab\there', 'ClientNameIsNotValid'),
                                   ('ClientName', 'x' * 65, 'ClientNameIsNotValid'),
                                   ('RequestedSectorType', 0, 'InvalidArg'),
                                   ('RequestedSectorType', 4, 'InvalidArg'),
                                   ('RequestedWriteSpeed', -2, 'InvalidArg'),
                                   ('RequestedWriteSpeed', 0, 'InvalidArg')):
            with self.subTest(prop=prop, value=value):
                with self.assertRaises(CallError) as caught:
                    a.props().Set(RAW_IFACE, prop, value)
                self.assertEqual(caught.exception.name, E + error, caught.exception.message)
        for speed in (0, -5, 27859):
            with self.subTest(speed=speed):
                with self.assertRaises(CallError) as caught:
                    a.raw().SetWriteSpeed(speed, False)
                self.assertEqual(caught.exception.name, E + 'InvalidArg')
        # Nothing of it was kept.
        self.assertEqual(self.settable(a), SETTABLE_DEFAULTS)

    def test_prepare_options_win(self):
        a = self.client()
        a.props().Set(RAW_IFACE, 'ClientName', 'staged-name')
        a.props().Set(RAW_IFACE, 'RequestedSectorType', 1)
        a.props().Set(RAW_IFACE, 'BufferUnderrunFreeDisabled', True)
        self.assertEqual(a.prepare(ClientName='option-name', RequestedSectorType=3), 0)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'ClientName'), 'option-name')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'RequestedSectorType'), 3)
        # What the options did not name comes from the staged values.
        self.assertTrue(self.prop('sr0', RAW_IFACE, 'BufferUnderrunFreeDisabled'))
        self.assertEqual(drive_state_of(self.daemon)['bufe'], 'no')
        a.release()

    def test_one_shot_write_media_applies_them(self):
        a = self.client()
        a.props().Set(RAW_IFACE, 'ClientName', 'one-shot-app')
        a.props().Set(RAW_IFACE, 'RequestedSectorType', 3)
        fd = os.open(self.image, os.O_RDONLY)
        try:
            a.write(fd)
        finally:
            os.close(fd)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.image, 3)
        self.assertTrue(ok, 'recorded disc differs from the image (%s vs %s)' % (got, want))
        self.assertIn('prepared for "one-shot-app"', self.daemon.read_log())
        self.assertEqual(self.settable(a), SETTABLE_DEFAULTS)

    def test_bounded_and_dropped_when_the_caller_leaves(self):
        callers = [self.client() for _ in range(STAGED_MAX)]
        for i, c in enumerate(callers):
            c.props().Set(RAW_IFACE, 'ClientName', 'caller-%d' % i)
        late = self.client()
        with self.assertRaises(CallError) as caught:
            late.props().Set(RAW_IFACE, 'ClientName', 'late')
        self.assertEqual(caught.exception.name, LIMITS)
        with self.assertRaises(CallError) as caught:
            late.raw().SetWriteSpeed(-1, False)
        self.assertEqual(caught.exception.name, LIMITS)
        # PrepareMedia's options do not need a place in the table.
        self.assertEqual(late.prepare(ClientName='late'), 0)
        late.release()
        # A caller that leaves the bus frees its place: once the bus has said
        # so (NameOwnerChanged reaches rawburnd before late's next call).
        gone = callers[0].conn.get_unique_name()
        monitor = Monitor(self.address, "type='signal',member='NameOwnerChanged'")
        self.addCleanup(monitor.stop)
        callers[0].close()
        monitor.wait_for(lambda m: 'string "%s" string "%s" string ""' % (gone, gone) in m)
        late.props().Set(RAW_IFACE, 'ClientName', 'late')
        self.assertEqual(self.settable(late)['ClientName'], 'late')
        self.assertEqual(self.settable(callers[1])['ClientName'], 'caller-1')

    def test_dropped_when_the_drive_goes(self):
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        a = self.client()
        a.props().Set(RAW_IFACE, 'ClientName', 'unplugged')
        self.daemon.ctl('remove sr0')
        monitor.wait_for(lambda m: 'member=InterfacesRemoved' in m and rec_path('sr0') in m)
        self.assertIn('sr0: the settings 1 callers staged go with the drive',
                      self.daemon.read_log())
        # The caller leaving afterwards finds nothing of the drive to touch.
        a.close()
        self.assert_alive()


def drive_state_of(daemon):
    return dict(l.split('=', 1) for l in daemon.ctl('sr0 state'))


class Shell(DaemonTestCase):
    """The shell is enough: gdbus passes descriptors on every systemd; busctl
    only from systemd 257 (docs/app-guide.md)."""
    DRIVES = ('cdr80',)

    def gdbus(self, method, *args, redirect=''):
        cmd = ('gdbus call --address "$ADDR" --dest %s --object-path %s --timeout 600 '
               '--method %s.%s %s %s' % (BUS, rec_path('sr0'), RAW_IFACE, method,
                                          ' '.join("'%s'" % a for a in args), redirect))
        return subprocess.run(['sh', '-c', cmd], env=dict(os.environ, ADDR=self.address),
                              capture_output=True, text=True, timeout=600)

    def test_burn_with_gdbus_call_alone(self):
        image = make_image(self.tmp, 2)  # the one-shot preparation's sector type
        # Each gdbus call is a bus connection of its own: a PrepareMedia by
        # itself is let go when gdbus exits, as any owner leaving the bus.
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        r = self.gdbus('PrepareMedia', '{"ClientName": <"shell">}')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), '(uint32 0,)')
        monitor.wait_for(lambda m: prop('State', 'string "prepared"') in m)
        monitor.wait_for(lambda m: prop('State', 'string "idle"') in m)
        # So the shell burns with one WriteMedia: it prepares, writes and releases.
        r = self.gdbus('WriteMedia', 'handle 3', redirect='3<"%s"' % image)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), '()')
        ok, got, want = disc_matches_image(self.daemon, self.tmp, image, 2)
        self.assertTrue(ok, 'recorded disc differs from the image (%s vs %s)' % (got, want))
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        # Nothing is left to release.
        r = self.gdbus('ReleaseMedia')
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(E + 'MediaIsNotPrepared', r.stderr)
        # And the disc is no longer blank: a second burn is refused by name.
        r = self.gdbus('WriteMedia', 'handle 3', redirect='3<"%s"' % image)
        self.assertIn(E + 'MediaIsNotBlank', r.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
