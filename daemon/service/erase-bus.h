/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* org.rawburn1.DiscFormat2Erase on a recorder object (IMAPI2
 * IDiscFormat2Erase): EraseMedia of a CD-RW (dbus/ XML is the contract). */

#include <systemd/sd-bus.h>

extern const sd_bus_vtable erase_vtable[];
