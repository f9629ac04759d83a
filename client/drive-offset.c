/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-offset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

const char *quirks_path(rb_quirks_origin_t origin)
{
        const char *env =
            getenv(origin == RB_QUIRKS_LOCAL ? "RAWBURN_LOCAL_QUIRKS" : "RAWBURN_QUIRKS");

        return env && *env ? env : rb_quirks_default_path(origin);
}

static void warn_line(void *userdata, const char *name, unsigned line, const char *message)
{
        log_warning("%s:%u: %s; line ignored", name, line, message);
}

int quirks_load_both(rb_quirks_t *q, const char *local, char *err, size_t errlen)
{
        const char *paths[] = {quirks_path(RB_QUIRKS_DISTRIBUTION),
                               local ? local : quirks_path(RB_QUIRKS_LOCAL)};
        const rb_quirks_origin_t origins[] = {RB_QUIRKS_DISTRIBUTION, RB_QUIRKS_LOCAL};

        memset(q, 0, sizeof *q);
        for (size_t i = 0; i < 2; i++) {
                int r = rb_quirks_load(q, origins[i], paths[i], warn_line, NULL);

                if (r < 0) {
                        snprintf(err, errlen, "%s: %s", paths[i], strerror(-r));
                        rb_quirks_free(q);
                        return r;
                }
        }
        return 0;
}

bool drive_offset_known(const drive *d)
{
        return d->write_offset_source != NULL;
}

const char *drive_offset_apply(const drive *d, bool disabled, burn_input *src)
{
        if (src->raw || disabled || !d || !drive_offset_known(d))
                return "none";
        /* WriteOffset is within the limit rawburnd's quirks parser keeps, which is
         * librawburn's: setting it cannot fail but on a read-only creator. */
        if (rb_raw_image_creator_set_write_offset(src->creator, d->write_offset) < 0)
                return "none";
        const rb_layout_t *l = rb_raw_image_creator_get_layout(src->creator);
        if (l)
                src->layout = l;
        return d->write_offset_source;
}

static char *offset_text(int32_t samples, const char *source, char *buf, size_t size)
{
        if (!source)
                snprintf(buf, size, "not known (rawburnd does not say)");
        else if (strcmp(source, "none") == 0)
                snprintf(buf, size, "none (no quirks file names this drive)");
        else
                snprintf(buf, size, "%+d samples (%s quirks file)", samples, source);
        return buf;
}

char *drive_offset_text(const drive *d, char *buf, size_t size)
{
        return offset_text(d->write_offset, d->write_offset_source, buf, size);
}

char *drive_read_offset_text(const drive *d, char *buf, size_t size)
{
        return offset_text(d->read_offset, d->read_offset_source, buf, size);
}
