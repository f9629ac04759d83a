/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A layout in words: what `image create --dry-run` and `burn --dry-run` print. */
#include "layout-text.h"

#include <stdio.h>
#include <stdlib.h>

#include "rawburn/audio-order.h"
#include "rawburn/cdtext.h"
#include "rawburn/msf.h"

static const char *msf(int32_t lba, char buf[16])
{
        rb_msf_t m = {0, 0, 0};
        (void)rb_lba_to_msf(lba, &m);
        snprintf(buf, 16, "%02u:%02u:%02u", m.m, m.s, m.f);
        return buf;
}

void layout_print(const rb_layout_t *l, FILE *f)
{
        char a[16], b[16];
        rb_toc_entry_t toc[102];

        fprintf(f, "sector type: %s (%zu bytes)\n", rb_sector_type_name(l->sector_type),
                rb_sector_type_size(l->sector_type));
        fprintf(
            f, "image:       LBA %d (%s) to %d, %llu sectors, %llu bytes\n", l->first_lba,
            msf(l->first_lba, a), l->leadout_lba + (int32_t)l->leadout_length - 1,
            (unsigned long long)rb_layout_image_sectors(l),
            (unsigned long long)(rb_layout_image_sectors(l) * rb_sector_type_size(l->sector_type)));
        if (l->mcn[0])
                fprintf(f, "catalog:     %s\n", l->mcn);
        for (unsigned i = 0; i < l->track_count; i++) {
                const rb_track_t *t = &l->tracks[i];
                fprintf(f,
                        "track %02u     %s, control %X, pause %u at %s, start %s (LBA %d), %u "
                        "sectors",
                        t->number, rb_track_mode_name(t->mode), rb_track_control(t), t->pause,
                        msf(t->pause_lba, a), msf(t->start_lba, b), t->start_lba, t->length);
                if (t->isrc[0])
                        fprintf(f, ", ISRC %s", t->isrc);
                fputc('\n', f);
                if (l->sub_file >= 0 && i == 0)
                        fprintf(f, "  program-area subchannel as given in %s\n",
                                l->files[l->sub_file].path);
                for (unsigned x = 2; x <= t->index_count; x++)
                        fprintf(f, "  index %02u   LBA %d\n", x,
                                t->start_lba + (int32_t)t->index_start[x]);
                for (size_t s = 0; s < t->segment_count; s++) {
                        const rb_segment_t *g = &t->segments[s];
                        if (g->file < 0) {
                                fprintf(f, "  %6u sectors generated (%s)\n", g->sectors,
                                        t->mode == RB_TRACK_AUDIO ? "silence" : "zero data");
                                continue;
                        }
                        const rb_source_file_t *src = &l->files[g->file];
                        fprintf(f, "  %6u sectors from %s, byte %llu, %s", g->sectors, src->path,
                                (unsigned long long)g->offset, src->format);
                        if (g->format == RB_FMT_AUDIO_RW)
                                fprintf(f, ", 2352 audio + 96 R-W pack bytes per sector");
                        if (g->format == RB_FMT_AUDIO_RW_RAW)
                                fprintf(f, ", 2352 audio + 96 R-W bytes as recorded, written as "
                                           "they are");
                        if (g->format == RB_FMT_AUDIO || g->format == RB_FMT_AUDIO_RW ||
                            g->format == RB_FMT_AUDIO_RW_RAW)
                                fprintf(f, ", %s",
                                        src->kind == RB_FILE_SNDFILE
                                            ? "byte order from the file header"
                                        : src->order == RB_BIG_ENDIAN ? "big-endian (swapped)"
                                                                      : "little-endian");
                        if (g->short_last)
                                fprintf(f, ", last sector padded by %zu bytes",
                                        rb_data_format_size(g->format) - g->short_last);
                        fputc('\n', f);
                        if (g->has_rw)
                                fprintf(f, "         R-W packs (CD+G) from %s, byte %llu\n",
                                        l->files[g->rw_file].path,
                                        (unsigned long long)g->rw_offset);
                }
        }
        fprintf(f, "lead-out:    %s (LBA %d), %u sectors\n", msf(l->leadout_lba, a), l->leadout_lba,
                l->leadout_length);
        if (l->write_offset)
                fprintf(
                    f,
                    "write offset: %+d samples: the audio is sent %d samples (%d bytes) %s, for "
                    "a drive that writes it that much %s\n",
                    l->write_offset, abs(l->write_offset), 4 * abs(l->write_offset),
                    l->write_offset > 0 ? "early" : "late",
                    l->write_offset > 0 ? "later" : "earlier");
        size_t n = rb_layout_toc(l, toc);
        fprintf(f, "TOC:        ");
        for (size_t i = 0; i < n; i++)
                fprintf(f, " %02X:%02u:%02u:%02u", toc[i].point, toc[i].p.m, toc[i].p.s,
                        toc[i].p.f);
        fputc('\n', f);
        if (l->cdtext_pack_count) {
                rb_cdtext_t text = {0};
                fprintf(f, "CD-Text:     %zu packs in the lead-in%s", l->cdtext_pack_count,
                        l->cdtext_given ? ", as given" : "");
                if (rb_cdtext_parse(l->cdtext_packs, l->cdtext_pack_count, &text, NULL) == 0)
                        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                                const rb_cdtext_block_t *blk = rb_cdtext_block_get(&text, k);
                                if (blk)
                                        fprintf(f, "%s block %u %s %s", k ? "," : ":", k,
                                                rb_cdtext_language_name(blk->language),
                                                rb_cdtext_charset_name(blk->charset));
                        }
                fputc('\n', f);
                rb_cdtext_clear(&text);
        }
        if (l->has_rw)
                fprintf(f, "R-W:         program-area packs %s\n",
                        l->sector_type == RB_SECTOR_RAW
                            ? "interleaved with parity here (raw)"
                            : "de-interleaved, the drive adds parity (cooked)");
        if (l->cdtext_warnings[0])
                fputs(l->cdtext_warnings, f);
}

/* Warns about audio that reads far smoother with its bytes swapped; the
 * image is made as declared all the same (never a silent guess). */
int layout_warn_byte_order(const rb_layout_t *l, FILE *out)
{
        int n = 0;
        for (unsigned i = 0; i < l->track_count; i++) {
                double ratio;
                if (rb_audio_order_suspect(l, &l->tracks[i], &ratio) != 1)
                        continue;
                const rb_track_t *t = &l->tracks[i];
                const rb_source_file_t *f = NULL;
                for (size_t s = 0; s < t->segment_count && !f; s++)
                        if (t->segments[s].file >= 0)
                                f = &l->files[t->segments[s].file];
                fprintf(out,
                        "warning: track %02u: the audio of %s looks byte-swapped: read as %s it "
                        "is %.0f times rougher than the other way round. Check its byte order "
                        "(cue BINARY = little-endian, MOTOROLA = big-endian; TOC: SWAP).\n",
                        t->number, f ? f->path : "?",
                        f && f->order == RB_BIG_ENDIAN ? "big-endian" : "little-endian", ratio);
                n++;
        }
        return n;
}
