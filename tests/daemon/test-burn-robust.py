#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The burn engine when things go wrong while a drive burns in real time
(drivesim `realtime`): cancel at several points, the owner crashing during
the preparation and during the write, the drive unplugged mid-write, the
image truncated mid-write, two clients racing for one drive, two drives
burning at once. After each the daemon answers, holds no descriptor of the
drive, and the next burn succeeds. Also: the burn thread runs SCHED_FIFO
(read from /proc) and a logind inhibitor (python-dbusmock's template) is
held exactly while writing."""

import os
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (DEADLINE, RAW_IFACE, CallError, Client, DaemonTestCase, Monitor,
                     disc_matches_image, drive_fds, drive_state, make_image, prop, rec_path,
                     update_action, update_args, write_finished)

E = 'org.rawburn1.Error.'
HERE = os.path.dirname(os.path.abspath(__file__))
LOGIN1 = 'org.freedesktop.login1'


def last_written(message):
    """last_written_lba of an Update line (its 7th argument)."""
    return update_args(message)[6]


class Robust(DaemonTestCase):
    # 48x: a burn of the test album (19134 sectors from the lead-in start)
    # takes about 5 s, long enough to act in each phase; sr1's 8 MiB buffer
    # takes a second to drain at the end.
    DRIVES = ('cdr80,realtime,speed=48', 'cdr80,realtime,speed=48,buffer=8M')

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.images = tempfile.mkdtemp(prefix='rawburn-robust-')
        cls.image = make_image(cls.images, 3)

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

    # ---- helpers

    def write_in_background(self, client, name='sr0', fd=None, image=None):
        """WriteMedia on a thread; returns (thread, result dict)."""
        result = {}
        own = fd is None
        if own:
            fd = os.open(image or self.image, os.O_RDONLY)

        def run():
            try:
                client.write(fd, name=name)
                result['error'] = None
            except CallError as e:
                result['error'] = e.name
                result['message'] = e.message
            finally:
                if own:
                    os.close(fd)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t, result

    def wait_action(self, action, name='sr0', predicate=None):
        path = rec_path(name)
        return self.monitor.wait_for(
            lambda m: 'path=%s;' % path in m and update_action(m) == action and
            (predicate is None or predicate(m)))

    def join(self, thread):
        thread.join(DEADLINE * 3)
        self.assertFalse(thread.is_alive(), 'WriteMedia did not return')

    def assert_recovers(self, name='sr0', media='cdr80'):
        """The daemon answers, lets go of the drive, and burns the next disc."""
        self.assert_alive()
        self.monitor.wait_for(lambda m: 'path=%s;' % rec_path(name) in m and
                              prop('State', 'string "idle"') in m) \
            if self.prop(name, RAW_IFACE, 'State') != 'idle' else None
        self.assertEqual(drive_fds(self.daemon, name), [])
        self.assertEqual(drive_state(self.daemon, name)['locked'], 'no')
        self.daemon.ctl('%s clear-faults' % name, '%s take' % name,
                        '%s insert %s' % (name, media))
        fd = os.open(self.image, os.O_RDONLY)
        try:
            self.client.write(fd, name=name)
        finally:
            os.close(fd)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.image, 3, name=name)
        self.assertTrue(ok, 'the next burn differs (%s vs %s)' % (got, want))
        self.assertEqual(drive_fds(self.daemon, name), [])

    def prepare(self, client=None, name='sr0'):
        self.assertEqual((client or self.client).prepare(name, RequestedSectorType=3,
                                                         ClientName='robust-test'), 0)

    # ---- cancel

    def test_cancel_before_anything_is_written(self):
        # A pipe that gives nothing yet: the burn thread waits for the lead-in.
        self.prepare()
        r, w = os.pipe()
        t, result = self.write_in_background(self.client, fd=r)
        self.wait_action(1)
        self.client.raw().CancelWrite()
        self.join(t)
        os.close(w)
        os.close(r)
        self.assertEqual(result['error'], E + 'RequestCancelled')
        self.assertIn('the disc is untouched', result['message'])
        self.assertEqual(drive_state(self.daemon)['disc'], 'blank')
        self.client.release()
        self.assert_recovers()

    def test_cancel_in_the_lead_in_and_in_the_program_area(self):
        for where, predicate in (('lead-in', lambda m: last_written(m) < -150),
                                 ('program area', lambda m: last_written(m) >= 0)):
            with self.subTest(where=where):
                self.daemon.ctl('sr0 take', 'sr0 insert cdr80')
                self.prepare()
                t, result = self.write_in_background(self.client)
                self.wait_action(2, predicate=predicate)
                self.client.raw().CancelWrite()
                self.join(t)
                self.assertEqual(result['error'], E + 'RequestCancelled')
                self.assertIn('unusable', result['message'])
                state = drive_state(self.daemon)
                self.assertEqual(state['writing'], 'no')  # the drive was synchronized
                # It stopped short: nothing after the cancel point is on the disc.
                self.assertLess(int(state['recorded_end']), 7500)
                self.client.release()
        self.assert_recovers()

    def test_cancel_while_finishing_is_too_late(self):
        self.daemon.ctl('sr1 take', 'sr1 insert cdr80')
        self.prepare(name='sr1')
        t, result = self.write_in_background(self.client, name='sr1')
        self.wait_action(3, name='sr1')
        try:
            self.client.raw('sr1').CancelWrite()
        except CallError as e:
            # It may end between the signal and the call.
            self.assertEqual(e.name, E + 'WriteNotInProgress')
        self.join(t)
        self.assertIsNone(result['error'], result.get('message'))
        self.assertEqual(drive_state(self.daemon, 'sr1')['disc'], 'complete')
        self.client.release('sr1')
        self.assert_recovers('sr1')

    def test_cancel_by_another_client_needs_polkit_and_is_refused_without(self):
        # Root callers pass polkit (no --always-check-polkit here): the other
        # client may cancel. test-polkit.py covers the refusal.
        self.prepare()
        t, result = self.write_in_background(self.client)
        self.wait_action(2)
        other = Client(self.address)
        self.addCleanup(other.close)
        other.raw().CancelWrite()
        self.join(t)
        self.assertEqual(result['error'], E + 'RequestCancelled')
        self.client.release()
        self.assert_recovers()

    # ---- the owner goes away

    def start_burn_client(self, mode, name='sr0'):
        p = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'burn-client.py'),
                              self.address, name, self.image, mode], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        self.addCleanup(p.wait)
        self.addCleanup(p.kill)
        self.assertEqual(p.stdout.readline().strip(), 'sent')
        return p

    def test_owner_crash_during_the_preparation(self):
        # The drive is slow to become ready: the client is gone before the
        # preparation ends; then the drive is let go.
        self.daemon.ctl('sr0 fault becoming-ready op=0x00 count=6')
        p = self.start_burn_client('prepare-only')
        self.monitor.wait_for(lambda m: prop('State', 'string "preparing"') in m)
        p.kill()
        p.wait()
        self.monitor.wait_for(lambda m: prop('State', 'string "idle"') in m)
        self.assert_recovers()

    def test_owner_crash_while_prepared(self):
        p = self.start_burn_client('prepare-only')
        self.assertEqual(p.stdout.readline().strip(), 'prepared')
        self.assertEqual(drive_state(self.daemon)['locked'], 'yes')
        p.kill()
        p.wait()
        self.monitor.wait_for(lambda m: prop('State', 'string "idle"') in m)
        self.assert_recovers()

    def test_owner_crash_during_the_write_lets_it_finish(self):
        p = self.start_burn_client('prepare-write')
        self.assertEqual(p.stdout.readline().strip(), 'prepared')
        self.wait_action(2)
        p.kill()
        p.wait()
        finished = self.monitor.wait_for(write_finished)
        self.assertIn('string "" string ""', finished)  # success, nobody to tell but the bus
        self.monitor.wait_for(lambda m: prop('State', 'string "idle"') in m)
        ok, got, want = disc_matches_image(self.daemon, self.tmp, self.image, 3)
        self.assertTrue(ok, '%s vs %s' % (got, want))
        self.assert_recovers()

    # ---- the drive or the image goes away

    def test_drive_removed_mid_write(self):
        self.prepare()
        t, result = self.write_in_background(self.client)
        self.wait_action(2)
        self.daemon.ctl('remove sr0')
        self.join(t)
        self.assertEqual(result['error'], E + 'DeviceNotExist')
        self.assert_alive()
        self.assertEqual(drive_fds(self.daemon, 'sr0'), [])
        added = self.daemon.ctl('add cdr80')[0]
        self.monitor.wait_for(lambda m: 'member=InterfacesAdded' in m and added in m)
        self.assert_recovers(added)

    def test_image_truncated_mid_write(self):
        victim = os.path.join(self.tmp, 'victim.img')
        with open(self.image, 'rb') as src, open(victim, 'wb') as dst:
            dst.write(src.read())
        self.prepare()
        t, result = self.write_in_background(self.client, image=victim)
        self.wait_action(2, predicate=lambda m: last_written(m) > -9000)
        os.truncate(victim, (22650 - 5000) * 2448)
        self.join(t)
        self.assertEqual(result['error'], E + 'Fail')
        self.assertIn('truncated', result['message'])
        self.client.release()
        self.assert_recovers()

    # ---- several at once

    def test_two_clients_race_for_one_drive(self):
        others = [Client(self.address) for _ in range(2)]
        for c in others:
            self.addCleanup(c.close)
        barrier = threading.Barrier(2)
        outcome = [None, None]

        def race(i):
            barrier.wait()
            try:
                outcome[i] = others[i].prepare(ClientName='racer%d' % i)
            except CallError as e:
                outcome[i] = e.name

        threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(DEADLINE)
        self.assertEqual(sorted(map(str, outcome)), ['0', E + 'RecorderLocked'])
        winner = others[outcome.index(0)]
        winner.release()
        self.assert_recovers()

    def test_two_one_shot_writes_race(self):
        threads = [self.write_in_background(Client(self.address)) for _ in range(2)]
        for th, _ in threads:
            self.join(th)
        errors = sorted(str(r['error']) for _, r in threads)
        self.assertEqual(errors[0], 'None')
        self.assertIn(errors[1], (E + 'RecorderLocked', E + 'WriteInProgress'))
        self.assert_recovers()

    def test_two_drives_burn_at_once(self):
        second = Client(self.address)
        self.addCleanup(second.close)
        t0, r0 = self.write_in_background(self.client, 'sr0')
        t1, r1 = self.write_in_background(second, 'sr1')
        # Both are writing at the same time.
        self.wait_action(2, name='sr0')
        self.wait_action(2, name='sr1')
        self.join(t0)
        self.join(t1)
        self.assertIsNone(r0['error'], r0.get('message'))
        self.assertIsNone(r1['error'], r1.get('message'))
        for name in ('sr0', 'sr1'):
            ok, got, want = disc_matches_image(self.daemon, self.tmp, self.image, 3, name=name)
            self.assertTrue(ok, '%s: %s vs %s' % (name, got, want))
            self.assertEqual(drive_fds(self.daemon, name), [])

    # ---- how the writer runs

    def burn_thread_stat(self, name='sr0'):
        """(policy, rt_priority) of rawburnd's burn thread, from /proc."""
        pid = self.daemon.pid()
        for tid in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/comm' % (pid, tid)) as f:
                if f.read().strip() != 'rb-burn-' + name:
                    continue
            with open('/proc/%d/task/%s/stat' % (pid, tid)) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            # stat fields 40 (rt_priority) and 41 (policy), counted from 1;
            # fields[0] is field 3.
            return int(fields[38]), int(fields[37])
        return None

    def test_burn_thread_is_sched_fifo_while_writing(self):
        self.prepare()
        t, result = self.write_in_background(self.client)
        self.wait_action(2)
        self.assertEqual(self.burn_thread_stat(), (1, 40))  # SCHED_FIFO = 1
        self.join(t)
        self.assertIsNone(result['error'], result.get('message'))
        self.assertIsNone(self.burn_thread_stat())  # gone with the write
        self.assertIn('SCHED_FIFO priority 40', self.prop('sr0', RAW_IFACE, 'WriterScheduling'))
        self.client.release()


class Inhibitor(DaemonTestCase):
    DRIVES = ('cdr80,realtime,speed=48',)

    def start_extra(self):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus.address)
        self.logind = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--system',
                                        '--template', 'logind'], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.logind.wait)
        self.addCleanup(self.logind.terminate)
        subprocess.run(['gdbus', 'wait', '--address', self.bus.address, '--timeout',
                        str(int(DEADLINE)), LOGIN1], check=True)

    def inhibitors(self):
        r = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', LOGIN1,
                            '--object-path', '/org/freedesktop/login1', '--method',
                            'org.freedesktop.login1.Manager.ListInhibitors'],
                           capture_output=True, text=True, check=True)
        # ([('sleep:shutdown:…', 'who', 'why', 'block', uint32 1000, uint32 123456)],)
        import ast
        text = r.stdout.replace('uint32 ', '').replace('@a(ssssuu) ', '')
        return [tuple(i[:4]) for i in ast.literal_eval(text)[0]]

    def test_sleep_and_shutdown_are_blocked_while_writing(self):
        client = Client(self.address)
        self.addCleanup(client.close)
        monitor = Monitor(self.address)
        self.addCleanup(monitor.stop)
        image = make_image(self.tmp, 3)
        self.assertEqual(client.prepare(RequestedSectorType=3, ClientName='Sound Juicer'), 0)
        self.assertEqual(self.inhibitors(), [])  # preparing holds nothing
        fd = os.open(image, os.O_RDONLY)
        done = threading.Event()
        threading.Thread(target=lambda: (client.write(fd), done.set()), daemon=True).start()
        monitor.wait_for(lambda m: update_action(m) == 2)
        self.assertEqual(self.inhibitors(), [('sleep:shutdown:handle-suspend-key:handle-lid-switch',
                                              'Sound Juicer',
                                              'Writing a disc in /dev/sr0', 'block')])
        self.assertTrue(done.wait(DEADLINE * 3))
        os.close(fd)
        monitor.wait_for(lambda m: 'member=WriteFinished' in m)
        # The mock drops an inhibitor when its descriptor closes.
        for _ in range(50):
            if not self.inhibitors():
                break
        self.assertEqual(self.inhibitors(), [])
        client.release()


if __name__ == '__main__':
    unittest.main(verbosity=2)
