#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnd asks polkit (python-dbusmock's polkitd template on the private
system bus) before ejecting or taking a drive; --always-check-polkit makes it
ask for our root test callers too."""

import os
import re
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUS, DEADLINE, RAW_IFACE, REC_IFACE, CallError, Client, DaemonTestCase,
                     Monitor, busctl, drive_fds, gdbus_error, hold_as_udev, node_of, rec_path,
                     start_polkit_mock)

POLKIT = 'org.freedesktop.PolicyKit1'
AUTHORITY = '/org/freedesktop/PolicyKit1/Authority'


class Polkit(DaemonTestCase):
    DRIVES = ('cdr80',)
    ARGS = ('--always-check-polkit',)

    def start_extra(self):
        try:
            import dbusmock  # noqa: F401
        except ImportError:
            self.fail('python3-dbusmock missing')
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus.address)
        self.polkitd = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--system',
                                         '--template', 'polkitd'], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.polkitd.wait)
        self.addCleanup(self.polkitd.terminate)
        subprocess.run(['gdbus', 'wait', '--address', self.bus.address, '--timeout',
                        str(int(DEADLINE)), POLKIT], check=True)

    def allow(self, *actions):
        subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', POLKIT,
                        '--object-path', AUTHORITY, '--method',
                        'org.freedesktop.DBus.Mock.SetAllowed', str(list(actions))],
                       check=True, stdout=subprocess.DEVNULL)

    def test_eject_denied_then_allowed(self):
        self.allow()
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        self.assertIn('org.freedesktop.DBus.Error.AccessDenied', err)
        self.assertIn('Not authorized by polkit for action org.rawburn1.eject', err)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))

        self.allow('org.rawburn1.eject')
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        self.assertIn('tray=open', self.daemon.ctl('sr0 state'))

    def test_other_actions_do_not_authorize_eject(self):
        self.allow('org.rawburn1.acquire-exclusive-access', 'org.rawburn1.burn')
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        self.assertIn('Not authorized by polkit', err)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))

    def test_exclusive_access_needs_its_action(self):
        self.allow('org.rawburn1.eject')
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'AcquireExclusiveAccess',
                          'false', 'test')
        self.assertIn('Not authorized by polkit for action org.rawburn1.acquire-exclusive-access',
                      err)
        self.allow('org.rawburn1.acquire-exclusive-access')
        # busctl's connection ends with the call: the hold goes with it.
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'AcquireExclusiveAccess',
               'bs', 'false', 'test')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), '')
        self.assert_alive()


    def test_burn_denied_then_allowed(self):
        client = Client(self.address)
        self.addCleanup(client.close)
        self.allow('org.rawburn1.eject')
        name, message = client.error_of(client.prepare, ClientName='polkit-test')
        self.assertEqual(name, 'org.freedesktop.DBus.Error.AccessDenied', message)
        self.assertIn('org.rawburn1.burn', message)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        # A one-shot WriteMedia asks the same action before touching anything.
        r, w = os.pipe()
        name, message = client.error_of(client.write, r)
        os.close(r)
        os.close(w)
        self.assertEqual(name, 'org.freedesktop.DBus.Error.AccessDenied', message)
        self.allow('org.rawburn1.burn')
        self.assertEqual(client.prepare(ClientName='polkit-test'), 0)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')
        client.release()

    def test_releasing_another_callers_drive_needs_cancel_other(self):
        owner, other = Client(self.address), Client(self.address)
        self.addCleanup(owner.close)
        self.addCleanup(other.close)
        self.allow('org.rawburn1.burn')
        self.assertEqual(owner.prepare(ClientName='owner'), 0)
        name, message = other.error_of(other.release)
        self.assertEqual(name, 'org.freedesktop.DBus.Error.AccessDenied', message)
        self.assertIn('org.rawburn1.cancel-other', message)
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')
        self.allow('org.rawburn1.burn', 'org.rawburn1.cancel-other')
        other.release()
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def check_flags(self):
        """AllowUserInteraction flags of every CheckAuthorization polkit saw."""
        r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', POLKIT,
                            '--object-path', AUTHORITY, '--method',
                            'org.freedesktop.DBus.Mock.GetMethodCalls', 'CheckAuthorization'],
                           capture_output=True, text=True, check=True)
        # ([(uint64 t, [<subject>, <'action'>, <details>, <uint32 flags>, <'cancel id'>])],)
        return [int(x) for x in re.findall(r'<uint32 (\d+)>', r.stdout)]

    def test_interactive_flag_comes_from_the_message_header(self):
        self.allow('org.rawburn1.eject')
        # gdbus call does not allow interactive authorization; busctl does by
        # default (--allow-interactive-authorization=yes).
        subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', BUS,
                        '--object-path', rec_path('sr0'), '--method',
                        REC_IFACE + '.CloseTray'], check=True, stdout=subprocess.DEVNULL)
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'CloseTray')
        busctl(self.address, '--allow-interactive-authorization=no', 'call', BUS,
               rec_path('sr0'), REC_IFACE, 'CloseTray')
        self.assertEqual(self.check_flags(), [0, 1, 0])

    def test_subject_is_the_callers_bus_name(self):
        self.allow('org.rawburn1.eject')
        busctl(self.address, 'call', BUS, rec_path('sr0'), REC_IFACE, 'CloseTray')
        r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', POLKIT,
                            '--object-path', AUTHORITY, '--method',
                            'org.freedesktop.DBus.Mock.GetMethodCalls', 'CheckAuthorization'],
                           capture_output=True, text=True, check=True)
        self.assertIn("'system-bus-name'", r.stdout)
        self.assertIn("'org.rawburn1.eject'", r.stdout)
        self.assertRegex(r.stdout, r"'name': <':1\.\d+'>")


ERASE_IFACE = 'org.rawburn1.DiscFormat2Erase'
E = 'org.rawburn1.Error.'
ALL_ACTIONS = ['org.rawburn1.' + a for a in ('burn', 'eject', 'acquire-exclusive-access',
                                             'erase', 'read', 'cancel-other')]


class Pending:
    """A call made on its own thread (GDBus does its I/O on another one), to
    be answered later: wait() returns the result or the CallError."""

    def __init__(self, client, name, iface, method, signature, args=(), fds=()):
        self.outcome = None

        def run():
            try:
                self.outcome = client.call(name, iface, method, signature, args, fds=fds)
            except CallError as e:
                self.outcome = e
            except Exception as e:  # noqa: BLE001 (the connection closed by the test)
                self.outcome = e
        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def wait(self):
        self.thread.join(DEADLINE * 3)
        if self.thread.is_alive():
            raise AssertionError('no answer')
        return self.outcome

    def error_name(self):
        outcome = self.wait()
        return outcome.name if isinstance(outcome, CallError) else 'success: %r' % (outcome,)


class PolkitDecidesMeanwhile(DaemonTestCase):
    """While polkit decides, the drive may be taken by another caller or
    unplugged: the call runs again from the top with polkit's answer and sees
    the drive as it is then. polkitd's mock holds the questions for the
    actions given to hold() until answer()."""
    DRIVES = ('cdr80',)
    ARGS = ('--always-check-polkit',)

    def start_extra(self):
        self.polkitd = start_polkit_mock(self.bus.address)
        self.addCleanup(self.polkitd.wait)
        self.addCleanup(self.polkitd.terminate)

    def mock(self, method, *args):
        r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', POLKIT,
                            '--object-path', AUTHORITY, '--method',
                            'org.freedesktop.DBus.Mock.' + method] + list(args),
                           check=True, capture_output=True, text=True)
        return r.stdout.strip()

    def hold(self, *actions):
        self.mock('SetAllowed', str(ALL_ACTIONS))
        self.mock('SimulateHangActions', str(['org.rawburn1.' + a for a in actions]))

    def questions(self):
        """How many CheckAuthorization polkitd's mock has been sent so far."""
        return len(re.findall(r'<uint32 \d+>', self.mock('GetMethodCalls', 'CheckAuthorization')))

    def asked(self, count):
        """Waits until polkitd's mock has been sent count questions in all."""
        end = time.monotonic() + DEADLINE
        while self.questions() < count:
            self.assertLess(time.monotonic(), end, 'polkit was not asked')
            time.sleep(0.05)

    def answer(self):
        self.mock('ReleaseHangingCalls')

    def setUp(self):
        super().setUp()
        self.mon = Monitor(self.address)
        self.addCleanup(self.mon.stop)

    def client(self):
        c = Client(self.address)
        self.addCleanup(c.close)
        return c

    def add_drive(self):
        name = self.daemon.ctl('add cdr80')[0]
        self.mon.wait_for(lambda l: 'InterfacesAdded' in l and rec_path(name) in l)
        return name

    def remove_drive(self, name):
        self.daemon.ctl('remove ' + name)
        self.mon.wait_for(lambda l: 'InterfacesRemoved' in l and rec_path(name) in l)

    def settle(self):
        """A reply of the daemon's to a call sent after the answer was queued
        behind it: two pings, since the first may have been read before."""
        for _ in range(2):
            self.assert_alive()

    def pipe(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        return r, w

    def test_a_drive_unplugged_meanwhile_is_device_not_exist(self):
        r, w = self.pipe()
        calls = [
            ('eject', REC_IFACE, 'EjectMedia', '', ()),
            ('eject', REC_IFACE, 'CloseTray', '', ()),
            ('acquire-exclusive-access', REC_IFACE, 'AcquireExclusiveAccess', 'bs',
             (False, 'meanwhile')),
            ('burn', RAW_IFACE, 'PrepareMedia', 'a{sv}', ({},), ()),
            ('burn', RAW_IFACE, 'WriteMedia', 'h', (0,), (r,)),
            ('burn', RAW_IFACE, 'WriteMedia2', 'hi', (0, 22650), (r,)),
            ('read', RAW_IFACE, 'ReadMedia', 'hii', (0, 0, 1), (w,)),
            ('erase', ERASE_IFACE, 'EraseMedia', 'a{sv}', ({},)),
        ]
        caller = self.client()
        for action, iface, method, sig, args, *fds in calls:
            with self.subTest(method=method):
                self.hold(action)
                name = self.add_drive()
                asked = self.questions()
                call = Pending(caller, name, iface, method, sig, args, *fds)
                self.asked(asked + 1)
                self.remove_drive(name)
                self.answer()
                self.assertEqual(call.error_name(), E + 'DeviceNotExist')
        self.assert_alive()

    def test_release_of_an_unplugged_drive_is_device_not_exist(self):
        self.hold('cancel-other')
        name = self.add_drive()
        owner, other = self.client(), self.client()
        self.assertEqual(owner.prepare(name, ClientName='owner'), 0)
        asked = self.questions()
        call = Pending(other, name, RAW_IFACE, 'ReleaseMedia', '')
        self.asked(asked + 1)
        self.remove_drive(name)
        self.answer()
        self.assertEqual(call.error_name(), E + 'DeviceNotExist')
        self.assert_alive()

    def test_cancel_of_an_unplugged_drive_is_device_not_exist(self):
        self.hold('cancel-other')
        name = self.add_drive()
        owner, other = self.client(), self.client()
        self.assertEqual(owner.prepare(name, ClientName='owner'), 0)
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        write = Pending(owner, name, RAW_IFACE, 'WriteMedia', 'h', (0,), (r,))
        end = time.monotonic() + DEADLINE
        while self.prop(name, RAW_IFACE, 'State') != 'writing':
            self.assertLess(time.monotonic(), end, 'the write did not start')
            time.sleep(0.05)
        asked = self.questions()
        call = Pending(other, name, RAW_IFACE, 'CancelWrite', '')
        self.asked(asked + 1)
        self.remove_drive(name)
        os.close(w)  # the burn thread may wait for the stream
        self.answer()
        self.assertEqual(call.error_name(), E + 'DeviceNotExist')
        self.assertEqual(write.error_name(), E + 'DeviceNotExist')
        self.assert_alive()

    def test_a_drive_taken_meanwhile_is_recorder_locked(self):
        r, w = self.pipe()
        self.hold('eject', 'burn', 'erase', 'read')
        caller, holder = self.client(), self.client()
        calls = [Pending(caller, 'sr0', REC_IFACE, 'EjectMedia', ''),
                 Pending(caller, 'sr0', RAW_IFACE, 'PrepareMedia', 'a{sv}', ({},)),
                 Pending(caller, 'sr0', RAW_IFACE, 'WriteMedia', 'h', (0,), (r,)),
                 Pending(caller, 'sr0', RAW_IFACE, 'ReadMedia', 'hii', (0, 0, 1), (w,)),
                 Pending(caller, 'sr0', ERASE_IFACE, 'EraseMedia', 'a{sv}', ({},))]
        self.asked(len(calls))  # the first questions of this daemon
        holder.call('sr0', REC_IFACE, 'AcquireExclusiveAccess', 'bs', (False, 'holder'))
        self.answer()
        self.assertEqual([c.error_name() for c in calls], [E + 'RecorderLocked'] * len(calls))
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), 'holder')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')

    def test_a_caller_gone_meanwhile_takes_nothing(self):
        self.hold('burn', 'acquire-exclusive-access')
        caller = Client(self.address)
        Pending(caller, 'sr0', RAW_IFACE, 'PrepareMedia', 'a{sv}', ({},))
        Pending(caller, 'sr0', REC_IFACE, 'AcquireExclusiveAccess', 'bs', (False, 'gone'))
        self.asked(2)  # the first questions of this daemon
        caller.close()
        self.answer()
        self.settle()
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
        self.assertEqual(self.prop('sr0', REC_IFACE, 'ExclusiveAccessOwner'), '')
        self.assertEqual(drive_fds(self.daemon), [])

    def test_a_call_that_waits_for_the_probe_is_asked_once(self):
        # A drive whose write modes are not confirmed yet (MODE SENSE not ready while
        # rawburnd first looked): the next look confirms them with the drive open
        # exclusively, held up here by a MODE SELECT that times out. PrepareMedia,
        # allowed by polkit, meanwhile waits for that probe and then runs again with the
        # same answer: polkit is asked once, and the drive is prepared.
        self.hold()
        name = self.daemon.ctl('add cdr80,fault=sense:02/04/01:op=0x5a')[0]
        self.mon.wait_for(lambda l: 'InterfacesAdded' in l and rec_path(name) in l)
        self.daemon.ctl(name + ' clear-faults', name + ' fault timeout op=0x55 count=1',
                        name + ' eject', name + ' close-tray')
        end = time.monotonic() + DEADLINE
        while any('timeout' in line for line in self.daemon.ctl(name + ' state')
                  if line.startswith('faults=')):
            self.assertLess(time.monotonic(), end, 'the probe never sent MODE SELECT')
            time.sleep(0.05)
        caller = self.client()
        self.assertEqual(caller.prepare(name), 0)
        self.assertEqual(self.questions(), 1)
        caller.release(name)

    def test_a_call_that_waits_for_udev_is_asked_once(self):
        # udevd processing an event of the drive holds a shared flock on its node:
        # PrepareMedia, allowed by polkit, runs again every 100 ms until udevd lets go,
        # each time with the answer it already has.
        self.hold()
        udev = hold_as_udev(node_of(self.daemon))
        caller = self.client()
        t = threading.Thread(target=lambda: result.append(caller.prepare('sr0')), daemon=True)
        result = []
        t.start()
        # Other messages come meanwhile, as they do on a desktop's bus.
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'idle')
            time.sleep(0.05)
        os.close(udev)
        t.join(DEADLINE * 3)
        self.assertEqual(result, [0])
        self.assertIn('sr0: PrepareMedia waits for udev', self.daemon.read_log())
        self.assertEqual(self.questions(), 1)
        caller.release('sr0')


class PolkitAbsent(DaemonTestCase):
    """No polkitd on the bus: asking fails, and the answer is a clear denial."""
    DRIVES = ('cdr80',)
    ARGS = ('--always-check-polkit',)

    def test_no_polkit_means_no(self):
        err = gdbus_error(self.address, rec_path('sr0'), REC_IFACE, 'EjectMedia')
        self.assertIn('Could not check authorization', err)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))
        self.assert_alive()


if __name__ == '__main__':
    unittest.main(verbosity=2)
