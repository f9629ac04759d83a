/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "inspect-report.h"

#include <stdbool.h>
#include <stdint.h>

#include "format.h"
#include "output.h"
#include "rawburn/msf.h"
#include "rawburn/subq.h"

/* The inspector's mark for what the image does not have (rawburn/image-inspect.h). */
#define NONE INT32_MIN

/* mm:ss:ff, or "--:--:--" for a position the image does not have. */
static const char *msf_str(int32_t lba, char buf[16])
{
        rb_msf_t m;
        if (lba == NONE || rb_lba_to_msf(lba, &m) < 0)
                return "--:--:--";
        return format_msf(lba, buf, 16);
}

static const char *type_text(const rb_inspect_t *in)
{
        return in->sector_type == RB_SECTOR_PQ_ONLY ? "2368 bytes: main channel + PQ (pq)"
                                                    : "2448 bytes: main channel + P-W (raw/cooked)";
}

void inspect_report_text(const rb_inspect_t *in, FILE *f)
{
        char a[16], b[16];

        fprintf(f, "sector type:  %s\n", type_text(in));
        fprintf(f, "sectors:      %llu, LBA %d (%s) to %lld\n", (unsigned long long)in->sectors,
                in->first_lba, msf_str(in->first_lba, a),
                (long long)in->first_lba + (long long)in->sectors - 1);
        if (in->leadin_first != NONE)
                fprintf(f, "lead-in:      LBA %d (%s) to %d (%s), %d sectors with TOC Q\n",
                        in->leadin_first, msf_str(in->leadin_first, a), in->leadin_last,
                        msf_str(in->leadin_last, b), in->leadin_last - in->leadin_first + 1);
        else
                fprintf(f, "lead-in:      none\n");
        fprintf(f, "TOC (lead-in Q):\n");
        for (size_t i = 0; i < in->toc_count; i++) {
                const rb_toc_entry_t *e = &in->toc[i];
                if (e->point == RB_Q_POINT_FIRST_TRACK)
                        fprintf(f, "  A0  control %X  first track %u, disc type %02u\n", e->control,
                                e->p.m, e->p.s);
                else if (e->point == RB_Q_POINT_LAST_TRACK)
                        fprintf(f, "  A1  control %X  last track %u\n", e->control, e->p.m);
                else if (e->point == RB_Q_POINT_LEADOUT)
                        fprintf(f, "  A2  control %X  lead-out %02u:%02u:%02u (LBA %d)\n",
                                e->control, e->p.m, e->p.s, e->p.f, rb_msf_to_lba(e->p));
                else
                        fprintf(f, "  %02u  control %X  %s  start %02u:%02u:%02u (LBA %d)\n",
                                e->point, e->control, e->control & RB_CTL_DATA ? "data " : "audio",
                                e->p.m, e->p.s, e->p.f, rb_msf_to_lba(e->p));
        }
        if (in->toc_conflicts)
                fprintf(f, "  %llu lead-in sectors contradict the entries above\n",
                        (unsigned long long)in->toc_conflicts);
        if (in->mcn[0])
                fprintf(f, "catalog:      %s (%llu Q frames)\n", in->mcn,
                        (unsigned long long)in->mcn_count);
        fprintf(f, "tracks (program area Q):\n");
        for (unsigned i = 0; i < in->track_count; i++) {
                const rb_inspect_track_t *t = &in->tracks[i];
                fprintf(f, "  %02u  %s  control %X", t->number,
                        t->control & RB_CTL_DATA ? (t->data_mode == 2 ? "mode2" : "mode1")
                                                 : "audio",
                        t->control);
                if (t->pause_lba != NONE && t->start_lba != NONE)
                        fprintf(f, "  pause %d", t->start_lba - t->pause_lba);
                fprintf(f, "  start %s (LBA %d)  length %d\n", msf_str(t->start_lba, a),
                        t->start_lba, t->start_lba != NONE ? t->end_lba - t->start_lba + 1 : 0);
                for (unsigned x = 2; x <= t->index_count && x <= RB_MAX_INDEX; x++)
                        if (t->index_lba[x] != NONE)
                                fprintf(f, "      index %02u at %s (LBA %d)\n", x,
                                        msf_str(t->index_lba[x], a), t->index_lba[x]);
                if (t->isrc[0])
                        fprintf(f, "      ISRC %s (%u Q frames)\n", t->isrc, t->isrc_count);
                rb_rw_form_t form = rb_inspect_track_rw_form(t);
                if (form == RB_RW_INTERLEAVED)
                        fprintf(f,
                                "      CD+G packs: %llu (R-W interleaved with parity: %llu "
                                "packs, %llu parity errors)\n",
                                (unsigned long long)t->rw_raw_cdg,
                                (unsigned long long)t->rw_raw_packs,
                                (unsigned long long)t->rw_raw_parity_errors);
                else if (form == RB_RW_DEINTERLEAVED)
                        fprintf(f, "      CD+G packs: %llu (R-W de-interleaved: %llu packs)\n",
                                (unsigned long long)t->rw_cooked_cdg,
                                (unsigned long long)t->rw_cooked_packs);
                if (t->data_sectors)
                        fprintf(f, "      %llu data sectors, %llu with EDC/ECC errors\n",
                                (unsigned long long)t->data_sectors,
                                (unsigned long long)t->data_errors);
        }
        if (in->leadout_lba != NONE)
                fprintf(f, "lead-out:     %s (LBA %d), %llu sectors\n", msf_str(in->leadout_lba, a),
                        in->leadout_lba, (unsigned long long)in->leadout_sectors);
        if (in->cdtext_packs) {
                fprintf(f, "CD-Text:      %zu packs, %u with CRC errors\n", in->cdtext_packs,
                        in->cdtext_crc_errors);
                for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                        const rb_cdtext_block_t *blk = rb_cdtext_block_get(&in->cdtext, k);
                        if (!blk)
                                continue;
                        fprintf(f, "  block %u: %s, %s%s", k,
                                rb_cdtext_language_name(blk->language),
                                rb_cdtext_charset_name(blk->charset),
                                blk->copyright ? ", copy protected" : "");
                        if (blk->genre != RB_CDTEXT_GENRE_NONE)
                                fprintf(f, ", genre %04X %s", (unsigned)blk->genre,
                                        rb_cdtext_genre_name(blk->genre));
                        fputc('\n', f);
                        for (int fl = 0; fl < RB_CDTEXT_FIELD_COUNT; fl++)
                                for (int t = 0; t < 100; t++)
                                        if (blk->text[fl][t])
                                                fprintf(
                                                    f, "  %-10s %s  %s\n",
                                                    rb_cdtext_field_name((rb_cdtext_field_t)fl),
                                                    t ? (snprintf(a, sizeof a, "track %02d", t), a)
                                                      : "disc    ",
                                                    blk->text[fl][t]);
                }
        }
        fprintf(f, "Q CRC errors: %llu", (unsigned long long)in->q_crc_errors);
        if (in->first_q_crc_error != NONE)
                fprintf(f, " (first at LBA %d)", in->first_q_crc_error);
        fprintf(f, "\n");
        if (in->warnings[0])
                fprintf(f, "warnings:\n%s", in->warnings);
}

