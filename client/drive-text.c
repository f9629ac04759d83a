/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-text.h"

#include <stdio.h>
#include <string.h>

#include "format.h"

/* IMAPI_MEDIA_PHYSICAL_TYPE of CD-R and CD-RW */
enum { MEDIA_CDR = 2, MEDIA_CDRW = 3 };

char *drive_media_summary(const drive *d, char *buf, size_t size)
{
        const char *type = media_type_name(d->media_type);
        if (!d->media_present)
                snprintf(buf, size, "no disc");
        else if (d->media_supported && d->blank)
                snprintf(buf, size, "blank %s", type);
        else if (d->media_type == MEDIA_CDR || d->media_type == MEDIA_CDRW)
                snprintf(buf, size, "%s, not blank", type);
        else
                snprintf(buf, size, "%s, cannot be burned raw", type);
        return buf;
}

char *drive_state_summary(const drive *d, char *buf, size_t size)
{
        const char *state = d->state && d->state[0] ? d->state : "idle";
        if (strcmp(state, "idle") == 0 && d->erasing) {
                snprintf(buf, size, "erasing");
                return buf;
        }
        if (strcmp(state, "idle") != 0 && d->client_name && d->client_name[0])
                snprintf(buf, size, "%s for \"%s\"", state, d->client_name);
        else if (strcmp(state, "idle") == 0 && d->exclusive_owner && d->exclusive_owner[0])
                snprintf(buf, size, "held by \"%s\"", d->exclusive_owner);
        else
                snprintf(buf, size, "%s", state);
        return buf;
}

char *drive_model(const drive *d, char *buf, size_t size)
{
        snprintf(buf, size, "%s %s %s", d->vendor ? d->vendor : "", d->product ? d->product : "",
                 d->revision ? d->revision : "");
        return buf;
}

static void int_array_json(json_obj *j, const char *key, const int_array *a, double scale)
{
        json_key(j, key);
        fputc('[', j->f);
        for (size_t i = 0; i < a->n; i++)
                fprintf(j->f, i ? ",%g" : "%g", a->v[i] * scale);
        fputc(']', j->f);
}

void drive_write_json(const drive *d, json_obj *j)
{
        char msf[16];

        json_str(j, "object_path", d->path);
        json_str(j, "device", d->volume_name);
        json_key(j, "device_paths");
        fputc('[', j->f);
        for (char **p = d->device_paths; p && *p; p++) {
                if (p != d->device_paths)
                        fputc(',', j->f);
                json_string(j->f, *p);
        }
        fputc(']', j->f);
        json_str(j, "vendor", d->vendor);
        json_str(j, "product", d->product);
        json_str(j, "revision", d->revision);
        json_bool(j, "raw_writing", d->recorder_supported);
        json_key(j, "write_modes");
        fputc('[', j->f);
        for (char **m = d->write_modes; m && *m; m++) {
                if (m != d->write_modes)
                        fputc(',', j->f);
                json_string(j->f, *m);
        }
        fputc(']', j->f);
        json_key(j, "sector_types");
        fputc('[', j->f);
        for (size_t i = 0; i < d->sector_types.n; i++) {
                if (i)
                        fputc(',', j->f);
                json_string(j->f, sector_type_name(d->sector_types.v[i]));
        }
        fputc(']', j->f);
        json_bool(j, "media_present", d->media_present);
        json_str(j, "media", d->media_present ? media_type_name(d->media_type) : NULL);
        json_bool(j, "blank", d->media_present && d->blank);
        json_bool(j, "writable", d->media_present && d->media_supported && d->blank);
        json_int(j, "leadin_start_lba", d->next_session);
        json_str(j, "leadin_start_msf",
                 d->next_session < 0 ? format_msf(d->next_session, msf, sizeof msf) : NULL);
        json_int(j, "last_leadout_lba", d->last_leadout);
        json_str(j, "last_leadout_msf",
                 d->last_leadout > 0 ? format_msf(d->last_leadout, msf, sizeof msf) : NULL);
        json_num(j, "audio_minutes", d->last_leadout > 0 ? d->last_leadout / 4500.0 : 0, 2);
        json_num(j, "data_mib", d->last_leadout > 0 ? d->last_leadout * 2048.0 / 1048576 : 0, 1);
        int_array_json(j, "write_speeds_sectors_per_second", &d->write_speeds, 1);
        int_array_json(j, "write_speeds_x", &d->write_speeds, 1.0 / 75);
        json_int(j, "current_write_speed_sectors_per_second", d->current_speed);
        json_str(j, "exclusive_owner", d->exclusive_owner);
        json_str(j, "state", d->state && d->state[0] ? d->state : "idle");
        json_bool(j, "erasing", d->erasing);
        json_str(j, "client_name", d->client_name);
        json_str(j, "owner", d->owner);
        json_str(j, "probe_error", d->probe_error);
}
