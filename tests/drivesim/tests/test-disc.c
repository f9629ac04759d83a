/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The disc store beyond a single run: "kept" persistence in a state dir, finished discs from
 * DAO-96 image files (cdrom:FILE), and "export FILE". */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "rawburn/msf.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634)

static char dir[64];

static int make_dir(void **state)
{
        snprintf(dir, sizeof dir, "/tmp/drivesim-disc-XXXXXX");
        assert_non_null(mkdtemp(dir));
        return 0;
}

static int remove_dir(void **state)
{
        char cmd[128];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
        return 0;
}

static uint64_t fake_now(void *userdata)
{
        return ((sim *)userdata)->now_ns;
}

/* A sim whose drive keeps its disc in the state dir. */
static sim *sim_with_state(const char *spec)
{
        sim *s = sim_new("none");
        ds_clock clock = {.now_ns = fake_now, .userdata = s};
        char *error = NULL;
        int r;

        ds_drive_free(s->drive);
        r = ds_drive_new(spec, "sr0", dir, &clock, &s->drive, &error);
        if (r < 0)
                fail_msg("ds_drive_new(%s): %d %s", spec, r, error ? error : "");
        return s;
}

static bh_disc audio_and_data(void)
{
        bh_disc disc = {.leadin_start = LEADIN_CDR80, .n_tracks = 2, .leadout = 50};

        disc.tracks[0] = (bh_track){.pregap = 150, .length = 200};
        disc.tracks[1] = (bh_track){.data = true, .pregap = 150, .length = 60};
        return disc;
}

/* Track 2 at 350, lead-out at 410, and sectors read back as burnt. */
static void assert_disc_readable(sim *s, const bh_disc *disc)
{
        uint8_t main[2352], user[2048];

        assert_int_equal(sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(s->data[3], 2);
        assert_int_equal(ds_get_be32(s->data + 16), 350);
        assert_int_equal(ds_get_be32(s->data + 24), 410);
        assert_int_equal(sim_in(s, CDB(0xBE, 0, 0, 0, 0, 100, 0, 0, 1, 0xF8, 0, 0), 2352), 0);
        bh_main(disc, 100, main);
        assert_memory_equal(s->data, main, 2352);
        assert_int_equal(sim_in(s, CDB(0x28, 0, 0, 0, 0x01, 0x5E, 0, 0, 1, 0), 2048), 0);
        bh_data_pattern(350, user);
        assert_memory_equal(s->data, user, 2048);
}

static char *slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "re");
        char *buf;
        long n;

        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        *len = (size_t)n;
        return buf;
}

static void test_kept_round_trip(void **state)
{
        bh_disc disc = audio_and_data();
        char path[128], *desc;
        size_t len;
        sim *s = sim_with_state("cdr80,kept");

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        sim_free(s); /* saves */

        snprintf(path, sizeof path, "%s/sr0.desc", dir);
        desc = slurp(path, &len);
        assert_non_null(strstr(desc, "media=cdr80\n"));
        assert_non_null(strstr(desc, "first_lba=-11634\n"));
        assert_non_null(strstr(desc, "state=complete\n"));
        free(desc);
        snprintf(path, sizeof path, "%s/sr0.dao96", dir);
        free(slurp(path, &len));
        assert_int_equal(len, (size_t)(bh_end(&disc) - LEADIN_CDR80) * 2448);

        /* "kept" brings the burnt disc back, whatever media the SPEC names. */
        s = sim_with_state("cdr74,kept");
        assert_string_equal(s->drive->media.name, "cdr80");
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_COMPLETE);
        assert_disc_readable(s, &disc);
        /* Still a closed CD-R. */
        bh_set_raw(s, 3, false, false);
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        sim_free(s);

        /* A SPEC that fails leaves what is saved alone. */
        {
                ds_drive *d = NULL;
                char *error = NULL;

                assert_true(
                    ds_drive_new("cdr80,kept,no-such-option", "sr0", dir, NULL, &d, &error) < 0);
                free(error);
        }

        /* A second round trip of the restored disc keeps it intact. */
        s = sim_with_state("cdr80,kept");
        assert_disc_readable(s, &disc);
        sim_free(s);
}

static void test_cdrom_image(void **state)
{
        bh_disc disc = audio_and_data();
        /* An image from the ATIP lead-in, and one from 95:00:00 as IMAPI streams start. */
        const int32_t starts[] = {LEADIN_CDR80, RB_IMAGE_START_LBA};

        for (size_t i = 0; i < 2; i++) {
                char path[128], spec[160];
                sim *s;

                snprintf(path, sizeof path, "%s/image%zu.dao96", dir, i);
                assert_int_equal(bh_write_image(&disc, starts[i], path), 0);
                snprintf(spec, sizeof spec, "cdrom:%s", path);
                s = sim_new(spec);
                assert_int_equal(s->drive->media.kind, DS_MEDIA_CDROM);
                assert_int_equal(ds_disc_first_lba(s->drive->media.disc), starts[i]);
                assert_disc_readable(s, &disc);
                /* A pressed disc is not writable. */
                bh_set_raw(s, 3, false, false);
                bh_write(s, &disc, LEADIN_CDR80, 1, 3);
                sim_assert_sense(s, 0x5, 0x30, 0x05);
                sim_free(s);
        }
}

static void test_cdrom_image_refused(void **state)
{
        char path[128], spec[160], *error = NULL;
        ds_drive *d = NULL;
        FILE *f;

        /* Not a whole number of 2448-byte sectors. */
        snprintf(path, sizeof path, "%s/bad.dao96", dir);
        f = fopen(path, "we");
        assert_non_null(f);
        fputs("not an image", f);
        fclose(f);
        snprintf(spec, sizeof spec, "cdrom:%s", path);
        assert_true(ds_drive_new(spec, "sr0", NULL, NULL, &d, &error) < 0);
        assert_non_null(error);
        free(error);
        error = NULL;
        assert_true(ds_drive_new("cdrom:/nonexistent/x.dao96", "sr0", NULL, NULL, &d, &error) < 0);
        free(error);
}

static void test_export(void **state)
{
        bh_disc disc = audio_and_data();
        char path[128], ref[128], line[160], *a, *b, *reply;
        size_t alen, blen;
        sim *s = sim_new("cdr80");

        snprintf(path, sizeof path, "%s/export.dao96", dir);
        snprintf(line, sizeof line, "export %s", path);
        /* Blank: nothing to export. */
        free(sim_control(s, line, -ENODATA));

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        reply = sim_control(s, line, 0);
        assert_non_null(strstr(reply, "-11634"));
        free(reply);

        /* Byte for byte the image the burn was made of, lead-in start to lead-out end. */
        snprintf(ref, sizeof ref, "%s/reference.dao96", dir);
        assert_int_equal(bh_write_image(&disc, LEADIN_CDR80, ref), 0);
        a = slurp(path, &alen);
        b = slurp(ref, &blen);
        assert_int_equal(alen, blen);
        assert_memory_equal(a, b, alen);
        free(a);
        free(b);
        sim_free(s);

        /* And it loads back as a finished disc. */
        snprintf(line, sizeof line, "cdrom:%s", path);
        s = sim_new(line);
        assert_disc_readable(s, &disc);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_kept_round_trip),
            cmocka_unit_test(test_cdrom_image),
            cmocka_unit_test(test_cdrom_image_refused),
            cmocka_unit_test(test_export),
        };

        return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
