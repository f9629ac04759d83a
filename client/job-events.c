/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "job-events.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bus-props.h"
#include "error-hints.h"

int write_update_read(sd_bus_message *m, write_update *u)
{
        int r = sd_bus_message_read(m, "iiiiiiiiiiii", &u->action, &u->elapsed, &u->remaining,
                                    &u->start_lba, &u->sector_count, &u->last_read_lba,
                                    &u->last_written_lba, &u->total_system_buffer,
                                    &u->used_system_buffer, &u->free_system_buffer,
                                    &u->total_device_buffer, &u->used_device_buffer);
        return r < 0 ? r : 0;
}

double write_update_percent(const write_update *u)
{
        if (u->sector_count <= 0)
                return -1;
        /* IMAPI2's recipe; before the first sector is written it is below 0. */
        double done = (double)u->last_written_lba - u->start_lba + 1;
        if (done < 0)
                done = 0;
        double p = 100.0 * done / u->sector_count;
        return p > 100 ? 100 : p;
}

static double fill(int32_t used, int32_t total)
{
        return total > 0 ? 100.0 * used / total : -1;
}

double write_update_device_buffer(const write_update *u)
{
        return fill(u->used_device_buffer, u->total_device_buffer);
}

double write_update_system_buffer(const write_update *u)
{
        return fill(u->used_system_buffer, u->total_system_buffer);
}

#define FIELD(f) offsetof(write_result, f)
static const prop_map details_map[] = {
    {"HResult", PROP_UINT32, FIELD(hresult)},
    {"SectorsWritten", PROP_INT64, FIELD(sectors_written)},
    {"ElapsedTime", PROP_INT32, FIELD(elapsed)},
    {"Simulated", PROP_BOOL, FIELD(simulated)},
    {"WriterScheduling", PROP_STRING, FIELD(writer_scheduling)},
    {"MajorFaults", PROP_INT64, FIELD(major_faults)},
    {"Sense", PROP_STRING, FIELD(sense)},
    {"Command", PROP_BYTE, FIELD(command)},
};

int write_result_read(sd_bus_message *m, write_result *w)
{
        const char *name, *message;
        memset(w, 0, sizeof *w);
        int r = sd_bus_message_read(m, "ss", &name, &message);
        if (r < 0)
                return r;
        w->error_name = strdup(name);
        w->message = strdup(message);
        if (!w->error_name || !w->message)
                return -ENOMEM;
        return bus_map_properties(m, details_map, sizeof details_map / sizeof details_map[0], w,
                                  NULL);
}

void write_result_free(write_result *w)
{
        bus_map_free(details_map, sizeof details_map / sizeof details_map[0], w);
        free(w->error_name);
        free(w->message);
        w->error_name = w->message = NULL;
}

void write_result_json(const write_result *w, json_obj *j)
{
        bool ok = !w->error_name || !w->error_name[0];
        json_bool(j, "ok", ok);
        if (!ok) {
                const error_hint *h = error_hint_lookup(w->error_name);
                json_str(j, "name", w->error_name);
                json_str(j, "message", w->message);
                json_str(j, "hint", h ? h->hint : NULL);
                if (w->sense)
                        json_str(j, "sense", w->sense);
        }
        json_int(j, "sectors_written", w->sectors_written);
        json_int(j, "elapsed", w->elapsed);
        json_bool(j, "simulated", w->simulated);
        json_str(j, "writer_scheduling", w->writer_scheduling);
        json_int(j, "major_faults", w->major_faults);
}
