#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A polkit authentication agent for one process, for test-polkitd-real.py
(run as root, as pkttyagent --process is for a process it is not).

    polkit-agent.py BUS-ADDRESS PID START-TIME MODE

Registers with polkitd for the unix-process PID/START-TIME and prints one
JSON line per event: {"registered": true}, then for each BeginAuthentication
{"begin": action_id, "identities": ["unix-user:0", ...]} and for each
CancelAuthentication {"cancel": cookie}. MODE approve answers polkitd with
AuthenticationAgentResponse2 for the first identity offered, as
polkit-agent-helper-1 does once PAM accepted the password; MODE dismiss
answers as an agent whose user closed the dialog."""

import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

AGENT_IFACE = 'org.freedesktop.PolicyKit1.AuthenticationAgent'
OBJECT = '/org/rawburn1/test/PolkitAgent'


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def identity_text(identity):
    kind, details = identity
    if kind == 'unix-user':
        return 'unix-user:%d' % int(details['uid'])
    if kind == 'unix-group':
        return 'unix-group:%d' % int(details['gid'])
    return str(kind)


class Agent(dbus.service.Object):
    def __init__(self, bus, authority, mode):
        super().__init__(bus, OBJECT)
        self.authority = authority
        self.mode = mode

    @dbus.service.method(AGENT_IFACE, in_signature='sssa{ss}sa(sa{sv})', out_signature='')
    def BeginAuthentication(self, action_id, message, icon_name, details, cookie, identities):
        emit({'begin': str(action_id), 'identities': [identity_text(i) for i in identities]})
        if self.mode != 'approve':
            raise dbus.DBusException('dismissed', name='org.freedesktop.PolicyKit1.Error.Cancelled')
        self.authority.AuthenticationAgentResponse2(dbus.UInt32(0), cookie, identities[0])

    @dbus.service.method(AGENT_IFACE, in_signature='s', out_signature='')
    def CancelAuthentication(self, cookie):
        emit({'cancel': str(cookie)})


def main():
    address, pid, start_time, mode = sys.argv[1:5]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    authority = dbus.Interface(
        bus.get_object('org.freedesktop.PolicyKit1', '/org/freedesktop/PolicyKit1/Authority'),
        'org.freedesktop.PolicyKit1.Authority')
    Agent(bus, authority, mode)
    subject = ('unix-process', {'pid': dbus.UInt32(int(pid)),
                                'start-time': dbus.UInt64(int(start_time))})
    authority.RegisterAuthenticationAgent(subject, 'C.UTF-8', OBJECT)
    emit({'registered': True})
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
