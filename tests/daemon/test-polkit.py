#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rawburnd asks polkit (python-dbusmock's polkitd template on the private
system bus) before ejecting or taking a drive; --always-check-polkit makes it
ask for our root test callers too."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUS, DEADLINE, RAW_IFACE, REC_IFACE, Client, DaemonTestCase, busctl,
                     gdbus_error, rec_path)

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
