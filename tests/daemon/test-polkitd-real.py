#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real polkitd on the private system bus deciding for rawburnd, with
logind's sessions faked honestly in a private mount namespace.

polkitd 122 learns where a caller sits through libsystemd 252's sd-login,
not through D-Bus (seen with strace of polkitd; polkit's
polkitbackendsessionmonitor-systemd.c): the caller's pid from the bus;
sd_pid_get_session(), the `session-ID.scope` in /proc/PID/cgroup on the
hierarchy libsystemd picks by statfs of /sys/fs/cgroup and
/sys/fs/cgroup/unified (PID 1's cgroup is the root); without one,
sd_pid_get_owner_uid() (a `user-UID.slice` in that path) and
sd_uid_get_display() (DISPLAY= of /run/systemd/users/UID); then
/run/systemd/sessions/ID (SEAT= makes it local, UID=) and
/run/systemd/users/UID (STATE=active makes it active). So: our own
/run/systemd bind-mounted here with the files logind writes, and the caller
moved into a cgroup named as systemd names them, then run as an
unprivileged user (setpriv); libsystemd itself is asked first whether the
caller is in the session meant.

Callers: a local session at seat0, active (allow_active) or not
(allow_inactive); an ssh session with pam_systemd (no seat: allow_any); an
ssh login without pam_systemd or a cron job (a service's cgroup, no
session: allow_any); a systemd --user service; members and non-members of
group cdrom (a bind-mounted /etc/group) under
docs/polkit/50-rawburn-cdrom-group.rules; rawburnd's own user asking for
logind's inhibitors, with and without dbus/org.rawburn1.rules. Each test
asserts what rawburnd answered (success and the drive's state,
InteractiveAuthorizationRequired or AccessDenied) and polkitd's own answer
for every action (CheckAuthorization of the caller's process: yes, a
challenge, kept or not); polkit-agent.py shows who is asked to authenticate
and that a given password lets the call through. dbus/org.rawburn1.policy
(and systemd's login1 policy, for the inhibitor) are the only action files
and the rules are ours. Needs root (unshare -m, setpriv, cgroups)."""

import ctypes
import json
import os
import select
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (DEADLINE, RAW_IFACE, REC_IFACE, SOURCE, Client, DaemonTestCase,
                     drive_state)

POLKITD = '/usr/lib/polkit-1/polkitd'
NOBODY = 65534
MARK = 'RAWBURN_IN_PRIVATE_MOUNT_NS'
HERE = os.path.dirname(os.path.abspath(__file__))
GROUP_RULE = os.path.join(SOURCE, 'docs/polkit/50-rawburn-cdrom-group.rules')
RAWBURND_RULE = os.path.join(SOURCE, 'dbus/org.rawburn1.rules')
LOGIN1_POLICY = '/usr/share/polkit-1/actions/org.freedesktop.login1.policy'  # systemd's

IAR = 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired'
DENIED = 'org.freedesktop.DBus.Error.AccessDenied'

ACTIONS = ('burn', 'eject', 'acquire-exclusive-access', 'erase', 'read', 'cancel-other')
# polkitd's answer to CheckAuthorization without interaction, by action:
# YES, ASK (a challenge: auth_self or auth_admin) or ASK_KEEP (auth_*_keep,
# polkit's detail polkit.retains_authorization_after_challenge).
YES, ASK, ASK_KEEP = 'yes', 'challenge', 'challenge, kept'
ACTIVE_LOCAL = {'burn': YES, 'eject': YES, 'acquire-exclusive-access': YES, 'erase': ASK,
                'read': YES, 'cancel-other': ASK}
ELSEWHERE = {'burn': ASK_KEEP, 'eject': ASK_KEEP, 'acquire-exclusive-access': ASK_KEEP,
             'erase': ASK, 'read': ASK_KEEP, 'cancel-other': ASK}
CDROM_MEMBER = {'burn': YES, 'eject': YES, 'acquire-exclusive-access': YES, 'erase': YES,
                'read': YES, 'cancel-other': ASK}


def can_run():
    if os.geteuid() != 0:
        return 'needs root'
    for tool in ('unshare', 'setpriv', 'pkaction'):
        if not shutil.which(tool):
            return tool + ' missing'
    for path in (POLKITD, LOGIN1_POLICY):
        if not os.path.exists(path):
            return path + ' missing'
    return None


def fs_type(path):
    r = subprocess.run(['stat', '-f', '-c', '%T', path], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ''


def systemd_cgroup():
    """(mount point, line key) of the hierarchy sd-login reads a process's
    cgroup from, as libsystemd 252's cg_unified_cached() chooses it."""
    if fs_type('/sys/fs/cgroup') == 'cgroup2fs':
        return '/sys/fs/cgroup', '0:'                   # unified
    if fs_type('/sys/fs/cgroup/unified') == 'cgroup2fs':
        return '/sys/fs/cgroup/unified', '0:'           # hybrid
    return '/sys/fs/cgroup/systemd', 'name=systemd'     # legacy


def cgroup_of(pid, key):
    with open('/proc/%d/cgroup' % pid) as f:
        for line in f:
            hid, controllers, path = line.rstrip('\n').split(':', 2)
            if (key == '0:' and hid == '0') or key in controllers.split(','):
                return path
    return None


def start_time(pid):
    """Field 22 of /proc/PID/stat: what polkit keys a unix-process with."""
    with open('/proc/%d/stat' % pid) as f:
        return int(f.read().rsplit(')', 1)[1].split()[19])


SD = ctypes.CDLL('libsystemd.so.0')


def sd_pid_get_session(pid):
    """What libsystemd itself says of pid: the session id, or None."""
    out = ctypes.c_char_p()
    if SD.sd_pid_get_session(pid, ctypes.byref(out)) < 0:
        return None
    return out.value.decode()


class LoginWorld:
    """logind's state as it writes it (src/login/logind-session.c
    session_save(), logind-user.c user_save(), logind-seat.c seat_save()) in
    a /run/systemd of our own, and cgroups named as systemd names them under
    a slice of our own."""

    def __init__(self, tmp, test):
        self.run = os.path.join(tmp, 'run-systemd')
        for d in ('sessions', 'users', 'seats', 'machines'):
            os.makedirs(os.path.join(self.run, d), mode=0o755)
        os.chmod(self.run, 0o755)  # polkitd reads it as user polkitd
        subprocess.run(['mount', '--bind', self.run, '/run/systemd'], check=True)
        test.addCleanup(subprocess.run, ['umount', '/run/systemd'])
        self.mount, self.key = systemd_cgroup()
        # cg_get_root_path(): PID 1's cgroup less /init.scope is the root.
        root = cgroup_of(1, self.key) or '/'
        for suffix in ('/init.scope', '/system.slice', '/system'):
            if root.endswith(suffix):
                root = root[:-len(suffix)]
        self.base = os.path.join(self.mount + root, 'rawburn-test-%d.slice' % os.getpid())
        self.made = []
        test.addCleanup(self.remove_cgroups)
        self.sessions = {}

    def cgroup(self, *parts):
        """mkdir -p of a cgroup under our slice; returns its cgroup.procs."""
        paths = [self.base]
        for p in parts:
            paths.append(os.path.join(paths[-1], p))
        for path in paths:
            if not os.path.isdir(path):
                os.mkdir(path)
                self.made.append(path)
        return os.path.join(paths[-1], 'cgroup.procs')

    def remove_cgroups(self):
        for path in reversed(self.made):
            try:
                os.rmdir(path)
            except OSError:
                time.sleep(0.2)  # a process still leaving
                os.rmdir(path)
        self.made = []

    def session(self, sid, uid, user, seat='seat0', active=True, remote_host=None,
                kind='wayland', service='gdm-password'):
        """A session as logind saves it; returns the cgroup.procs of its scope."""
        self.sessions[sid] = dict(uid=uid, user=user, seat=seat, active=active, kind=kind)
        lines = ['# This is private data. Do not parse.', 'UID=%d' % uid, 'USER=%s' % user,
                 'ACTIVE=%d' % int(active), 'IS_DISPLAY=%d' % int(kind in ('x11', 'wayland')),
                 'STATE=%s' % ('active' if active else 'online'),
                 'REMOTE=%d' % int(remote_host is not None), 'TYPE=%s' % kind,
                 'ORIGINAL_TYPE=%s' % kind, 'CLASS=user', 'SCOPE=session-%s.scope' % sid,
                 'SERVICE=%s' % service]
        if seat:
            lines += ['SEAT=%s' % seat, 'VTNR=%d' % (len(self.sessions) + 1)]
        if remote_host:
            lines += ['REMOTE_HOST=%s' % remote_host]
        self.write('sessions/' + sid, lines)
        self.save_users_and_seats()
        return self.cgroup('user-%d.slice' % uid, 'session-%s.scope' % sid)

    def service(self, unit):
        """A system service's cgroup (sshd without pam_systemd, cron): no session."""
        return self.cgroup(unit)

    def save_users_and_seats(self):
        by_uid, by_seat = {}, {}
        for sid, s in self.sessions.items():
            by_uid.setdefault(s['uid'], []).append(sid)
            if s['seat']:
                by_seat.setdefault(s['seat'], []).append(sid)
        for uid, sids in by_uid.items():
            active = [i for i in sids if self.sessions[i]['active']]
            display = [i for i in sids if self.sessions[i]['kind'] in ('x11', 'wayland')]
            seats = sorted({self.sessions[i]['seat'] for i in sids if self.sessions[i]['seat']})
            lines = ['# This is private data. Do not parse.',
                     'NAME=%s' % self.sessions[sids[0]]['user'],
                     'STATE=%s' % ('active' if active else 'online'), 'STOPPING=no',
                     'RUNTIME=/run/user/%d' % uid, 'SESSIONS=%s' % ' '.join(sids),
                     'SEATS=%s' % ' '.join(seats), 'ACTIVE_SESSIONS=%s' % ' '.join(active),
                     'ONLINE_SESSIONS=%s' % ' '.join(sids)]
            if display:
                lines.insert(4, 'DISPLAY=%s' % display[0])
            self.write('users/%d' % uid, lines)
        for seat, sids in by_seat.items():
            active = [i for i in sids if self.sessions[i]['active']]
            lines = ['# This is private data. Do not parse.', 'IS_SEAT0=%d' % (seat == 'seat0'),
                     'CAN_MULTI_SESSION=1', 'CAN_TTY=1', 'CAN_GRAPHICAL=1',
                     'SESSIONS=%s' % ' '.join(sids),
                     'UIDS=%s' % ' '.join(str(self.sessions[i]['uid']) for i in sids)]
            if active:
                lines += ['ACTIVE=%s' % active[0],
                          'ACTIVE_UID=%d' % self.sessions[active[0]]['uid']]
            self.write('seats/' + seat, lines)

    def write(self, name, lines):
        # logind writes a temporary file and renames it: so do we (inotify sees IN_MOVED_TO).
        path = os.path.join(self.run, name)
        with open(path + '.tmp', 'w') as f:
            f.write('\n'.join(lines) + '\n')
        os.chmod(path + '.tmp', 0o644)
        os.rename(path + '.tmp', path)


class JsonLines:
    """A child's stdout of one JSON object a line, waited for with a deadline."""

    def __init__(self, proc, what):
        self.proc, self.what, self.buf = proc, what, b''

    def next(self):
        end = time.monotonic() + DEADLINE * 3
        while b'\n' not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise AssertionError('%s did not answer' % self.what)
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                raise AssertionError('%s ended: %s' % (self.what, self.proc.stderr.read()))
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def pending(self):
        """Lines already written, without waiting."""
        out = []
        while select.select([self.proc.stdout], [], [], 0)[0]:
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                break
            self.buf += data
        while b'\n' in self.buf:
            line, self.buf = self.buf.split(b'\n', 1)
            out.append(json.loads(line))
        return out


class Caller:
    """tests/daemon/polkit-caller.py as uid, moved into a cgroup first (by a
    root shell that then drops to uid with setpriv and execs the client)."""

    def __init__(self, test, address, uid, procs, init_groups=False):
        groups = ['--init-groups'] if init_groups else ['--clear-groups']
        cmd = ['sh', '-c', 'echo $$ > "$0" && exec "$@"', procs, 'setpriv',
               '--reuid=%d' % uid, '--regid=%d' % NOBODY] + groups + [
               '/usr/bin/python3', os.path.join(HERE, 'polkit-caller.py'), address]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        test.addCleanup(self.close)
        self.out = JsonLines(self.proc, 'polkit-caller.py')
        hello = self.out.next()
        self.pid, self.uid = hello['pid'], hello['uid']
        test.assertEqual(self.uid, uid)

    def __call__(self, command):
        self.proc.stdin.write(command.encode() + b'\n')
        self.proc.stdin.flush()
        return self.out.next()

    def close(self):
        self.proc.stdin.close()  # the caller's end of input: it disconnects and exits
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


class Agent:
    """tests/daemon/polkit-agent.py registered for one caller's process."""

    def __init__(self, test, address, caller, mode):
        self.proc = subprocess.Popen(
            ['/usr/bin/python3', os.path.join(HERE, 'polkit-agent.py'), address,
             str(caller.pid), str(start_time(caller.pid)), mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        test.addCleanup(self.stop)
        self.out = JsonLines(self.proc, 'polkit-agent.py')
        test.assertEqual(self.out.next(), {'registered': True})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


class RealPolkitd(DaemonTestCase):
    DRIVES = ('cdr80',)
    RULES = ()          # rule files to put in /etc/polkit-1/rules.d
    LOGIN1 = False      # also systemd's org.freedesktop.login1.policy
    CDROM_MEMBERS = ()  # user names added to group cdrom in our /etc/group

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
        if self.LOGIN1:
            shutil.copy(LOGIN1_POLICY, self.actions)
        for rule in self.RULES:
            shutil.copy(rule, self.rules)
        # Only our actions and rules; the distribution's own stay out of sight.
        for src, dst in ((self.actions, '/usr/share/polkit-1/actions'),
                         (self.rules, '/etc/polkit-1/rules.d'),
                         (self.empty, '/usr/share/polkit-1/rules.d')):
            self.bind(src, dst)
        self.login = LoginWorld(self.tmp, self)
        self.make_users()
        self.start_polkitd()

    def bind(self, src, dst):
        subprocess.run(['mount', '--bind', src, dst], check=True)
        self.addCleanup(subprocess.run, ['umount', dst])

    def make_users(self):
        """/etc/passwd with a user rbcdrom, /etc/group with cdrom's members
        as CDROM_MEMBERS says: copies bind-mounted in this namespace only."""
        with open('/etc/passwd') as f:
            passwd = f.read()
        uids = {int(line.split(':')[2]) for line in passwd.splitlines() if line.count(':') >= 6}
        self.member_uid = next(u for u in range(64999, 60000, -1) if u not in uids)
        passwd += 'rbcdrom:x:%d:%d:rawburn test:/nonexistent:/usr/sbin/nologin\n' % (
            self.member_uid, NOBODY)
        # rawburnd's own user (systemd/rawburn.sysusers) where it is not installed.
        if not any(line.startswith('rawburn:') for line in passwd.splitlines()):
            uid = next(u for u in range(999, 100, -1) if u not in uids)
            passwd += 'rawburn:x:%d:%d:rawburn CD recorder service:/:/usr/sbin/nologin\n' % (
                uid, NOBODY)
        self.rawburn_uid = next(int(line.split(':')[2]) for line in passwd.splitlines()
                                if line.startswith('rawburn:'))
        with open('/etc/group') as f:
            groups = [line for line in f.read().splitlines() if line]
        names = [g.split(':')[0] for g in groups]
        if 'cdrom' not in names:
            gids = {int(g.split(':')[2]) for g in groups}
            groups.append('cdrom:x:%d:' % next(g for g in range(24, 60000) if g not in gids))
        for i, g in enumerate(groups):
            fields = g.split(':')
            if fields[0] == 'cdrom':
                members = [m for m in fields[3].split(',') if m] + list(self.CDROM_MEMBERS)
                fields[3] = ','.join(members)
                groups[i] = ':'.join(fields)
        for name, text in (('passwd', passwd), ('group', '\n'.join(groups) + '\n')):
            path = os.path.join(self.tmp, name)
            with open(path, 'w') as f:
                f.write(text)
            os.chmod(path, 0o644)
            self.bind(path, '/etc/' + name)

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

    # ---- callers

    def caller(self, procs, uid=NOBODY, session=None, **kw):
        c = Caller(self, self.address, uid, procs, **kw)
        # What sd-login itself sees of the caller, before polkitd is asked.
        self.assertEqual(sd_pid_get_session(c.pid), session,
                         'cgroup %s' % cgroup_of(c.pid, self.login.key))
        return c

    def polkit_decision(self, caller, action, interactive=False):
        """polkitd's CheckAuthorization for the caller's process, asked by
        root: YES, ASK, ASK_KEEP or 'no'. action: org.rawburn1.<action>, or
        a whole action id."""
        from gi.repository import Gio, GLib
        conn = Gio.DBusConnection.new_for_address_sync(
            self.address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        try:
            subject = ('unix-process', {'pid': GLib.Variant('u', caller.pid),
                                        'start-time': GLib.Variant('t', start_time(caller.pid)),
                                        'uid': GLib.Variant('i', caller.uid)})
            reply = conn.call_sync(
                'org.freedesktop.PolicyKit1', '/org/freedesktop/PolicyKit1/Authority',
                'org.freedesktop.PolicyKit1.Authority', 'CheckAuthorization',
                GLib.Variant('((sa{sv})sa{ss}us)',
                             (subject, action if '.' in action else 'org.rawburn1.' + action,
                              {}, int(interactive), '')),
                None, Gio.DBusCallFlags.NONE, int(DEADLINE * 3000), None)
        finally:
            conn.close_sync(None)
        authorized, challenge, details = reply.unpack()[0]
        if authorized:
            return YES
        if challenge:
            kept = details.get('polkit.retains_authorization_after_challenge') == '1'
            return ASK_KEEP if kept else ASK
        return 'no'

    def assert_decisions(self, caller, expected):
        got = {a: self.polkit_decision(caller, a) for a in ACTIONS}
        self.assertEqual(got, expected)

    # ---- what rawburnd answers

    def assert_error(self, answer, name, action):
        self.assertEqual(answer.get('error'), name, answer)
        self.assertIn('org.rawburn1.' + action, answer['message'])

    def assert_burn_allowed(self, caller):
        self.assertEqual(caller('prepare'), {'ok': 0})
        self.assertEqual(caller('state'), {'ok': 'prepared'})
        self.assertEqual(drive_state(self.daemon)['locked'], 'yes')
        self.assertEqual(caller('release'), {'ok': None})
        self.assertEqual(caller('state'), {'ok': 'idle'})

    def assert_eject_allowed(self, caller):
        self.assertEqual(drive_state(self.daemon)['tray'], 'closed')
        self.assertEqual(caller('eject'), {'ok': None})
        self.assertEqual(drive_state(self.daemon)['tray'], 'open')
        self.assertEqual(caller('close'), {'ok': None})
        self.assertEqual(drive_state(self.daemon)['tray'], 'closed')

    def assert_burn_and_eject_challenged(self, caller):
        """Denied, and told authentication would do: nothing touched."""
        self.assert_error(caller('prepare'), IAR, 'burn')
        self.assertEqual(caller('state'), {'ok': 'idle'})
        self.assertEqual(drive_state(self.daemon)['locked'], 'no')
        self.assert_error(caller('eject'), IAR, 'eject')
        self.assertEqual(drive_state(self.daemon)['tray'], 'closed')
        self.assertIn('media=cdr80', self.daemon.ctl('sr0 state'))

    def root_prepares(self):
        """Another caller (root: passes without asking) prepares the drive."""
        owner = Client(self.address)
        self.addCleanup(owner.close)
        self.assertEqual(owner.prepare(ClientName='owner-app'), 0)
        return owner


class ActiveLocalSession(RealPolkitd):
    """The user at seat0, in the session in front of them (GDM, Wayland)."""

    def setUp(self):
        super().setUp()
        self.procs = self.login.session('rb1', NOBODY, 'nobody', seat='seat0', active=True)
        self.c = self.caller(self.procs, session='rb1')

    def test_burn_eject_read_allowed_erase_and_cancel_other_ask(self):
        self.assert_burn_allowed(self.c)
        self.assert_eject_allowed(self.c)
        self.assert_decisions(self.c, ACTIVE_LOCAL)

    def test_properties_need_nothing(self):
        # The bus policy (dbus/org.rawburn1.conf) lets anyone read; the
        # daemon asks no one.
        props = self.c('getall')['ok']
        self.assertEqual(props['VendorId'].strip(), self.prop('sr0', REC_IFACE, 'VendorId').strip())
        self.assertEqual(self.c('state'), {'ok': 'idle'})

    def test_another_callers_burn_needs_an_administrator(self):
        self.root_prepares()
        self.assert_error(self.c('release'), IAR, 'cancel-other')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')
        # With an agent and the interactive flag, polkit asks for root
        # (auth_admin), not the user: the user dismisses the dialog.
        agent = Agent(self, self.address, self.c, 'dismiss')
        self.assert_error(self.c('release interactive'), DENIED, 'cancel-other')
        self.assertEqual(agent.out.next(), {'begin': 'org.rawburn1.cancel-other',
                                            'identities': ['unix-user:0']})
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')

    def test_erase_asks_the_users_own_password_every_time(self):
        # EraseMedia is the lead's (not on this branch): polkitd is asked directly.
        agent = Agent(self, self.address, self.c, 'approve')
        self.assertEqual(self.polkit_decision(self.c, 'erase', interactive=True), YES)
        self.assertEqual(agent.out.next(), {'begin': 'org.rawburn1.erase',
                                            'identities': ['unix-user:%d' % NOBODY]})
        # auth_self, not auth_self_keep: the next erase asks again.
        self.assertEqual(self.polkit_decision(self.c, 'erase'), ASK)


class InactiveLocalSession(RealPolkitd):
    """The user's session at seat0 while another user's is in front (fast
    user switching): local, not active."""

    def setUp(self):
        super().setUp()
        self.login.session('rb2', 0, 'root', seat='seat0', active=True)
        self.procs = self.login.session('rb1', NOBODY, 'nobody', seat='seat0', active=False)
        self.c = self.caller(self.procs, session='rb1')

    def test_burn_and_eject_need_an_administrator(self):
        self.assert_burn_and_eject_challenged(self.c)
        self.assert_decisions(self.c, ELSEWHERE)

    def test_interactive_only_when_asked_then_kept(self):
        agent = Agent(self, self.address, self.c, 'approve')
        # No ALLOW_INTERACTIVE_AUTHORIZATION: no dialog, the caller is told.
        self.assert_error(self.c('prepare'), IAR, 'burn')
        self.assertEqual(agent.out.pending(), [])
        # With it: polkitd asks the agent for an administrator, who says yes.
        self.assertEqual(self.c('prepare interactive'), {'ok': 0})
        self.assertEqual(agent.out.next(), {'begin': 'org.rawburn1.burn',
                                            'identities': ['unix-user:0']})
        self.assertEqual(self.c('state'), {'ok': 'prepared'})
        self.assertEqual(self.c('release'), {'ok': None})
        # auth_admin_keep: this process burns again without being asked.
        self.assertEqual(self.c('prepare'), {'ok': 0})
        self.assertEqual(agent.out.pending(), [])
        self.assertEqual(self.c('release'), {'ok': None})


class RemoteSession(RealPolkitd):
    """ssh with pam_systemd: a session of its own, active, with no seat."""

    def setUp(self):
        super().setUp()
        self.procs = self.login.session('rb3', NOBODY, 'nobody', seat=None, active=True,
                                        remote_host='192.0.2.7', kind='tty', service='sshd')
        self.c = self.caller(self.procs, session='rb3')

    def test_burn_and_eject_need_an_administrator(self):
        self.assert_burn_and_eject_challenged(self.c)
        self.assert_decisions(self.c, ELSEWHERE)


class NoSession(RealPolkitd):
    """ssh without pam_systemd, cron: the process is in a service's cgroup
    and its user has no session at all."""

    def setUp(self):
        super().setUp()
        self.c = self.caller(self.login.service('ssh.service'), session=None)

    def test_burn_and_eject_need_an_administrator(self):
        self.assert_burn_and_eject_challenged(self.c)
        self.assert_decisions(self.c, ELSEWHERE)
        # Allowing interaction does not help without an agent to ask with.
        self.assert_error(self.c('prepare interactive'), IAR, 'burn')
        self.assertEqual(self.c('state'), {'ok': 'idle'})

    def test_properties_need_nothing(self):
        self.assertEqual(self.c('state'), {'ok': 'idle'})
        self.assertIn('VendorId', self.c('getall')['ok'])

    def test_a_user_service_counts_as_the_users_desktop(self):
        # polkitd gives a process without a session the graphical session of
        # the user owning its cgroup (sd_pid_get_owner_uid: user-UID.slice,
        # then sd_uid_get_display: users/UID DISPLAY=). So a systemd --user
        # service of the user at the seat burns as the desktop does, and a
        # process of a system service (ssh, cron) is not helped by it.
        self.login.session('rb4', NOBODY, 'nobody', seat='seat0', active=True)
        self.assert_burn_and_eject_challenged(self.c)
        self.assert_decisions(self.c, ELSEWHERE)
        user_service = self.caller(self.login.cgroup(
            'user-%d.slice' % NOBODY, 'user@%d.service' % NOBODY, 'app.slice',
            'burner.service'), session=None)
        self.assert_burn_allowed(user_service)
        self.assert_decisions(user_service, ACTIVE_LOCAL)

    def test_the_policy_file_as_polkitd_reads_it(self):
        defaults = {}
        for a in ACTIONS:
            r = subprocess.run(['pkaction', '--verbose', '--action-id', 'org.rawburn1.' + a],
                               env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address),
                               capture_output=True, text=True, check=True)
            lines = dict(map(str.strip, line.split(':', 1)) for line in r.stdout.splitlines()
                         if line.strip().startswith('implicit '))
            defaults[a] = (lines['implicit any'], lines['implicit inactive'],
                           lines['implicit active'])
        self.assertEqual(defaults, {
            'burn': ('auth_admin_keep', 'auth_admin_keep', 'yes'),
            'eject': ('auth_admin_keep', 'auth_admin_keep', 'yes'),
            'acquire-exclusive-access': ('auth_admin_keep', 'auth_admin_keep', 'yes'),
            'read': ('auth_admin_keep', 'auth_admin_keep', 'yes'),
            'erase': ('auth_admin', 'auth_admin', 'auth_self'),
            'cancel-other': ('auth_admin', 'auth_admin', 'auth_admin'),
        })


class CdromGroupRule(RealPolkitd):
    """docs/polkit/50-rawburn-cdrom-group.rules as shipped, user rbcdrom in
    group cdrom, nobody not; both without a session (ssh, cron)."""
    RULES = (GROUP_RULE,)
    CDROM_MEMBERS = ('rbcdrom',)

    def setUp(self):
        super().setUp()
        self.procs = self.login.service('cron.service')

    def test_member_burns_and_ejects_without_a_session(self):
        c = self.caller(self.procs, uid=self.member_uid, init_groups=True)
        self.assert_burn_allowed(c)
        self.assert_eject_allowed(c)
        self.assert_decisions(c, CDROM_MEMBER)

    def test_non_member_is_asked_as_without_the_rule(self):
        c = self.caller(self.procs)
        self.assert_burn_and_eject_challenged(c)
        self.assert_decisions(c, ELSEWHERE)

    def test_member_cannot_stop_another_users_burn(self):
        c = self.caller(self.procs, uid=self.member_uid, init_groups=True)
        self.root_prepares()
        self.assert_error(c('release'), IAR, 'cancel-other')
        self.assertEqual(self.prop('sr0', RAW_IFACE, 'State'), 'prepared')


INHIBIT = ('org.freedesktop.login1.inhibit-block-sleep',
           'org.freedesktop.login1.inhibit-block-shutdown',
           'org.freedesktop.login1.inhibit-handle-suspend-key',
           'org.freedesktop.login1.inhibit-handle-lid-switch')


class RawburndInhibitorWithoutRule(RealPolkitd):
    """What logind would hear from polkitd when rawburnd (user rawburn, in
    its service's cgroup, no session) asks for Inhibit: systemd's own
    login1 actions, no rule."""
    LOGIN1 = True

    def test_logind_would_refuse_rawburnd(self):
        d = self.caller(self.login.service('rawburnd.service'), uid=self.rawburn_uid)
        self.assertEqual({a: self.polkit_decision(d, a) for a in INHIBIT},
                         {a: 'no' for a in INHIBIT})


class RawburndInhibitor(RealPolkitd):
    """dbus/org.rawburn1.rules as installed: rawburn may inhibit, nobody else
    gains anything, rawburn gains nothing else."""
    LOGIN1 = True
    RULES = (RAWBURND_RULE,)

    def test_rawburnd_may_hold_off_sleep_and_shutdown(self):
        d = self.caller(self.login.service('rawburnd.service'), uid=self.rawburn_uid)
        self.assertEqual({a: self.polkit_decision(d, a) for a in INHIBIT},
                         {a: YES for a in INHIBIT})
        # login1's own imply annotations: block-shutdown brings the idle and
        # delay inhibitors, handle-suspend-key the hibernate key.
        for implied in ('inhibit-block-idle', 'inhibit-delay-sleep', 'inhibit-delay-shutdown',
                        'inhibit-handle-hibernate-key'):
            self.assertEqual(self.polkit_decision(d, 'org.freedesktop.login1.' + implied), YES)
        for other in ('org.freedesktop.login1.inhibit-handle-power-key',
                      'org.freedesktop.login1.inhibit-handle-reboot-key',
                      'org.freedesktop.login1.power-off', 'org.freedesktop.login1.reboot',
                      'org.freedesktop.login1.suspend'):
            self.assertNotEqual(self.polkit_decision(d, other), YES, other)
        self.assertEqual(self.polkit_decision(d, 'burn'), ASK_KEEP)

    def test_other_users_gain_nothing(self):
        c = self.caller(self.login.service('cron.service'))
        self.assertEqual({a: self.polkit_decision(c, a) for a in INHIBIT},
                         {a: 'no' for a in INHIBIT})


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
