#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exclusive, and always let go (issue 9 point 2): from PrepareMedia to
ReleaseMedia the drive's node is held with flock(LOCK_EX) (what systemd's
BLOCK_DEVICE_LOCKING asks of burners; `flock -n` on the same node from here
finds it taken) and the tray is locked (drivesim's `locked`); the eject
button does nothing while writing and works again after; everything is let
go on release, cancel, the owner leaving, drive removal and SIGTERM; after a
SIGKILL the unit's ExecStopPost (rawburnd --unlock-trays) or the next start
unlocks the tray."""

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (DEADLINE, RAW_IFACE, CallError, Client, Daemon, DaemonTestCase, Monitor,
                     drive_fds, drive_state, hold_as_udev, make_image, node_of, prop, rec_path,
                     update_action)

E = 'org.rawburn1.Error.'
# rawburnd gone: its bus name loses its owner.
NAME_RULE = ("type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',"
             "arg0='org.rawburn1'")


def flock_free(path):
    """What another BLOCK_DEVICE_LOCKING user finds: util-linux flock -n."""
    return subprocess.run(['flock', '-n', path, 'true']).returncode == 0


class Locking(DaemonTestCase):
    DRIVES = ('cdr80,realtime,speed=48', 'cdr80')

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.images = tempfile.mkdtemp(prefix='rawburn-locking-')
        cls.image = make_image(cls.images, 3)
        # A write the tests act on part way (eject button, cancel): 6,000
        # sectors, 1.7 s of data at 48x, so a loaded host still finds it
        # writing after the first Update of the data phase.
        cls.long_image = make_image(cls.images, 3, sectors=(3000, 3000), name='long.img')

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.images, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.client = Client(self.address)
        self.addCleanup(self.client.close)
        self.monitor = Monitor(self.address)
        self.addCleanup(self.monitor.stop)
        self.node = node_of(self.daemon)

    def assert_held(self, name='sr0'):
        self.assertFalse(flock_free(node_of(self.daemon, name)), 'the node is not flocked')
        self.assertEqual(drive_state(self.daemon, name)['locked'], 'yes')

    def assert_let_go(self, name='sr0'):
        if self.prop(name, RAW_IFACE, 'State') != 'idle':
            self.monitor.wait_for(lambda m: 'path=%s;' % rec_path(name) in m and
                                  prop('State', 'string "idle"') in m)
        self.assertTrue(flock_free(node_of(self.daemon, name)), 'the node stays flocked')
        self.assertEqual(drive_state(self.daemon, name)['locked'], 'no')
        self.assertEqual(drive_fds(self.daemon, name), [])

    def write_in_background(self, name='sr0'):
        fd = os.open(self.long_image, os.O_RDONLY)

        def write():
            try:
                return self.client.write(fd, name=name)
            finally:
                os.close(fd)

        return self.call_in_background(write)

    def test_held_from_prepare_to_release(self):
        self.assertTrue(flock_free(self.node))
        self.assertEqual(self.client.prepare(RequestedSectorType=3, ClientName='locker'), 0)
        self.assert_held()
        self.client.release()
        self.assert_let_go()

    def test_drive_held_by_another_program(self):
        # Another BLOCK_DEVICE_LOCKING user (udisks, cdrdao, a mount) holds
        # the node: every call that needs the drive says so, and works once
        # it lets go.
        held = os.open(self.node, os.O_RDONLY | os.O_CLOEXEC)
        self.addCleanup(lambda: held_open and os.close(held))
        held_open = True
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.assertFalse(flock_free(self.node))
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        fd = os.open(self.image, os.O_RDONLY)
        self.addCleanup(os.close, fd)
        calls = {
            'PrepareMedia': lambda: self.client.prepare(RequestedSectorType=3),
            'WriteMedia': lambda: self.client.write(fd),
            'ReadMedia': lambda: self.client.call('sr0', RAW_IFACE, 'ReadMedia', 'hii',
                                                  (0, 0, 10), fds=(w,)),
            'EraseMedia': lambda: self.client.call('sr0', 'org.rawburn1.DiscFormat2Erase',
                                                   'EraseMedia', 'a{sv}', ({},)),
            'AcquireExclusiveAccess': lambda: self.client.raw().AcquireExclusiveAccess(
                False, 'locker'),
        }
        for method, call in calls.items():
            with self.subTest(method=method):
                with self.assertRaises(CallError) as caught:
                    call()
                self.assertEqual(caught.exception.name, E + 'AccessDenied')
                self.assertIn('in use by another program', caught.exception.message)
                self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        os.close(held)
        held_open = False
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        self.assert_held()
        self.client.release()
        self.assert_let_go()

    def call_in_background(self, call):
        """Runs call on a thread; the result says what came back, and when."""
        result = {}

        def run():
            try:
                result['value'] = call()
                result['error'] = None
            except CallError as e:
                result['error'], result['message'] = e.name, e.message
            result['at'] = time.monotonic()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t, result

    def test_waits_while_udev_reads_a_new_disc(self):
        # PrepareMedia sent as the disc goes in meets udev's shared flock:
        # it waits for udev to be done, not "in use by another program".
        udev = hold_as_udev(self.node)
        self.addCleanup(lambda: udev_open and os.close(udev))
        udev_open = True
        t, result = self.call_in_background(
            lambda: self.client.prepare(RequestedSectorType=3, ClientName='early'))
        time.sleep(1.0)
        self.assertNotIn('at', result, 'PrepareMedia answered while udev held the drive')
        self.assertIn('sr0: PrepareMedia waits for udev to finish with the drive',
                      self.daemon.read_log())
        let_go = time.monotonic()
        os.close(udev)
        udev_open = False
        t.join(DEADLINE * 3)
        self.assertIsNone(result.get('error', 'no answer'), result)
        self.assertEqual(result['value'], 0)
        self.assertGreaterEqual(result['at'], let_go)
        self.assert_held()
        self.client.release()
        self.assert_let_go()

    def test_waits_for_udev_then_hears_the_drive_left(self):
        udev = hold_as_udev(node_of(self.daemon, 'sr1'))
        self.addCleanup(os.close, udev)
        t, result = self.call_in_background(
            lambda: self.client.prepare('sr1', RequestedSectorType=3))
        wait_until = time.monotonic() + DEADLINE
        while 'sr1: PrepareMedia waits for udev' not in self.daemon.read_log():
            self.assertLess(time.monotonic(), wait_until, 'PrepareMedia did not wait for udev')
            time.sleep(0.05)
        self.daemon.ctl('remove sr1')
        t.join(DEADLINE * 3)
        self.assertEqual(result.get('error'), E + 'DeviceNotExist', result)
        self.assert_alive()

    def wait_for_drive_writing(self, name='sr0'):
        deadline = time.monotonic() + DEADLINE
        while drive_state(self.daemon, name)['writing'] != 'yes':
            self.assertLess(time.monotonic(), deadline, '%s never received a WRITE' % name)
            time.sleep(0.005)

    def test_eject_button_does_nothing_while_writing(self):
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        t, result = self.write_in_background()
        self.monitor.wait_for(lambda m: update_action(m) == 2)
        # Update says "writing" as the burn thread starts; the button is
        # pressed once the drive has its first WRITE, so the burn is on the disc.
        self.wait_for_drive_writing()
        self.daemon.ctl('sr0 eject')  # the button: DISK_EJECT_REQUEST, the tray stays shut
        state = drive_state(self.daemon)
        self.assertEqual(state['tray'], 'closed')
        self.assertEqual(state['writing'], 'yes')
        t.join(DEADLINE * 3)
        self.assertIsNone(result['error'])
        self.client.release()
        self.assert_let_go()
        self.daemon.ctl('sr0 eject')  # and works again after
        self.assertEqual(drive_state(self.daemon)['tray'], 'open')

    def test_let_go_on_cancel(self):
        self.assertEqual(self.client.prepare(RequestedSectorType=3), 0)
        t, result = self.write_in_background()
        self.monitor.wait_for(lambda m: update_action(m) == 2)
        self.assert_held()
        self.client.raw().CancelWrite()
        t.join(DEADLINE * 3)
        self.assertEqual(result['error'], E + 'RequestCancelled')
        self.assert_held()  # still prepared: the owner releases
        self.client.release()
        self.assert_let_go()

    def test_let_go_when_the_owner_leaves(self):
        owner = Client(self.address)
        self.assertEqual(owner.prepare('sr1', RequestedSectorType=3), 0)
        self.assert_held('sr1')
        owner.close()
        self.assert_let_go('sr1')

    def test_let_go_when_the_drive_is_removed(self):
        self.assertEqual(self.client.prepare('sr1', RequestedSectorType=3), 0)
        self.daemon.ctl('remove sr1')
        self.monitor.wait_for(lambda m: 'member=InterfacesRemoved' in m)
        self.assertEqual(drive_fds(self.daemon, 'sr1'), [])
        self.assert_alive()


class UdevNeverLetsGo(DaemonTestCase):
    """udev stuck on a disc: the call waits --ready-timeout, then says who
    holds the drive and what to do."""
    DRIVES = ('cdr80',)
    ARGS = ('--ready-timeout=2',)

    def test_gives_up_after_the_ready_timeout(self):
        client = Client(self.address)
        self.addCleanup(client.close)
        udev = hold_as_udev(node_of(self.daemon))
        self.addCleanup(lambda: udev_open and os.close(udev))
        udev_open = True
        started = time.monotonic()
        with self.assertRaises(CallError) as caught:
            client.prepare(RequestedSectorType=3)
        self.assertGreaterEqual(time.monotonic() - started, 2.0)
        self.assertEqual(caught.exception.name, E + 'RecorderMediaBecomingReady')
        self.assertIn('udev is still examining the drive after more than 2 s',
                      caught.exception.message)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        self.assertEqual(drive_fds(self.daemon), [])
        # And once udev is done, the drive is there to take.
        os.close(udev)
        udev_open = False
        self.assertEqual(client.prepare(RequestedSectorType=3), 0)
        client.release()


class Killed(DaemonTestCase):
    """rawburnd run as systemd runs the unit (rawburnd-lifecycle.sh): the
    drives outlive the daemon."""
    DRIVES = ('cdr80,realtime,speed=48',)

    def setUp(self):
        import tempfile
        from harness import Bus
        self.tmp = tempfile.mkdtemp(prefix='rawburnd-test-')
        self.bus = Bus(self.tmp)
        self.addCleanup(self.bus.stop)
        self.daemon = Daemon(self.tmp, self.bus, self.DRIVES, lifecycle=True)
        self.addCleanup(self.stop_daemon)
        self.address = self.bus.address
        # Long enough (1.7 s of data at 48x) to be still writing when SIGTERM comes.
        self.image = make_image(self.tmp, 3, sectors=(3000, 3000))

    def test_sigterm_during_a_write_cancels_and_unlocks(self):
        client = Client(self.address)
        self.addCleanup(client.close)
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        gone = Monitor(self.address, NAME_RULE)
        self.addCleanup(gone.stop)
        self.assertEqual(client.prepare(RequestedSectorType=3), 0)
        result = {}
        fd = os.open(self.image, os.O_RDONLY)

        def run():
            try:
                client.write(fd)
                result['error'] = None
            except CallError as e:
                result['error'] = e.name
                result['message'] = e.message

        t = threading.Thread(target=run, daemon=True)
        t.start()
        monitor.wait_for(lambda m: update_action(m) == 2)
        self.assertEqual(drive_state(self.daemon)['locked'], 'yes')
        pid = self.daemon.pid()
        os.kill(pid, signal.SIGTERM)
        t.join(DEADLINE * 3)
        os.close(fd)
        # The caller heard why, and the drive was let go before rawburnd ended.
        self.assertEqual(result['error'], E + 'RequestCancelled', result)
        gone.wait_for(lambda m: 'member=NameOwnerChanged' in m)
        state = drive_state(self.daemon)
        self.assertEqual(state['locked'], 'no')
        self.assertEqual(state['writing'], 'no')
        self.assertIn('Received Terminated', self.daemon.read_log())

    def sigkill_while_prepared(self):
        client = Client(self.address)
        gone = Monitor(self.address, NAME_RULE)
        self.addCleanup(gone.stop)
        self.assertEqual(client.prepare(RequestedSectorType=3), 0)
        self.assertEqual(drive_state(self.daemon)['locked'], 'yes')
        os.kill(self.daemon.pid(), signal.SIGKILL)
        gone.wait_for(lambda m: 'member=NameOwnerChanged' in m)
        client.close()
        # Killed, rawburnd could not unlock: the tray stays locked.
        self.assertEqual(drive_state(self.daemon)['locked'], 'yes')

    def test_after_sigkill_exec_stop_post_unlocks(self):
        self.sigkill_while_prepared()
        # systemd runs ExecStopPost, then (here) the unit is started again:
        # the script runs them one after the other.
        self.daemon.step('stop-post')
        self.daemon.step('start')
        self.daemon.wait_on_bus()
        log = self.daemon.read_log()
        self.assertIn('unlock-trays 0', log)
        self.assertIn('left locked by a rawburnd that did not stop cleanly', log)
        # The mark went with it: the new rawburnd found nothing to unlock.
        self.assertNotIn('unlocked the tray an earlier rawburnd left locked', log)
        self.assertEqual(drive_state(self.daemon)['locked'], 'no')

    def test_after_sigkill_the_next_start_unlocks(self):
        self.sigkill_while_prepared()
        self.daemon.step('start')
        self.daemon.wait_on_bus()
        self.assertEqual(drive_state(self.daemon)['locked'], 'no')
        self.assertIn('unlocked the tray an earlier rawburnd left locked', self.daemon.read_log())
        # And the drive burns.
        client = Client(self.address)
        self.addCleanup(client.close)
        fd = os.open(self.image, os.O_RDONLY)
        try:
            client.write(fd)
        finally:
            os.close(fd)
        self.assertEqual(drive_state(self.daemon)['disc'], 'complete')


if __name__ == '__main__':
    unittest.main(verbosity=2)