/* An LBA, null where the image had none. */
static void json_lba(FILE *f, int32_t lba)
{
        if (lba == NONE)
                fputs("null", f);
        else
                fprintf(f, "%d", lba);
}

void inspect_report_json(const rb_inspect_t *in, FILE *f)
{
        fprintf(f, "{\n  \"sector_size\": %zu,\n  \"sector_type\": \"%s\",\n", in->sector_size,
                in->sector_type == RB_SECTOR_PQ_ONLY ? "pq" : "pw96");
        fprintf(f, "  \"first_lba\": %d,\n  \"sectors\": %llu,\n  \"trailing_bytes\": %llu,\n",
                in->first_lba, (unsigned long long)in->sectors,
                (unsigned long long)in->trailing_bytes);
        fprintf(f, "  \"leadin\": {\"first_lba\": ");
        json_lba(f, in->leadin_first);
        fprintf(f, ", \"last_lba\": ");
        json_lba(f, in->leadin_last);
        fprintf(f, "},\n  \"toc\": [");
        for (size_t i = 0; i < in->toc_count; i++) {
                const rb_toc_entry_t *e = &in->toc[i];
                fprintf(f,
                        "%s\n    {\"point\": \"%02X\", \"control\": %u, \"pmin\": %u, "
                        "\"psec\": %u, \"pframe\": %u",
                        i ? "," : "", e->point, e->control, e->p.m, e->p.s, e->p.f);
                if (e->point <= 99 || e->point == RB_Q_POINT_LEADOUT)
                        fprintf(f, ", \"lba\": %d", rb_msf_to_lba(e->p));
                fprintf(f, "}");
        }
        fprintf(f, "\n  ],\n  \"toc_conflicts\": %llu,\n  \"mcn\": ",
                (unsigned long long)in->toc_conflicts);
        json_string(f, in->mcn[0] ? in->mcn : NULL);
        fprintf(f, ",\n  \"tracks\": [");
        for (unsigned i = 0; i < in->track_count; i++) {
                const rb_inspect_track_t *t = &in->tracks[i];
                fprintf(f,
                        "%s\n    {\"number\": %u, \"control\": %u, \"mode\": \"%s\", "
                        "\"pause_lba\": ",
                        i ? "," : "", t->number, t->control,
                        t->control & RB_CTL_DATA ? (t->data_mode == 2 ? "mode2" : "mode1")
                                                 : "audio");
                json_lba(f, t->pause_lba);
                fprintf(f, ", \"start_lba\": ");
                json_lba(f, t->start_lba);
                fprintf(f, ", \"end_lba\": %d, \"indexes\": [", t->end_lba);
                bool first = true;
                for (unsigned x = 0; x <= t->index_count && x <= RB_MAX_INDEX; x++) {
                        if (t->index_lba[x] == NONE)
                                continue;
                        fprintf(f, "%s{\"index\": %u, \"lba\": %d}", first ? "" : ", ", x,
                                t->index_lba[x]);
                        first = false;
                }
                fprintf(f, "], \"isrc\": ");
                json_string(f, t->isrc[0] ? t->isrc : NULL);
                static const char *const forms[] = {"none", "interleaved", "deinterleaved"};
                rb_rw_form_t form = rb_inspect_track_rw_form(t);
                fprintf(
                    f,
                    ", \"data_sectors\": %llu, \"data_errors\": %llu, \"rw\": {\"form\": "
                    "\"%s\", \"packs\": %llu, \"cdg_packs\": %llu, \"parity_errors\": %llu}}",
                    (unsigned long long)t->data_sectors, (unsigned long long)t->data_errors,
                    forms[form],
                    (unsigned long long)(form == RB_RW_INTERLEAVED ? t->rw_raw_packs
                                                                   : t->rw_cooked_packs),
                    (unsigned long long)rb_inspect_track_cdg_packs(t),
                    (unsigned long long)(form == RB_RW_INTERLEAVED ? t->rw_raw_parity_errors : 0));
        }
        fprintf(f, "\n  ],\n  \"leadout\": {\"lba\": ");
        json_lba(f, in->leadout_lba);
        fprintf(f, ", \"sectors\": %llu},\n", (unsigned long long)in->leadout_sectors);
        fprintf(f, "  \"cdtext\": {\"packs\": %zu, \"crc_errors\": %u, \"blocks\": [",
                in->cdtext_packs, in->cdtext_crc_errors);
        bool first = true;
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                const rb_cdtext_block_t *b = rb_cdtext_block_get(&in->cdtext, k);
                if (!b)
                        continue;
                fprintf(f,
                        "%s\n    {\"block\": %u, \"language\": %d, \"language_name\": \"%s\", "
                        "\"charset\": \"%s\", \"copyright\": %s, \"genre\": %d}",
                        first ? "" : ",", k, b->language, rb_cdtext_language_name(b->language),
                        rb_cdtext_charset_name(b->charset), b->copyright ? "true" : "false",
                        b->genre);
                first = false;
        }
        fprintf(f, "], \"text\": [");
        first = true;
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                const rb_cdtext_block_t *b = rb_cdtext_block_get(&in->cdtext, k);
                for (int fl = 0; b && fl < RB_CDTEXT_FIELD_COUNT; fl++)
                        for (int t = 0; t < 100; t++)
                                if (b->text[fl][t]) {
                                        fprintf(f,
                                                "%s\n    {\"block\": %u, \"field\": \"%s\", "
                                                "\"track\": %d, \"text\": ",
                                                first ? "" : ",", k,
                                                rb_cdtext_field_name((rb_cdtext_field_t)fl), t);
                                        json_string(f, b->text[fl][t]);
                                        fputc('}', f);
                                        first = false;
                                }
        }
        fprintf(f,
                "]},\n  \"q_crc_errors\": %llu,\n  \"q_bad_fields\": %llu,\n"
                "  \"q_address_errors\": %llu,\n  \"warnings\": ",
                (unsigned long long)in->q_crc_errors, (unsigned long long)in->q_bad_fields,
                (unsigned long long)in->q_address_errors);
        json_string(f, in->warnings);
        fprintf(f, "\n}\n");
}
