/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DAO-96 images (2448-byte sectors: 2352 main + 96 raw P-W) out of the disc store, and the
 * state dir that keeps a recorded disc across drivesim runs ("kept"):
 *
 *   <state-dir>/<drive>.dao96  the recorded sectors from the first recorded LBA on
 *   <state-dir>/<drive>.desc   "media=cdr80\nfirst_lba=-11634\nstate=complete\n"
 *
 * Files are written to a temporary name and renamed, so a crash never leaves half a disc and
 * a disc served from the old .dao96 (cdrom kind) keeps reading its own inode meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ds-internal.h"
#include "ds-util.h"

static int write_sectors(const ds_disc *disc, FILE *f)
{
        for (int32_t lba = ds_disc_first_lba(disc); lba < ds_disc_recorded_end(disc); lba++) {
                uint8_t raw[DS_RAW_SECTOR_SIZE];
                int r = ds_disc_read(disc, lba, raw, raw + DS_MAIN_SIZE);

                if (r < 0)
                        return r;
                if (fwrite(raw, sizeof raw, 1, f) != 1)
                        return -EIO;
        }
        return 0;
}

/* Writes path through path.tmp; produce() fills the file. */
static int write_atomically(const char *path, int (*produce)(const void *ctx, FILE *f),
                            const void *ctx)
{
        char *tmp = NULL;
        FILE *f;
        int r;

        if (asprintf(&tmp, "%s.tmp", path) < 0)
                return -ENOMEM;
        f = fopen(tmp, "we");
        if (!f) {
                r = -errno;
                free(tmp);
                return r;
        }
        r = produce(ctx, f);
        if (fclose(f) != 0 && r == 0)
                r = -EIO;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        free(tmp);
        return r;
}

static int produce_image(const void *ctx, FILE *f)
{
        return write_sectors(ctx, f);
}

int ds_disc_export(const ds_disc *disc, const char *path)
{
        return write_atomically(path, produce_image, disc);
}

static const char *state_name(enum ds_disc_state s)
{
        switch (s) {
        case DS_DISC_BLANK:
                return "blank";
        case DS_DISC_INCOMPLETE:
                return "incomplete";
        case DS_DISC_COMPLETE:
                return "complete";
        }
        return "blank";
}

static int produce_desc(const void *ctx, FILE *f)
{
        const ds_drive *d = ctx;

        if (d->media.kind == DS_MEDIA_NONE)
                fprintf(f, "media=none\n");
        else
                fprintf(f, "media=%s\nfirst_lba=%d\nstate=%s\n", d->media.name,
                        ds_disc_first_lba(d->media.disc),
                        state_name(ds_disc_get_state(d->media.disc)));
        return ferror(f) ? -EIO : 0;
}

static int kept_paths(const ds_drive *d, char **image, char **desc)
{
        *image = *desc = NULL;
        if (asprintf(image, "%s/%s.dao96", d->state_dir, d->name) < 0) {
                *image = NULL;
                return -ENOMEM;
        }
        if (asprintf(desc, "%s/%s.desc", d->state_dir, d->name) < 0) {
                free(*image);
                *image = *desc = NULL;
                return -ENOMEM;
        }
        return 0;
}

int ds_kept_save(ds_drive *d)
{
        char *image, *desc;
        int r;

        if (!d->state_dir)
                return 0;
        r = kept_paths(d, &image, &desc);
        if (r < 0)
                return r;
        if (d->media.kind != DS_MEDIA_NONE && ds_disc_get_state(d->media.disc) != DS_DISC_BLANK)
                r = ds_disc_export(d->media.disc, image);
        else
                unlink(image); /* nothing recorded: no stale image may come back */
        if (r == 0)
                r = write_atomically(desc, produce_desc, d);
        free(image);
        free(desc);
        return r;
}

typedef struct kept_desc {
        char media[32];
        int32_t first_lba;
        char state[16];
} kept_desc;

static int read_desc(const char *path, kept_desc *k)
{
        char line[128];
        FILE *f = fopen(path, "re");

        if (!f)
                return -errno;
        memset(k, 0, sizeof *k);
        snprintf(k->state, sizeof k->state, "blank");
        while (fgets(line, sizeof line, f)) {
                line[strcspn(line, "\n")] = '\0';
                if (strncmp(line, "media=", 6) == 0)
                        snprintf(k->media, sizeof k->media, "%.31s", line + 6);
                else if (strncmp(line, "first_lba=", 10) == 0)
                        k->first_lba = (int32_t)strtol(line + 10, NULL, 10);
                else if (strncmp(line, "state=", 6) == 0)
                        snprintf(k->state, sizeof k->state, "%.15s", line + 6);
        }
        fclose(f);
        return k->media[0] ? 0 : -EBADMSG;
}

static int restore(ds_drive *d, const kept_desc *k, const char *image, char **error)
{
        char *spec = NULL;
        int r;

        if (strcmp(k->media, "cdrom") == 0) {
                /* A pressed disc comes back from its own saved image. */
                if (asprintf(&spec, "cdrom:%s", image) < 0)
                        return -ENOMEM;
                r = ds_media_load(d, spec, error);
                free(spec);
                return r;
        }
        r = ds_media_load(d, k->media, error);
        if (r < 0 || d->media.kind == DS_MEDIA_NONE || strcmp(k->state, "blank") == 0)
                return r;
        if (k->first_lba != ds_disc_first_lba(d->media.disc))
                return ds_message(error, -EBADMSG, "kept disc of %s starts at LBA %d, not %d",
                                  d->name, k->first_lba, ds_disc_first_lba(d->media.disc));
        r = ds_disc_import(d->media.disc, image, k->first_lba);
        if (r < 0)
                return ds_message(error, r, "cannot re-insert the kept disc from %s", image);
        if (strcmp(k->state, "complete") == 0)
                return ds_disc_complete(d->media.disc);
        ds_disc_set_incomplete(d->media.disc);
        return 0;
}

int ds_kept_restore(ds_drive *d, char **error)
{
        char *image, *desc;
        kept_desc k;
        int r;

        if (!d->state_dir)
                return 0;
        r = kept_paths(d, &image, &desc);
        if (r < 0)
                return r;
        r = read_desc(desc, &k);
        if (r == -ENOENT)
                r = 0; /* nothing kept yet: the SPEC's media stands */
        else if (r < 0)
                r = ds_message(error, r, "cannot read %s", desc);
        else
                r = restore(d, &k, image, error);
        free(image);
        free(desc);
        return r;
}
