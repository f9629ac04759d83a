/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-list.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "exit-status.h"
#include "output.h"
#include "rawburn-bus.h"

#define FIELD(f) offsetof(drive, f)

/* Entry order matters: recorder_group[] says which DRIVE_CHANGED_* bit
 * each entry belongs to. */
static const prop_map recorder_map[] = {
    {"VendorId", PROP_STRING, FIELD(vendor)},
    {"ProductId", PROP_STRING, FIELD(product)},
    {"ProductRevision", PROP_STRING, FIELD(revision)},
    {"VolumeName", PROP_STRING, FIELD(volume_name)},
    {"DevicePaths", PROP_STRV, FIELD(device_paths)},
    {"DeviceCanLoadMedia", PROP_BOOL, FIELD(can_load_media)},
    {"ExclusiveAccessOwner", PROP_STRING, FIELD(exclusive_owner)},
    {"MediaPresent", PROP_BOOL, FIELD(media_present)},
    {"ProbeError", PROP_STRING, FIELD(probe_error)},
    {"CurrentProfiles", PROP_INT_ARRAY, FIELD(current_profiles)},
    {"SupportedWriteModes", PROP_STRV, FIELD(write_modes)},
    {"WriteOffset", PROP_INT32, FIELD(write_offset)},
    {"WriteOffsetSource", PROP_STRING, FIELD(write_offset_source)},
    {"ReadOffset", PROP_INT32, FIELD(read_offset)},
    {"ReadOffsetSource", PROP_STRING, FIELD(read_offset_source)},
};
static const unsigned recorder_group[] = {
    DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_IDENTITY,  DRIVE_CHANGED_IDENTITY,
    DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_EXCLUSIVE, DRIVE_CHANGED_MEDIA,
    DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_MEDIA,    DRIVE_CHANGED_IDENTITY,  DRIVE_CHANGED_IDENTITY,
    DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_IDENTITY,
};

static const prop_map rawcd_map[] = {
    {"IsRecorderSupported", PROP_BOOL, FIELD(recorder_supported)},
    {"IsCurrentMediaSupported", PROP_BOOL, FIELD(media_supported)},
    {"MediaPhysicallyBlank", PROP_BOOL, FIELD(blank)},
    {"CurrentPhysicalMediaType", PROP_INT32, FIELD(media_type)},
    {"StartOfNextSession", PROP_INT32, FIELD(next_session)},
    {"LastPossibleStartOfLeadout", PROP_INT32, FIELD(last_leadout)},
    {"SupportedSectorTypes", PROP_INT_ARRAY, FIELD(sector_types)},
    {"SupportedWriteSpeeds", PROP_INT_ARRAY, FIELD(write_speeds)},
    {"CurrentWriteSpeed", PROP_INT32, FIELD(current_speed)},
    {"State", PROP_STRING, FIELD(state)},
    {"ClientName", PROP_STRING, FIELD(client_name)},
    {"Owner", PROP_STRING, FIELD(owner)},
    {"Simulate", PROP_BOOL, FIELD(simulate)},
};
static const unsigned rawcd_group[] = {
    DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_MEDIA, DRIVE_CHANGED_MEDIA,    DRIVE_CHANGED_MEDIA,
    DRIVE_CHANGED_MEDIA,    DRIVE_CHANGED_MEDIA, DRIVE_CHANGED_IDENTITY, DRIVE_CHANGED_MEDIA,
    DRIVE_CHANGED_MEDIA,    DRIVE_CHANGED_STATE, DRIVE_CHANGED_STATE,    DRIVE_CHANGED_STATE,
    DRIVE_CHANGED_STATE,
};

static const prop_map erase_map[] = {
    {"Erasing", PROP_BOOL, FIELD(erasing)},
};

_Static_assert(sizeof recorder_map / sizeof recorder_map[0] ==
                   sizeof recorder_group / sizeof recorder_group[0],
               "one group per recorder property");
_Static_assert(sizeof rawcd_map / sizeof rawcd_map[0] == sizeof rawcd_group / sizeof rawcd_group[0],
               "one group per raw CD property");

#define N(a) (sizeof(a) / sizeof((a)[0]))

