#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real polkitd on the private system bus, in a private mount namespace
where dbus/org.rawburn1.policy is the only action file and the rules folder
is ours: an unprivileged uid (setpriv) is denied EjectMedia, then allowed by
a rules.d rule. Needs root (unshare -m, setpriv); skipped otherwise."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (DEADLINE, REC_IFACE, SOURCE, DaemonTestCase, gdbus_error, rec_path)

POLKITD = '/usr/lib/polkit-1/polkitd'
NOBODY = 65534
MARK = 'RAWBURN_IN_PRIVATE_MOUNT_NS'

RULE = """polkit.addRule(function(action, subject) {
    if (action.id == "org.rawburn1.eject" && subject.user == "nobody")
        return polkit.Result.YES;
});
"""


def can_run():
    if os.geteuid() != 0:
        return 'needs root'
    for tool in ('unshare', 'setpriv'):
        if not shutil.which(tool):
            return tool + ' missing'
    if not os.path.exists(POLKITD):
        return 'polkitd missing'
    return None


class RealPolkitd(DaemonTestCase):
    DRIVES = ('cdr80',)

    def start_extra(self):
        if os.environ.get(MARK) != '1':
            self.fail('not in a private mount namespace')
        os.chmod(self.tmp, 0o755)  # the unprivileged caller must reach the bus socket
        self.actions = os.path.join(self.tmp, 'actions')
        self.rules = os.path.join(self.tmp, 'rules.d')
        self.empty = os.path.join(self.tmp, 'empty')
        for d in (self.actions, self.rules, self.empty):
            os.mkdir(d)
        shutil.copy(os.path.join(SOURCE, 'dbus/org.rawburn1.policy'), self.actions)
        # Only our actions and rules; the distribution's own stay out of sight.
        for src, dst in ((self.actions, '/usr/share/polkit-1/actions'),
                         (self.rules, '/etc/polkit-1/rules.d'),
                         (self.empty, '/usr/share/polkit-1/rules.d')):
            subprocess.run(['mount', '--bind', src, dst], check=True)
            self.addCleanup(subprocess.run, ['umount', dst])
        self.start_polkitd()

    def start_polkitd(self):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus.address)
        self.polkitd = subprocess.Popen([POLKITD, '--no-debug'], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop_polkitd, self.polkitd)
        subprocess.run(['gdbus', 'wait', '--address', self.bus.address, '--timeout',
                        str(int(DEADLINE)), 'org.freedesktop.PolicyKit1'], check=True)

    def stop_polkitd(self, proc):
        if proc.poll() is None:
            proc.terminate()
            proc.wait()

    def eject_as_nobody(self):
        return subprocess.run(['setpriv', '--reuid=%d' % NOBODY, '--regid=%d' % NOBODY,
                               '--clear-groups', 'gdbus', 'call', '--address', self.address,
                               '--dest', 'org.rawburn1', '--object-path', rec_path('sr0'),
                               '--method', REC_IFACE + '.EjectMedia'],
                              capture_output=True, text=True)

    def test_nobody_denied_then_allowed_by_rule(self):
        r = self.eject_as_nobody()
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Not authorized by polkit for action org.rawburn1.eject', r.stderr)
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))

        with open(os.path.join(self.rules, '50-rawburn-test.rules'), 'w') as f:
            f.write(RULE)
        # A fresh polkitd reads the rule at start: no waiting on its file watch.
        self.stop_polkitd(self.polkitd)
        self.start_polkitd()
        r = self.eject_as_nobody()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('tray=open', self.daemon.ctl('sr0 state'))


if __name__ == '__main__':
    why = can_run()
    if why:
        # Every dependency is installed by tests/install-deps.sh: a missing one is a failure.
        print('FAIL: ' + why)
        sys.exit(1)
    if os.environ.get(MARK) != '1':
        # Re-run in a private mount namespace: the bind mounts stay in it.
        env = dict(os.environ, **{MARK: '1'})
        os.execvpe('unshare', ['unshare', '-m', '--propagation', 'private', sys.executable]
                   + sys.argv, env)
    unittest.main(verbosity=2)
