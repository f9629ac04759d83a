/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "disc-check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rawburn/subchannel.h>

#include "mmc.h"
#include "sgio.h"

#define SHORT_TIMEOUT_MS 10000
#define MAX_DIFFS        4 /* enough to say what is wrong, not a dump */

typedef struct diffs {
        char *buf;
        size_t size;
        unsigned n;
} diffs;

static void differ(diffs *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void differ(diffs *d, const char *fmt, ...)
{
        size_t used = strlen(d->buf);
        va_list ap;

        if (d->n++ >= MAX_DIFFS || used + 3 >= d->size)
                return;
        if (used)
                used += (size_t)snprintf(d->buf + used, d->size - used, "; ");
        va_start(ap, fmt);
        vsnprintf(d->buf + used, d->size - used, fmt, ap);
        va_end(ap);
}

static int32_t be32s(const uint8_t *p)
{
        return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static size_t reply_end(const uint8_t *r, size_t len)
{
        size_t declared = len >= 2 ? 2u + ((size_t)r[0] << 8 | r[1]) : 0;

        return declared < len ? declared : len;
}

static const char *msf_text(rb_msf_t m, char buf[12])
{
        snprintf(buf, 12, "%02u:%02u:%02u", m.m, m.s, m.f);
        return buf;
}

int disc_check_toc0(const uint8_t *r, size_t len, const stream_leadin *want, char *buf, size_t size)
{
        diffs d = {buf, size, 0};
        size_t end = reply_end(r, len);
        bool seen[100] = {false}, leadout = false;

        if (end < 4)
                return differ(&d, "the drive returned no TOC"), -EBADMSG;
        if (r[2] != want->first_track || r[3] != want->last_track)
                differ(&d, "tracks %u to %u on the disc, %d to %d in the image", r[2], r[3],
                       want->first_track, want->last_track);
        for (size_t p = 4; p + 8 <= end; p += 8) {
                uint8_t tno = r[p + 2], control = r[p + 1] & 0x0f;
                int32_t lba = be32s(r + p + 4);

                if (tno == 0xAA) {
                        leadout = true;
                        if (lba != want->leadout_lba)
                                differ(&d,
                                       "the lead-out starts at LBA %d on the disc, %d in the "
                                       "image",
                                       lba, want->leadout_lba);
                        continue;
                }
                if (tno < 1 || tno > 99 || !want->tracks[tno].seen) {
                        differ(&d, "the disc has a track %u the image does not", tno);
                        continue;
                }
                seen[tno] = true;
                if (lba != rb_msf_to_lba(want->tracks[tno].p))
                        differ(&d, "track %u starts at LBA %d on the disc, %d in the image", tno,
                               lba, rb_msf_to_lba(want->tracks[tno].p));
                if (control != want->tracks[tno].control)
                        differ(&d, "track %u has control %X on the disc, %X in the image", tno,
                               control, want->tracks[tno].control);
        }
        for (int t = 1; t <= 99; t++)
                if (want->tracks[t].seen && !seen[t])
                        differ(&d, "track %d is missing from the disc's TOC", t);
        if (!leadout)
                differ(&d, "the disc's TOC has no lead-out");
        return d.n ? -EBADMSG : 0;
}

static void compare_point(diffs *d, const char *what, const stream_toc_point *want,
                          const uint8_t *desc)
{
        rb_msf_t got = {desc[8], desc[9], desc[10]};
        char a[12], b[12];

        if (!want->seen)
                return;
        if ((desc[1] & 0x0f) != want->control)
                differ(d, "%s has control %X on the disc, %X in the image", what, desc[1] & 0x0f,
                       want->control);
        if (memcmp(&got, &want->p, sizeof got) != 0)
                differ(d, "%s reads %s on the disc, %s in the image", what, msf_text(got, a),
                       msf_text(want->p, b));
}

int disc_check_toc2(const uint8_t *r, size_t len, const stream_leadin *want, char *buf, size_t size)
{
        diffs d = {buf, size, 0};
        size_t end = reply_end(r, len);
        bool have_a2 = false;

        if (end < 4)
                return differ(&d, "the drive returned no full TOC"), -EBADMSG;
        for (size_t p = 4; p + 11 <= end; p += 11) {
                const uint8_t *desc = r + p;
                uint8_t point = desc[3];
                char what[16];

                if ((desc[1] >> 4) != 1)
                        continue; /* ADR 5 and others: not in a single-session image */
                switch (point) {
                case 0xA0:
                        compare_point(&d, "point A0 (first track, disc type)", &want->a0, desc);
                        break;
                case 0xA1:
                        compare_point(&d, "point A1 (last track)", &want->a1, desc);
                        break;
                case 0xA2:
                        have_a2 = true;
                        compare_point(&d, "point A2 (lead-out)", &want->a2, desc);
                        break;
                default:
                        if (point < 1 || point > 99)
                                break;
                        snprintf(what, sizeof what, "track %u", point);
                        compare_point(&d, what, &want->tracks[point], desc);
                }
        }
        if (!have_a2)
                differ(&d, "the disc's full TOC has no A2 (lead-out) point");
        return d.n ? -EBADMSG : 0;
}

static int pack_order(const void *a, const void *b)
{
        const uint8_t *x = a, *y = b;
        int kx = ((x[3] >> 4) & 7) << 8 | x[2], ky = ((y[3] >> 4) & 7) << 8 | y[2];

        return kx - ky;
}

int disc_check_cdtext(const uint8_t *r, size_t len, const uint8_t *packs, size_t count, char *buf,
                      size_t size)
{
        diffs d = {buf, size, 0};
        size_t end = reply_end(r, len), got = end >= 4 ? (end - 4) / RB_CDTEXT_PACK_SIZE : 0;
        uint8_t *sorted;

        if (got != count) {
                differ(&d, "%zu CD-Text packs on the disc, %zu in the image", got, count);
                return -EBADMSG;
        }
        if (count == 0)
                return 0;
        /* Drives return the packs as the lead-in holds them; compare in the
         * image's order (block, sequence). */
        sorted = malloc(count * RB_CDTEXT_PACK_SIZE);
        if (!sorted)
                return -ENOMEM;
        memcpy(sorted, r + 4, count * RB_CDTEXT_PACK_SIZE);
        qsort(sorted, count, RB_CDTEXT_PACK_SIZE, pack_order);
        for (size_t i = 0; i < count; i++) {
                const uint8_t *a = sorted + i * RB_CDTEXT_PACK_SIZE;
                const uint8_t *b = packs + i * RB_CDTEXT_PACK_SIZE;

                if (memcmp(a, b, RB_CDTEXT_PACK_SIZE) != 0)
                        differ(&d, "CD-Text pack %zu (type %02Xh, block %u, track %u) differs", i,
                               b[0], (b[3] >> 4) & 7, b[1] & 0x7f);
        }
        free(sorted);
        return d.n ? -EBADMSG : 0;
}

static int read_toc(int fd, uint8_t format, uint8_t *buf, size_t size, size_t *got, drive_error *e)
{
        uint8_t cdb[10];
        sgio_result res;
        char what[48];
        size_t n = mmc_cdb_read_toc(cdb, format, (uint16_t)(size > 0xffff ? 0xffff : size));
        int r;

        memset(buf, 0, size);
        r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, size, SHORT_TIMEOUT_MS, &res);
        if (r < 0) {
                snprintf(what, sizeof what, "READ TOC format %u after writing", format);
                drive_error_from_command(e, MMC_OP_READ_TOC_PMA_ATIP, what, r, &res);
                return r;
        }
        *got = res.transferred;
        return 0;
}

static int check_disc_status(int fd, diffs *d, drive_error *e)
{
        uint8_t cdb[10], buf[34] = {0};
        sgio_result res;
        mmc_disc_info di;
        size_t n = mmc_cdb_read_disc_information(cdb, sizeof buf);
        int r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, SHORT_TIMEOUT_MS, &res);

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_READ_DISC_INFORMATION,
                                         "READ DISC INFORMATION after writing", r, &res);
                return r;
        }
        if (mmc_parse_disc_information(buf, res.transferred, &di) < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "READ DISC INFORMATION after writing returned a malformed reply");
                return -EBADMSG;
        }
        if (di.status != MMC_DISC_COMPLETE)
                differ(d, "the disc reads as %s, not complete",
                       di.status == MMC_DISC_BLANK ? "blank" : "incomplete (appendable)");
        else if (((buf[2] >> 2) & 3) != 3)
                differ(d, "its session is not closed");
        return 0;
}