drive *drive_new(const char *path)
{
        drive *d = calloc(1, sizeof *d);
        if (!d)
                return NULL;
        d->path = strdup(path);
        /* Object paths escape kernel names (sd_bus_path_encode); decode for people. */
        if (d->path && sd_bus_path_decode(path, RAWBURN_RECORDER_PATH, &d->name) <= 0) {
                const char *slash = strrchr(path, '/');
                d->name = strdup(slash ? slash + 1 : path);
        }
        if (!d->path || !d->name) {
                drive_free(d);
                return NULL;
        }
        return d;
}

void drive_free(drive *d)
{
        if (!d)
                return;
        bus_map_free(recorder_map, N(recorder_map), d);
        bus_map_free(rawcd_map, N(rawcd_map), d);
        bus_map_free(erase_map, N(erase_map), d);
        free(d->path);
        free(d->name);
        free(d);
}

static unsigned groups_of(uint64_t bits, const unsigned *group, size_t n)
{
        unsigned out = 0;
        for (size_t i = 0; i < n; i++)
                if (bits & (UINT64_C(1) << i))
                        out |= group[i];
        return out;
}

int drive_apply_properties(drive *d, const char *interface, sd_bus_message *m, unsigned *changed)
{
        uint64_t bits = 0;
        int r;

        if (strcmp(interface, RAWBURN_RECORDER_IFACE) == 0) {
                r = bus_map_properties(m, recorder_map, N(recorder_map), d, &bits);
                if (changed)
                        *changed |= groups_of(bits, recorder_group, N(recorder_group));
        } else if (strcmp(interface, RAWBURN_RAWCD_IFACE) == 0) {
                r = bus_map_properties(m, rawcd_map, N(rawcd_map), d, &bits);
                if (changed)
                        *changed |= groups_of(bits, rawcd_group, N(rawcd_group));
        } else if (strcmp(interface, RAWBURN_ERASE_IFACE) == 0) {
                r = bus_map_properties(m, erase_map, N(erase_map), d, &bits);
                if (changed && bits)
                        *changed |= DRIVE_CHANGED_STATE;
        } else
                r = sd_bus_message_skip(m, "a{sv}");
        return r;
}

void drives_clear(drive_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                drive_free(l->items[i]);
        free(l->items);
        l->items = NULL;
        l->n = 0;
}

/* sr2 before sr10: by the number at the end of the name when both have one. */
static int drive_order(const drive *a, const drive *b)
{
        size_t la = strcspn(a->name, "0123456789"), lb = strcspn(b->name, "0123456789");
        if (la == lb && strncmp(a->name, b->name, la) == 0 && a->name[la] && b->name[lb]) {
                long na = strtol(a->name + la, NULL, 10), nb = strtol(b->name + lb, NULL, 10);
                if (na != nb)
                        return na < nb ? -1 : 1;
        }
        return strcmp(a->name, b->name);
}

static int drives_add(drive_list *l, drive *d)
{
        drive **items = realloc(l->items, (l->n + 1) * sizeof *items);
        if (!items)
                return -ENOMEM;
        l->items = items;
        size_t i = l->n;
        while (i > 0 && drive_order(d, items[i - 1]) < 0) {
                items[i] = items[i - 1];
                i--;
        }
        items[i] = d;
        l->n++;
        return 0;
}

/* One object of GetManagedObjects: o a{sa{sv}}. Objects without a recorder
 * interface (the manager itself) are skipped. */
static int read_object(sd_bus_message *reply, drive_list *out)
{
        const char *path, *interface;
        bool is_recorder = false;
        int r = sd_bus_message_read_basic(reply, 'o', &path);
        if (r < 0)
                return r;
        drive *d = drive_new(path);
        if (!d)
                return -ENOMEM;
        r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}");
        while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
                r = sd_bus_message_read_basic(reply, 's', &interface);
                if (r < 0)
                        break;
                is_recorder |= strcmp(interface, RAWBURN_RECORDER_IFACE) == 0;
                r = drive_apply_properties(d, interface, reply, NULL);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(reply);
        if (r >= 0 && is_recorder) {
                r = drives_add(out, d);
                if (r >= 0)
                        d = NULL;
        }
        drive_free(d);
        return r;
}

int drives_load(sd_bus *bus, drive_list *out, sd_bus_error *error)
{
        sd_bus_message *reply = NULL;
        int r = sd_bus_call_method(bus, RAWBURN_BUS_NAME, RAWBURN_MANAGER_PATH, OBJECT_MANAGER,
                                   "GetManagedObjects", error, &reply, "");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
        while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
                r = read_object(reply, out);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(reply);
        sd_bus_message_unref(reply);
        if (r < 0) {
                drives_clear(out);
                sd_bus_error_set_errno(error, r);
        }
        return r < 0 ? r : 0;
}

