/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-props.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void strv_free(char **l)
{
        if (!l)
                return;
        for (char **p = l; *p; p++)
                free(*p);
        free(l);
}

static int read_strv(sd_bus_message *m, char ***ret)
{
        char **l = NULL;
        size_t n = 0;
        const char *s;
        int r = sd_bus_message_enter_container(m, 'a', "s");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read_basic(m, 's', &s)) > 0) {
                char **nl = realloc(l, (n + 2) * sizeof *l);
                if (!nl) {
                        r = -ENOMEM;
                        break;
                }
                l = nl;
                l[n] = strdup(s);
                l[n + 1] = NULL;
                if (!l[n]) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (r < 0) {
                strv_free(l);
                return r;
        }
        if (!l) {
                l = calloc(1, sizeof *l);
                if (!l)
                        return -ENOMEM;
        }
        *ret = l;
        return sd_bus_message_exit_container(m);
}

static int read_int_array(sd_bus_message *m, int_array *ret)
{
        const void *data;
        size_t size;
        int r = sd_bus_message_read_array(m, 'i', &data, &size);
        if (r < 0)
                return r;
        int32_t *v = malloc(size ? size : 1);
        if (!v)
                return -ENOMEM;
        memcpy(v, data, size);
        *ret = (int_array){v, size / sizeof(int32_t)};
        return 0;
}

/* Reads the variant's value into the field; 0 when the type was not the
 * expected one (the variant is skipped), 1 when stored. */
static int read_value(sd_bus_message *m, const prop_map *p, void *obj)
{
        static const char *const sigs[] = {
            [PROP_STRING] = "s", [PROP_BOOL] = "b",       [PROP_INT32] = "i", [PROP_UINT32] = "u",
            [PROP_STRV] = "as",  [PROP_INT_ARRAY] = "ai", [PROP_INT64] = "x", [PROP_BYTE] = "y",
        };
        char *field = (char *)obj + p->offset;
        const char *sig = sigs[p->kind];
        int r;

        if (p->kind == PROP_STRING && sd_bus_message_verify_type(m, 'v', "o") > 0)
                sig = "o";
        r = sd_bus_message_verify_type(m, 'v', sig);
        if (r <= 0)
                return r < 0 ? r : sd_bus_message_skip(m, "v");
        r = sd_bus_message_enter_container(m, 'v', sig);
        if (r < 0)
                return r;
        switch (p->kind) {
        case PROP_STRING: {
                const char *s;
                r = sd_bus_message_read_basic(m, sig[0], &s);
                if (r < 0)
                        return r;
                char *copy = strdup(s);
                if (!copy)
                        return -ENOMEM;
                free(*(char **)field);
                *(char **)field = copy;
                break;
        }
        case PROP_BOOL: {
                int b;
                r = sd_bus_message_read_basic(m, 'b', &b);
                if (r < 0)
                        return r;
                *(bool *)field = b;
                break;
        }
        case PROP_INT32:
                r = sd_bus_message_read_basic(m, 'i', field);
                if (r < 0)
                        return r;
                break;
        case PROP_UINT32:
        case PROP_INT64:
        case PROP_BYTE:
                r = sd_bus_message_read_basic(m, sig[0], field);
                if (r < 0)
                        return r;
                break;
        case PROP_STRV: {
                char **l;
                r = read_strv(m, &l);
                if (r < 0)
                        return r;
                strv_free(*(char ***)field);
                *(char ***)field = l;
                break;
        }
        case PROP_INT_ARRAY: {
                int_array a;
                r = read_int_array(m, &a);
                if (r < 0)
                        return r;
                free(((int_array *)field)->v);
                *(int_array *)field = a;
                break;
        }
        }
        r = sd_bus_message_exit_container(m);
        return r < 0 ? r : 1;
}

int bus_map_properties(sd_bus_message *m, const prop_map *map, size_t n_map, void *obj,
                       uint64_t *changed)
{
        const char *name;
        int r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(m, 's', &name);
                if (r < 0)
                        return r;
                size_t i;
                for (i = 0; i < n_map; i++)
                        if (strcmp(map[i].name, name) == 0)
                                break;
                if (i == n_map)
                        r = sd_bus_message_skip(m, "v");
                else {
                        r = read_value(m, &map[i], obj);
                        if (r > 0 && changed && i < 64)
                                *changed |= UINT64_C(1) << i;
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

void bus_map_free(const prop_map *map, size_t n_map, void *obj)
{
        for (size_t i = 0; i < n_map; i++) {
                char *field = (char *)obj + map[i].offset;
                switch (map[i].kind) {
                case PROP_STRING:
                        free(*(char **)field);
                        *(char **)field = NULL;
                        break;
                case PROP_STRV:
                        strv_free(*(char ***)field);
                        *(char ***)field = NULL;
                        break;
                case PROP_INT_ARRAY:
                        free(((int_array *)field)->v);
                        *(int_array *)field = (int_array){NULL, 0};
                        break;
                default:
                        break;
                }
        }
}
