/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* org.rawburn1.DiscFormat2RawCD on a recorder object (dbus/ XML is the
 * contract). */

#include <systemd/sd-bus.h>

extern const sd_bus_vtable rawcd_vtable[];