/* DRIVE as a device node: the drive whose node it is, following links
 * (/dev/cdrom → /dev/sr0) on this machine. */
static bool matches_node(const drive *d, const char *arg)
{
        char resolved[PATH_MAX];
        const char *real = realpath(arg, resolved) ? resolved : arg;

        if (d->volume_name &&
            (strcmp(d->volume_name, arg) == 0 || strcmp(d->volume_name, real) == 0))
                return true;
        for (char **p = d->device_paths; p && *p; p++)
                if (strcmp(*p, arg) == 0 || strcmp(*p, real) == 0)
                        return true;
        return false;
}

static bool matches(const drive *d, const char *arg)
{
        if (arg[0] == '/' && strncmp(arg, "/dev/", 5) != 0)
                return strcmp(d->path, arg) == 0;
        if (arg[0] == '/')
                return matches_node(d, arg);
        return strcmp(d->name, arg) == 0;
}

static bool is_writing(const drive *d)
{
        return d->state && strcmp(d->state, "writing") == 0;
}

static bool has_blank_disc(const drive *d)
{
        return d->media_present && d->blank && d->media_supported;
}

/* IMAPI_MEDIA_PHYSICAL_TYPE of a CD-RW */
#define MEDIA_CDRW 3

static bool has_cdrw(const drive *d)
{
        return d->media_present && d->media_type == MEDIA_CDRW;
}

bool drive_has_write_mode(const drive *d, const char *mode)
{
        for (char **m = d->write_modes; m && *m; m++)
                if (strcmp(*m, mode) == 0)
                        return true;
        return false;
}

int drives_choose(const drive_list *l, const char *arg, drive_pick how, drive **ret)
{
        if (arg) {
                for (size_t i = 0; i < l->n; i++)
                        if (matches(l->items[i], arg)) {
                                *ret = l->items[i];
                                return 0;
                        }
                return l->n ? -ENODEV : -ENXIO;
        }
        if (l->n == 0)
                return -ENXIO;
        if (l->n == 1) {
                *ret = l->items[0];
                return 0;
        }
        drive *pick = NULL;
        for (size_t i = 0; i < l->n; i++) {
                drive *d = l->items[i];
                if (how == PICK_BLANK && has_blank_disc(d)) {
                        *ret = d;
                        return 0; /* the first one */
                }
                if ((how == PICK_WRITING && is_writing(d)) || (how == PICK_CDRW && has_cdrw(d))) {
                        if (pick)
                                return -ENOTUNIQ;
                        pick = d;
                }
        }
        if (!pick)
                return -ENOTUNIQ;
        *ret = pick;
        return 0;
}

int drives_choose_report(int r, const drive_list *l, const char *arg, drive_pick how)
{
        char names[256] = "";
        for (size_t i = 0; i < l->n; i++) {
                size_t used = strlen(names);
                snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                         l->items[i]->name);
        }
        int status = r == -ENOTUNIQ ? EXIT_USAGE : EXIT_NO_DRIVE;
        const char *why;
        char buf[512];
        switch (r) {
        case -ENXIO:
                why = "there is no optical drive: connect one (rawburnctl list shows the drives "
                      "rawburnd sees)";
                break;
        case -ENODEV:
                snprintf(buf, sizeof buf, "there is no drive \"%s\": the drives are %s", arg,
                         names);
                why = buf;
                break;
        default:
                snprintf(buf, sizeof buf, "there are several drives (%s)%s: name one with %s",
                         names,
                         how == PICK_BLANK     ? " and none holds a blank disc"
                         : how == PICK_WRITING ? " and not exactly one is burning"
                         : how == PICK_CDRW    ? " and not exactly one holds a CD-RW"
                                               : "",
                         how == PICK_BLANK ? "--drive" : "DRIVE");
                why = buf;
        }
        if (arg_json) {
                json_obj j;
                json_event(&j, "error", arg);
                json_str(&j, "name",
                         r == -ENOTUNIQ ? "rawburnctl.AmbiguousDrive" : "rawburnctl.NoSuchDrive");
                json_str(&j, "hint", why);
                json_int(&j, "exit_status", status);
                json_close(&j);
                json_end_line(stdout);
        }
        log_error("%s.", why);
        return status;
}
