/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrepareMedia's options dictionary → rawcd_settings, with IMAPI2's
 * defaults for what is not given. */

#include <systemd/sd-bus.h>

#include "rawcd.h"

/* IMAPI2's defaults; client_name from the caller's process name. */
void rawcd_settings_default(rawcd_settings *s, sd_bus_message *call);

/* Reads an a{sv} from m into s. Returns 0, or a negative errno with error
 * set: InvalidArg for an unknown key, a wrong type or a value out of range,
 * ClientNameIsNotValid for a bad ClientName. */
int rawcd_parse_options(sd_bus_message *m, rawcd_settings *s, sd_bus_error *error);

/* A sector type value IMAPI2 knows (1, 2, 3). */
bool rawcd_sector_type_valid(int32_t t);
/* A write speed a caller may ask for: -1, or 1..65535 sectors per second
 * (SET CD SPEED's field holds kB/s up to 0xFFFE). */
bool rawcd_speed_valid(int32_t sectors_per_second);
