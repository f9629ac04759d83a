#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A burning application the tests can kill: on the bus at ADDRESS it
prepares DRIVE and, unless told `prepare-only`, writes IMAGE (a file). It
says where it is on stdout, one word per line: sent, prepared, written, or
`error NAME`.

    burn-client.py ADDRESS DRIVE IMAGE (prepare-only | prepare-write)
"""

import os
import sys

import dbus

BUS = 'org.rawburn1'
RAW = 'org.rawburn1.DiscFormat2RawCD'


def say(word):
    sys.stdout.write(word + '\n')
    sys.stdout.flush()


def main(address, drive, image, mode):
    bus = dbus.bus.BusConnection(address)
    raw = dbus.Interface(bus.get_object(BUS, '/org/rawburn1/recorder/' + drive), RAW)
    try:
        say('sent')
        raw.PrepareMedia(dbus.Dictionary({'ClientName': 'burn-client',
                                          'RequestedSectorType': dbus.Int32(3)},
                                         signature='sv'), timeout=60)
        say('prepared')
        if mode == 'prepare-only':
            sys.stdin.read()  # until the test closes it (or kills us)
            return 0
        fd = os.open(image, os.O_RDONLY)
        raw.WriteMedia(dbus.types.UnixFd(fd), timeout=600)
        say('written')
    except dbus.exceptions.DBusException as e:
        say('error ' + e.get_dbus_name())
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:5]))
