# SPDX-License-Identifier: LGPL-2.1-or-later
"""Test rig for rawburnd: a private system-like dbus-daemon, drivesim with a
control socket running the real rawburnd, and the real clients busctl and
gdbus. Only the standard library and the packaged dbus-python / dbusmock."""

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BUILD = os.environ.get('RAWBURN_BUILD_ROOT', '')
RAWBURND = os.environ.get('RAWBURND', '')
DRIVESIM = os.environ.get('DRIVESIM', '')
DRIVESIM_CTL = os.environ.get('DRIVESIM_CTL', '')
SOURCE = os.environ.get('RAWBURN_SOURCE_ROOT', os.path.join(os.path.dirname(__file__), '..', '..'))
DEADLINE = 20.0  # seconds for any one awaited event: generous, never a measurement

BUS = 'org.rawburn1'
REC_IFACE = 'org.rawburn1.DiscRecorder2'
RAW_IFACE = 'org.rawburn1.DiscFormat2RawCD'
MGR_IFACE = 'org.rawburn1.Manager'


def rec_path(name):
    return '/org/rawburn1/recorder/' + name


class Bus:
    """A dbus-daemon with the system bus's default-deny policy plus
    dbus/org.rawburn1.conf."""

    def __init__(self, tmp):
        self.socket = os.path.join(tmp, 'system_bus_socket')
        conf = os.path.join(tmp, 'bus.conf')
        with open(os.path.join(SOURCE, 'tests/daemon/system-bus.conf.in')) as f:
            text = f.read()
        text = text.replace('@SOCKET@', self.socket).replace(
            '@POLICY@', os.path.abspath(os.path.join(SOURCE, 'dbus/org.rawburn1.conf')))
        with open(conf, 'w') as f:
            f.write(text)
        self.proc = subprocess.Popen(['dbus-daemon', '--config-file=' + conf, '--nofork',
                                      '--print-address=1'],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address:
            raise RuntimeError('dbus-daemon did not start')

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.proc.stdout.close()


def drivesim_ctl(control, *commands):
    """Sends control lines to drivesim's socket `control`; returns the reply
    lines of the last."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(control)
        f = s.makefile('rw')
        while f.readline().strip() != 'OK':  # greeting
            pass
        out = []
        for c in commands:
            f.write(c + '\n')
            f.flush()
            out = []
            while True:
                line = f.readline()
                if not line:
                    raise RuntimeError('drivesim closed the control socket')
                line = line.strip()
                if line == 'OK':
                    break
                if line.startswith('ERR'):
                    raise RuntimeError('drivesim: %s: %s' % (c, line))
                out.append(line)
        return out


class Daemon:
    """drivesim --control SOCK --drive SPEC... -- rawburnd [args]

    lifecycle: run rawburnd through rawburnd-lifecycle.sh instead, so that
    the drives outlive it: kill it, then step() through what systemd would
    do next ("stop-post", "start", "exit")."""

    def __init__(self, tmp, bus, drives, args=(), env=None, lifecycle=False):
        self.control = os.path.join(tmp, 'drivesim.sock')
        self.log_path = os.path.join(tmp, 'rawburnd.log')
        self.pidfile = os.path.join(tmp, 'rawburnd.pid') if lifecycle else None
        cmd = [DRIVESIM, '--control', self.control]
        for d in drives:
            cmd += ['--drive', d]
        cmd += ['--']
        if lifecycle:
            cmd += [os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 'rawburnd-lifecycle.sh'), self.pidfile]
        cmd += [RAWBURND, '--verbose'] + list(args)
        e = dict(os.environ)
        e['DBUS_SYSTEM_BUS_ADDRESS'] = bus.address
        e['ASAN_OPTIONS'] = 'verify_asan_link_order=0:' + e.get('ASAN_OPTIONS', '')
        # Each daemon remembers its locked trays in a directory of its own.
        e['RUNTIME_DIRECTORY'] = os.path.join(tmp, 'run')
        # The machine's quirks files are not the tests': none, unless a test names one.
        e['RAWBURND_QUIRKS'] = os.path.join(tmp, 'no-quirks.conf')
        e['RAWBURND_LOCAL_QUIRKS'] = os.path.join(tmp, 'no-local-quirks.conf')
        e.update(env or {})
        self.log = open(self.log_path, 'w')
        self.proc = subprocess.Popen(cmd, env=e, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.PIPE if lifecycle else None, text=True)
        self.bus = bus
        self.wait_on_bus()

    def wait_on_bus(self):
        # The daemon takes its name once the drives it found are described.
        r = subprocess.run(['gdbus', 'wait', '--address', self.bus.address, '--timeout',
                            str(int(DEADLINE)), BUS])
        if r.returncode != 0 or self.proc.poll() is not None:
            raise RuntimeError('rawburnd did not appear on the bus:\n' + self.read_log())

    def step(self, what):
        """lifecycle: what to do now that rawburnd has ended."""
        self.proc.stdin.write(what + '\n')
        self.proc.stdin.flush()

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def ctl(self, *commands):
        """Sends control lines to drivesim; returns the reply lines of the last."""
        return drivesim_ctl(self.control, *commands)

    def pid(self):
        """rawburnd's pid (drivesim's child, or the lifecycle script's)."""
        if self.pidfile:
            with open(self.pidfile) as f:
                return int(f.read())
        with open('/proc/%d/task/%d/children' % (self.proc.pid, self.proc.pid)) as f:
            return int(f.read().split()[0])

    def stop(self):
        if self.pidfile and self.proc.poll() is None:
            # The script waits for a step once rawburnd has gone.
            try:
                os.kill(self.pid(), signal.SIGTERM)
            except (OSError, ValueError):
                pass
            try:
                self.step('exit')
                self.proc.stdin.close()
                self.proc.wait(timeout=DEADLINE)
            except (BrokenPipeError, ValueError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Monitor:
    """dbus-monitor on the daemon's signals. It becomes a bus monitor before it
    prints anything (its own NameLost comes first), so no signal sent after
    the constructor returns can be missed. Each message is kept as one line
    with blanks collapsed, e.g.
    `signal ... member=PropertiesChanged string "org.rawburn1.DiscRecorder2"
    array [ dict entry( string "MediaPresent" variant boolean false ) ... ]`;
    see prop()."""

    def __init__(self, address, rule="type='signal',sender='%s'" % BUS):
        # dbus-monitor flushes stdout after each message; with a buffer larger
        # than any message, each one reaches the pipe in one write, never split
        # (stdio's default 4 KiB buffer could cut a message in two).
        self.proc = subprocess.Popen(['stdbuf', '-o1M', 'dbus-monitor', '--address', address,
                                      '--monitor', rule],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.fd = self.proc.stdout.fileno()
        self.partial = b''
        self.messages = []
        self.wait_for(lambda m: 'member=NameLost' in m)

    def _read_more(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return
        data = os.read(self.fd, 65536)
        if not data:
            raise AssertionError('dbus-monitor ended')
        self.partial += data
        *complete, self.partial = self.partial.split(b'\n')
        for raw in complete:
            line = raw.decode('utf-8', 'replace')
            if not line.strip():
                continue
            if line[0].isspace() and self.messages:
                self.messages[-1] += ' ' + ' '.join(line.split())
            else:
                self.messages.append(' '.join(line.split()))

    def wait_for(self, predicate):
        """Waits for a message matching predicate and consumes it and all
        before it. A message still arriving is tested again as it grows."""
        end = time.monotonic() + DEADLINE
        while True:
            for i, m in enumerate(self.messages):
                if predicate(m):
                    del self.messages[:i + 1]
                    return m
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError('signal not seen; got:\n' + '\n'.join(self.messages))
            self._read_more(left)

    def discard(self):
        """Forgets every message received so far, reading what dbus-monitor
        has already written without waiting for more: a long-lived monitor
        (the soak's) starts each wait from a clean slate and its pipe never
        fills."""
        while select.select([self.fd], [], [], 0)[0]:
            self._read_more(0)
        self.messages.clear()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.proc.stdout.close()


def prop(name, value):
    """How a property appears in a Monitor message: prop('MediaPresent',
    'boolean false'), prop('CurrentPhysicalMediaType', 'int32 3')."""
    return 'string "%s" variant %s )' % (name, value)


def busctl(address, *args, check=True):
    r = subprocess.run(['busctl', '--address=' + address] + list(args), capture_output=True,
                       text=True)
    if check and r.returncode != 0:
        raise AssertionError('busctl %s failed: %s' % (' '.join(args), r.stderr))
    return r


def get_property(address, path, iface, name):
    r = busctl(address, '--json=short', 'get-property', BUS, path, iface, name)
    return json.loads(r.stdout)['data']


def call_error(address, *args):
    """busctl call that must fail: returns its error text."""
    r = busctl(address, 'call', BUS, *args, check=False)
    if r.returncode == 0:
        raise AssertionError('call %s succeeded' % (args,))
    return r.stderr.strip()


def gdbus_error(address, path, iface, member, *args):
    """gdbus call that must fail: returns "GDBus.Error:NAME: MESSAGE"."""
    r = subprocess.run(['gdbus', 'call', '--address', address, '--dest', BUS, '--object-path',
                        path, '--method', iface + '.' + member] + list(args),
                       capture_output=True, text=True)
    if r.returncode == 0:
        raise AssertionError('call %s.%s succeeded' % (iface, member))
    return r.stderr.strip()


def rawburnctl(address, *args, stdin=None, env=None):
    """Runs the real rawburnctl on the private bus (never waiting for a
    password: its stdin is not a terminal); returns the CompletedProcess."""
    e = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address, LC_ALL='C.UTF-8')
    # The machine's quirks files are not the tests' (drives, image create --drive-model).
    e['RAWBURN_QUIRKS'] = e['RAWBURN_LOCAL_QUIRKS'] = '/nonexistent/quirks.conf'
    e.update(env or {})
    return subprocess.run([RAWBURNCTL] + list(args), env=e, capture_output=True, text=True,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          timeout=600)


def rawburnctl_on_terminal(tmp, address, *args):
    """Runs the real rawburnctl on a 120x20 tmux terminal until it ends.
    Returns (screen, stream, status): the screen as it was left, everything
    the program wrote to its terminal (escape codes included), its exit
    status."""
    server = ['tmux', '-L', 'rawburn-test-%d' % os.getpid()]
    raw = os.path.join(tmp, 'pane.raw')
    script = os.path.join(tmp, 'on-terminal.sh')
    with open(script, 'w') as f:
        # The program starts once the pane is piped, so no output is missed.
        f.write('#!/bin/sh\ns="$1"; a="$2"; shift 2\ntmux -L "$s" wait-for go\n'
                'LC_ALL=C.UTF-8 DBUS_SYSTEM_BUS_ADDRESS="$a" "$@"\n'
                'echo "EXIT=$?"\ntmux -L "$s" wait-for -S done\nexec sleep 600\n')
    os.chmod(script, 0o755)
    if os.path.exists(raw):
        os.unlink(raw)
    try:
        subprocess.run(server + ['-u', 'new-session', '-d', '-s', 'run', '-x', '120', '-y', '20',
                                 script, server[2], address, RAWBURNCTL] + list(args),
                       check=True, env=dict(os.environ, LC_ALL='C.UTF-8'))
        subprocess.run(server + ['pipe-pane', '-t', 'run', 'cat >> ' + raw], check=True)
        subprocess.run(server + ['wait-for', '-S', 'go'], check=True)
        subprocess.run(server + ['wait-for', 'done'], check=True, timeout=300)
        screen = subprocess.run(server + ['capture-pane', '-p', '-t', 'run'], check=True,
                                capture_output=True, text=True).stdout
    finally:
        subprocess.run(server + ['kill-server'], capture_output=True)
    with open(raw, 'rb') as f:
        stream = f.read().decode('utf-8', 'replace')
    status = [l for l in screen.splitlines() if l.startswith('EXIT=')]
    return screen, stream, int(status[0][5:]) if status else None


POLKIT = 'org.freedesktop.PolicyKit1'
POLKIT_AUTHORITY = '/org/freedesktop/PolicyKit1/Authority'


def start_polkit_mock(address):
    """python-dbusmock's polkitd template on the bus; returns its Popen once
    it owns its name. It allows nothing until polkit_allow()."""
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
    proc = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--system', '--template',
                             'polkitd'], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    subprocess.run(['gdbus', 'wait', '--address', address, '--timeout', str(int(DEADLINE)),
                    POLKIT], check=True)
    return proc


def polkit_allow(address, *actions):
    subprocess.run(['gdbus', 'call', '--address', address, '--dest', POLKIT, '--object-path',
                    POLKIT_AUTHORITY, '--method', 'org.freedesktop.DBus.Mock.SetAllowed',
                    str(list(actions))], check=True, stdout=subprocess.DEVNULL)


class LineReader:
    """The output of a running program, line by line, waited for (never
    polled): wait_for(predicate) returns the first new line it accepts."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.partial = b''
        self.lines = []
        self.seen = []

    def wait_for(self, predicate, what='a line'):
        end = time.monotonic() + DEADLINE
        while True:
            while self.lines:
                line = self.lines.pop(0)
                self.seen.append(line)
                if predicate(line):
                    return line
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError('%s not seen; got:\n%s' % (what, '\n'.join(self.seen)))
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            data = os.read(self.fd, 65536)
            if not data:
                raise AssertionError('output ended before %s; got:\n%s' %
                                     (what, '\n'.join(self.seen)))
            self.partial += data
            *complete, self.partial = self.partial.split(b'\n')
            self.lines += [c.decode('utf-8', 'replace') for c in complete]

    def rest(self):
        """Everything until the stream ends."""
        while True:
            data = os.read(self.fd, 65536)
            if not data:
                break
            self.partial += data
        out = self.lines + ([self.partial.decode('utf-8', 'replace')] if self.partial else [])
        self.lines, self.partial = [], b''
        self.seen += out
        return out


class DaemonTestCase(unittest.TestCase):
    DRIVES = ('cdr80', 'cdrw74')
    ARGS = ()
    ENV = None

    def setUp(self):
        for tool in ('dbus-daemon', 'busctl', 'gdbus'):
            if not shutil.which(tool):
                self.fail(tool + ' missing')
        self.tmp = tempfile.mkdtemp(prefix='rawburnd-test-')
        self.bus = Bus(self.tmp)
        self.addCleanup(self.bus.stop)
        self.start_extra()
        self.daemon = Daemon(self.tmp, self.bus, self.DRIVES, self.ARGS, self.ENV)
        self.addCleanup(self.stop_daemon)
        self.address = self.bus.address

    def start_extra(self):
        pass

    def stop_daemon(self):
        rc = self.daemon.stop()
        log = self.daemon.read_log()
        shutil.rmtree(self.tmp, ignore_errors=True)
        # A clean SIGTERM shutdown exits 0: anything else is a crash.
        self.assertEqual(rc, 0, 'rawburnd exit status %s\n%s' % (rc, log))

    def prop(self, name, iface, prop):
        return get_property(self.address, rec_path(name), iface, prop)

    def assert_alive(self):
        busctl(self.address, 'call', BUS, '/org/rawburn1', 'org.freedesktop.DBus.Peer', 'Ping')
        self.assertIsNone(self.daemon.proc.poll())


# ---------------------------------------------------------------- burning

RAWBURNCTL = os.environ.get('RAWBURNCTL', '')
SECTOR_SIZE = {1: 2368, 2: 2448, 3: 2448}
SECTOR_TYPE_NAME = {1: 'pq', 2: 'cooked', 3: 'raw'}
CDR80_LEADIN = -11634  # drivesim's ATIP lead-in start of cdr74/80 and CD-RW (97:26:66)


def make_wav(path, sectors, freq=440):
    """CD audio of exactly `sectors` 2352-byte sectors, a tone so tracks differ."""
    subprocess.run(['sox', '-q', '-r', '44100', '-c', '2', '-n', '-b', '16', '-e',
                    'signed-integer', path, 'synth', '%ds' % (sectors * 588), 'sine', str(freq),
                    'vol', '0.3'], check=True)


def make_image(tmp, sector_type=3, sectors=(300, 300), first_lba=-22650, name=None):
    """A DAO-96 image of an album of len(sectors) tracks made by rawburnctl;
    returns its path. first_lba: the image's first sector (-22650 = 95:00:00)."""
    name = name or 'album-%s-%d.img' % (SECTOR_TYPE_NAME[sector_type], -first_lba)
    path = os.path.join(tmp, name)
    wavs = []
    for i, n in enumerate(sectors):
        wav = os.path.join(tmp, 'track%02d-%d.wav' % (i + 1, n))
        if not os.path.exists(wav):
            make_wav(wav, n, 440 + 110 * i)
        wavs.append(wav)
    subprocess.run([RAWBURNCTL, 'image', 'create', '--sector-type',
                    SECTOR_TYPE_NAME[sector_type], '--first-lba', str(first_lba), '-o', path] +
                   wavs, check=True, capture_output=True)
    return path


def disc_matches_image(daemon, tmp, image, sector_type, stream_leadin=22650, name='sr0',
                       leadin=CDR80_LEADIN):
    """What drivesim recorded equals the image from the media's lead-in start
    on, byte for byte. Returns (equal, recorded bytes, expected bytes)."""
    out = os.path.join(tmp, 'disc-%s.out' % name)
    daemon.ctl('%s export %s' % (name, out))
    size = SECTOR_SIZE[sector_type]
    with open(image, 'rb') as f:
        f.seek((stream_leadin + leadin) * size)
        want = f.read()
    with open(out, 'rb') as f:
        got = f.read()
    os.unlink(out)
    # drivesim keeps 2448-byte sectors; a PQ-only stream is recorded with its
    # R-W zero: compare main channel and Q.
    if size == 2448:
        return got == want, len(got), len(want)
    n = len(want) // size
    if len(got) != n * 2448:
        return False, len(got), n * 2448
    for i in range(n):
        g = got[i * 2448:(i + 1) * 2448]
        w = want[i * size:(i + 1) * size]
        if g[:2352] != w[:2352] or q_of_raw(g[2352:]) != w[2352:2364]:
            return False, i, n
    return True, len(got), n * 2448


def q_of_raw(sub):
    """The 12 Q bytes of a raw interleaved P-W block (bit 6 of each byte)."""
    q = bytearray(12)
    for i in range(96):
        if sub[i] & 0x40:
            q[i // 8] |= 0x80 >> (i % 8)
    return bytes(q)


class CallError(Exception):
    """A D-Bus error reply: name and message."""

    def __init__(self, name, message):
        super().__init__('%s: %s' % (name, message))
        self.name = name
        self.message = message


# The signatures of the calls the tests make (GDBus needs them spelt out).
METHOD_SIGNATURES = {
    'PrepareMedia': 'a{sv}', 'WriteMedia': 'h', 'WriteMedia2': 'hi', 'CancelWrite': '',
    'ReleaseMedia': '', 'SetWriteSpeed': 'ib', 'EjectMedia': '', 'CloseTray': '',
    'AcquireExclusiveAccess': 'bs', 'ReleaseExclusiveAccess': '', 'ReadMedia': 'hii',
}
PROPERTY_TYPES = {
    'RequestedSectorType': 'i', 'BufferUnderrunFreeDisabled': 'b', 'ClientName': 's',
    'RequestedWriteSpeed': 'i', 'RequestedRotationTypeIsPureCAV': 'b',
}


def option_variants(options):
    """PrepareMedia's a{sv} from Python values: bool → b, int → i, str → s;
    a (signature, value) pair gives the type itself."""
    from gi.repository import GLib
    out = {}
    for k, v in options.items():
        if isinstance(v, tuple):
            out[k] = GLib.Variant(v[0], v[1])
        elif isinstance(v, bool):
            out[k] = GLib.Variant('b', v)
        elif isinstance(v, int):
            out[k] = GLib.Variant('i', v)
        else:
            out[k] = GLib.Variant('s', v)
    return out


class Client:
    """A GDBus (Gio) client: one connection for PrepareMedia, WriteMedia and
    ReleaseMedia, as an application holds one. GDBus does its I/O on its own
    thread, so one thread may wait in WriteMedia while another cancels on the
    same connection."""

    def __init__(self, address):
        from gi.repository import Gio, GLib
        self.Gio, self.GLib = Gio, GLib
        self.conn = Gio.DBusConnection.new_for_address_sync(
            address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    def call(self, name, iface, method, signature, args=(), fds=(), timeout=DEADLINE * 3):
        Gio, GLib = self.Gio, self.GLib
        params = GLib.Variant('(%s)' % signature, tuple(args)) if signature else None
        fdlist = Gio.UnixFDList.new_from_array([os.dup(fd) for fd in fds]) if fds else None
        try:
            result, _ = self.conn.call_with_unix_fd_list_sync(
                BUS, rec_path(name), iface, method, params, None, Gio.DBusCallFlags.NONE,
                int(timeout * 1000), fdlist, None)
        except GLib.Error as e:
            remote = Gio.DBusError.get_remote_error(e)
            if remote is None:
                raise
            Gio.DBusError.strip_remote_error(e)
            raise CallError(remote, e.message) from None
        return result.unpack() if result is not None else ()

    def send(self, name, method, args=(), fds=()):
        """The call goes out, its answer is not waited for."""
        Gio, GLib = self.Gio, self.GLib
        sig = METHOD_SIGNATURES[method]
        params = GLib.Variant('(%s)' % sig, tuple(args)) if sig else None
        fdlist = Gio.UnixFDList.new_from_array([os.dup(fd) for fd in fds]) if fds else None
        self.conn.call_with_unix_fd_list(BUS, rec_path(name), RAW_IFACE, method, params, None,
                                         Gio.DBusCallFlags.NONE, -1, fdlist, None, None)
        self.conn.flush_sync(None)

    def raw(self, name='sr0'):
        client = self

        class Proxy:
            def __getattr__(self, method):
                sig = METHOD_SIGNATURES[method]
                iface = REC_IFACE if method in ('EjectMedia', 'CloseTray',
                                                'AcquireExclusiveAccess',
                                                'ReleaseExclusiveAccess') else RAW_IFACE

                def invoke(*args, timeout=DEADLINE * 3):
                    out = client.call(name, iface, method, sig, args, timeout=timeout)
                    return out[0] if len(out) == 1 else None
                invoke.__name__ = method
                return invoke
        return Proxy()

    def props(self, name='sr0'):
        client = self

        class Props:
            def Get(self, iface, prop):
                return client.call(name, 'org.freedesktop.DBus.Properties', 'Get', 'ss',
                                   (iface, prop))[0]

            def Set(self, iface, prop, value):
                v = client.GLib.Variant(PROPERTY_TYPES[prop], value)
                client.call(name, 'org.freedesktop.DBus.Properties', 'Set', 'ssv',
                            (iface, prop, v))
        return Props()

    def prepare(self, name='sr0', **options):
        return int(self.call(name, RAW_IFACE, 'PrepareMedia', 'a{sv}',
                             (option_variants(options),))[0])

    def write(self, fd, name='sr0', leadin=None, timeout=600):
        if leadin is None:
            return self.call(name, RAW_IFACE, 'WriteMedia', 'h', (0,), fds=(fd,),
                             timeout=timeout)
        return self.call(name, RAW_IFACE, 'WriteMedia2', 'hi', (0, leadin), fds=(fd,),
                         timeout=timeout)

    def release(self, name='sr0'):
        self.call(name, RAW_IFACE, 'ReleaseMedia', '')

    def error_of(self, fn, *args, **kw):
        """Runs a call that must fail; returns (D-Bus error name, message)."""
        try:
            fn(*args, **kw)
        except CallError as e:
            return e.name, e.message
        raise AssertionError('%s succeeded' % getattr(fn, '__name__', fn))

    def close(self):
        if not self.conn.is_closed():
            self.conn.close_sync(None)


def pipe_from_file(path):
    """A pipe whose read end gives the file's bytes (written by a thread)."""
    import threading
    r, w = os.pipe()

    def feed():
        try:
            with open(path, 'rb') as f:
                while True:
                    chunk = memoryview(f.read(1 << 20))
                    if not chunk:
                        break
                    while chunk:
                        chunk = chunk[os.write(w, chunk):]
        except OSError:
            pass
        finally:
            os.close(w)

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    return r, t


def drive_state(daemon, name='sr0'):
    """drivesim's `srN state` as a dict."""
    return dict(line.split('=', 1) for line in daemon.ctl('%s state' % name))


def node_of(daemon, name='sr0'):
    """The drive's node as umockdev keeps it (UMOCKDEV_DIR/dev/srN)."""
    with open('/proc/%d/environ' % daemon.pid(), 'rb') as f:
        env = dict(kv.split(b'=', 1) for kv in f.read().split(b'\0') if b'=' in kv)
    return os.path.join(env[b'UMOCKDEV_DIR'].decode(), 'dev', name)


def hold_as_udev(path):
    """What systemd-udevd's worker holds while it processes an event of the
    disk (a disc put in, cdrom_id reading it): a shared flock on the node.
    Returns the descriptor; closing it lets go."""
    import fcntl
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    return fd


def drive_fds(daemon, name='sr0'):
    """rawburnd's descriptors holding the drive: open for writing, as a
    preparation or exclusive access opens it (umockdev keeps the nodes in its
    testbed: .../dev/sr0). A probe's short read-only open is not a hold."""
    pid = daemon.pid()
    found = []
    for fd in os.listdir('/proc/%d/fd' % pid):
        try:
            target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
            with open('/proc/%d/fdinfo/%s' % (pid, fd)) as f:
                flags = int(f.read().split('flags:', 1)[1].split()[0], 8)
        except (OSError, IndexError, ValueError):
            continue
        if target.endswith('/dev/' + name) and flags & os.O_ACCMODE != os.O_RDONLY:
            found.append(target)
    return found


def update_args(message):
    """The 12 int32 arguments of an Update signal line from Monitor, or None
    (another message, or one still arriving)."""
    if 'member=Update' not in message:
        return None
    values = message.split('member=Update', 1)[1].split('int32 ')[1:]
    if len(values) < 12:
        return None
    return [int(v.split()[0]) for v in values[:12]]


def write_finished(message):
    """True for a WriteFinished signal line from Monitor that has arrived
    whole: dbus-monitor may hand a message over in more than one write, and
    its last argument, the details dictionary, ends it with "]"."""
    return 'member=WriteFinished' in message and message.rstrip().endswith(']')


def update_action(message):
    """current_action of an Update signal line from Monitor, else None."""
    args = update_args(message)
    return args[0] if args else None
