/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "recorder.h"

/* /org/rawburn1: the ObjectManager and org.rawburn1.Manager (IDiscMaster2). */

#ifndef RAWBURN_VERSION
#define RAWBURN_VERSION "unknown"
#endif

static int append_recorder_paths(sd_bus_message *reply, Daemon *d)
{
        int r = sd_bus_message_open_container(reply, 'a', "o");

        for (Recorder *rec = d->recorders; r >= 0 && rec; rec = rec->next)
                if (rec->exported)
                        r = sd_bus_message_append(reply, "o", rec->path);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int get_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "s", RAWBURN_VERSION);
}

static int get_recorders(sd_bus *bus, const char *path, const char *interface, const char *property,
                         sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return append_recorder_paths(reply, userdata);
}

static int get_supported_environment(sd_bus *bus, const char *path, const char *interface,
                                     const char *property, sd_bus_message *reply, void *userdata,
                                     sd_bus_error *error)
{
        Daemon *d = userdata;
        int any = 0;

        for (Recorder *rec = d->recorders; rec; rec = rec->next)
                any |= rec->exported;
        return sd_bus_message_append(reply, "b", any);
}

static int method_enumerate(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        sd_bus_message *reply = NULL;
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = append_recorder_paths(reply, userdata);
        if (r >= 0)
                r = sd_bus_send(NULL, reply, NULL);
        sd_bus_message_unref(reply);
        return r;
}

static const sd_bus_vtable manager_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("EnumerateRecorders", SD_BUS_NO_ARGS, SD_BUS_RESULT("ao", recorders),
                            method_enumerate, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_PROPERTY("Version", "s", get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Recorders", "ao", get_recorders, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("IsSupportedEnvironment", "b", get_supported_environment, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END,
};

int manager_register(Daemon *d)
{
        int r;

        r = sd_bus_add_object_manager(d->bus, NULL, RAWBURN_MANAGER_PATH);
        if (r < 0)
                return r;
        return sd_bus_add_object_vtable(d->bus, NULL, RAWBURN_MANAGER_PATH, RAWBURN_MANAGER_IFACE,
                                        manager_vtable, d);
}

void manager_recorders_changed(Daemon *d)
{
        (void)sd_bus_emit_properties_changed(d->bus, RAWBURN_MANAGER_PATH, RAWBURN_MANAGER_IFACE,
                                             "Recorders", "IsSupportedEnvironment", NULL);
}
