/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "quirks.h"

#include <fnmatch.h>

write_mode_set quirks_modes_matching(const char *glob)
{
        write_mode_set set = 0;

        for (int m = 0; m < WRITE_MODE_COUNT; m++) {
                /* A star may span '/': "TEST/" and a star is every mode's Test Write, "RAW/"
                 * and a star still only the raw modes (their Test Write names start with
                 * "TEST/"). */
                if (fnmatch(glob, write_mode_name((write_mode)m, false), 0) == 0)
                        set |= WRITE_MODE_BIT(m);
                if (fnmatch(glob, write_mode_name((write_mode)m, true), 0) == 0)
                        set |= WRITE_MODE_TEST_BIT(m);
        }
        return set;
}

size_t quirks_apply(const rb_quirks_t *q, drive_info *info)
{
        const mmc_inquiry *id = &info->inquiry;
        size_t matched = 0;

        /* What a reload of the files no longer says goes. */
        info->write_modes.dropped = 0;
        info->write_offset = info->read_offset = (quirk_offset){.origin = RB_QUIRKS_NONE};
        if (!q || !info->have_inquiry)
                return 0;
        for (size_t i = 0; i < q->count; i++) {
                const rb_quirk_t *k = &q->entries[i];

                if (!rb_quirk_matches(k, id->vendor, id->product, id->revision))
                        continue;
                matched++;
                for (char **d = k->drop; d && *d; d++)
                        info->write_modes.dropped |= quirks_modes_matching(*d);
                if (k->has_write_offset)
                        info->write_offset = (quirk_offset){true, k->write_offset, k->origin};
                if (k->has_read_offset)
                        info->read_offset = (quirk_offset){true, k->read_offset, k->origin};
        }
        return matched;
}
