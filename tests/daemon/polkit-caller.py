#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""An application calling rawburnd, run by test-polkitd-real.py as an
unprivileged user (setpriv) in the cgroup of the login session it fakes.

    polkit-caller.py BUS-ADDRESS

One GDBus connection for its whole life, as an application holds one; reads
commands from stdin, one a line, and answers each with one JSON line:

    prepare [interactive]   PrepareMedia({'ClientName': 'polkit-caller'})
    release [interactive]   ReleaseMedia()
    eject [interactive]     EjectMedia()
    close [interactive]     CloseTray()
    state                   the DiscFormat2RawCD State property
    getall                  every DiscRecorder2 property

"interactive" sets the message's ALLOW_INTERACTIVE_AUTHORIZATION flag.
Answers: {"ok": <result>} or {"error": "<D-Bus error name>", "message": "..."}.
The first line out is {"pid": <its pid>, "uid": <its uid>} once connected."""

import json
import os
import sys

from gi.repository import Gio, GLib

REC_PATH = '/org/rawburn1/recorder/sr0'
REC = 'org.rawburn1.DiscRecorder2'
RAW = 'org.rawburn1.DiscFormat2RawCD'

CALLS = {
    'prepare': (RAW, 'PrepareMedia',
                GLib.Variant('(a{sv})', ({'ClientName': GLib.Variant('s', 'polkit-caller')},))),
    'release': (RAW, 'ReleaseMedia', None),
    'eject': (REC, 'EjectMedia', None),
    'close': (REC, 'CloseTray', None),
    'state': ('org.freedesktop.DBus.Properties', 'Get', GLib.Variant('(ss)', (RAW, 'State'))),
    'getall': ('org.freedesktop.DBus.Properties', 'GetAll', GLib.Variant('(s)', (REC,))),
}


def answer(obj):
    sys.stdout.write(json.dumps(obj, default=str) + '\n')
    sys.stdout.flush()


def main():
    conn = Gio.DBusConnection.new_for_address_sync(
        sys.argv[1], Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    answer({'pid': os.getpid(), 'uid': os.getuid()})
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        iface, method, params = CALLS[words[0]]
        flags = Gio.DBusCallFlags.NONE
        if 'interactive' in words[1:]:
            flags |= Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION
        try:
            result = conn.call_sync('org.rawburn1', REC_PATH, iface, method, params, None,
                                    flags, 60000, None)
        except GLib.Error as e:
            name = Gio.DBusError.get_remote_error(e)
            Gio.DBusError.strip_remote_error(e)
            answer({'error': name or 'local:' + str(e.code), 'message': e.message})
            continue
        value = result.unpack() if result is not None else ()
        answer({'ok': value[0] if len(value) == 1 else None})
    conn.close_sync(None)


if __name__ == '__main__':
    main()
