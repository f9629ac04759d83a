/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Reading D-Bus properties (an a{sv} of GetAll, GetManagedObjects or
 * PropertiesChanged) into a C struct by a table of names, types and field
 * offsets, as systemd's bus_map_all_properties() does for its tools.
 * Properties the table does not name are skipped, so an older or newer
 * rawburnd can be read; a property with an unexpected type is skipped too.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

typedef struct int_array {
        int32_t *v;
        size_t n;
} int_array;

typedef enum prop_kind {
        PROP_STRING,    /* "s" or "o" into char * (owned) */
        PROP_BOOL,      /* "b" into bool */
        PROP_INT32,     /* "i" into int32_t */
        PROP_UINT32,    /* "u" into uint32_t */
        PROP_INT64,     /* "x" into int64_t */
        PROP_BYTE,      /* "y" into uint8_t */
        PROP_STRV,      /* "as" into char ** (owned, NULL-terminated) */
        PROP_INT_ARRAY, /* "ai" into int_array (owned) */
} prop_kind;

typedef struct prop_map {
        const char *name;
        prop_kind kind;
        size_t offset;
} prop_map;

/*
 * m is positioned at an a{sv}. Each known property is stored; *changed (if
 * not NULL) gets bit i set for map entry i that was present. Returns 0 or a
 * negative errno (a malformed message).
 */
int bus_map_properties(sd_bus_message *m, const prop_map *map, size_t n_map, void *obj,
                       uint64_t *changed);

/* Frees what bus_map_properties() allocated in obj. */
void bus_map_free(const prop_map *map, size_t n_map, void *obj);

void strv_free(char **l);