int disc_check(int fd, const stream_leadin *want, const uint8_t *cdtext, size_t cdtext_packs,
               drive_error *e)
{
        size_t size = 4 + RB_CDTEXT_PACK_SIZE * 8 * 256, got;
        uint8_t *buf = malloc(size);
        char text[sizeof e->detail - 64] = "";
        diffs d = {text, sizeof text, 0};
        int r;

        if (!buf) {
                drive_error_set(e, "OutOfMemory", "no memory to read the disc back");
                return -ENOMEM;
        }
        r = check_disc_status(fd, &d, e);
        /* The TOC of a disc that did not close is not worth reading. */
        if (r == 0 && d.n == 0 && (r = read_toc(fd, 0, buf, 4 + 8 * 101, &got, e)) == 0)
                (void)disc_check_toc0(buf, got, want, text + strlen(text),
                                      sizeof text - strlen(text));
        if (r == 0 && text[0] == '\0' && (r = read_toc(fd, 2, buf, 4 + 11 * 110, &got, e)) == 0)
                (void)disc_check_toc2(buf, got, want, text + strlen(text),
                                      sizeof text - strlen(text));
        if (r == 0 && text[0] == '\0' && cdtext_packs > 0 &&
            (r = read_toc(fd, 5, buf, size, &got, e)) == 0)
                (void)disc_check_cdtext(buf, got, cdtext, cdtext_packs, text + strlen(text),
                                        sizeof text - strlen(text));
        free(buf);
        if (r < 0)
                return r;
        if (text[0] || d.n) {
                drive_error_set(e, "VerifyFailed", "read back after writing: %s", text);
                return -EBADMSG;
        }
        return 0;
}
