/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The RAW write path (page 05h write type 3, mmc-raw.md §3-§5): WRITE(10)/(12) of whole
 * DAO-96 blocks from the ATIP lead-in start on, strictly sequential, stored as 2352 bytes of
 * main channel and 96 of raw P-W; SYNCHRONIZE CACHE closes the session; READ BUFFER CAPACITY
 * reports the buffer model (writer.c).
 *
 * Block types (DBT) and how they are stored:
 * - 1, 2368 bytes: PQ16 after the main channel. The drive rebuilds raw P-W with R-W zero and
 *   recomputes the Q CRC, as tools disagree on whether to invert it (mmc-raw.md §4.1a).
 * - 2, 2448 bytes, "packed" P-W as cdrdao and wodim send it: P and Q in bits 7/6 of each byte,
 *   R-W as de-interleaved symbols without parity. In the lead-in that is exactly what is
 *   recorded (CD-Text has neither interleave nor parity). From the program area on (LBA
 *   -150, the first pregap) the drive adds the RS parity to each pack and interleaves the
 *   symbols as a CD+G disc carries them (mmc-raw.md §4.5, lib/rw-subcode.c); the stream of
 *   packs runs on through the lead-out, which takes the tail of the interleave. All-zero
 *   packs stay zero, so audio without R-W is recorded as sent.
 * - 3, 2448 bytes, raw P-W: stored as sent.
 */
#include <string.h>

#include "ds-internal.h"
#include "rawburn/rw-subcode.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

/* Bytes per block for a RAW Data Block Type; 0 for the ones RAW does not take. */
static unsigned raw_block_size(unsigned dbt)
{
        switch (dbt) {
        case 1:
                return DS_MAIN_SIZE + RB_PQ16_SIZE;
        case 2:
        case 3:
                return DS_RAW_SECTOR_SIZE;
        default:
                return 0;
        }
}

/* The host's subchannel to the raw interleaved P-W the disc carries. */
static void to_raw_sub(unsigned dbt, const uint8_t *block, uint8_t sub[DS_SUB_SIZE])
{
        const uint8_t *in = block + DS_MAIN_SIZE;

        if (dbt == 1) {
                uint8_t q[RB_Q_SIZE];

                rb_pq16_to_raw(in, sub);
                rb_subchannel_get(sub, RB_CH_Q, q);
                rb_subq_set_crc(q);
                rb_subchannel_put(sub, RB_CH_Q, q);
        } else {
                memcpy(sub, in, DS_SUB_SIZE);
        }
}

/* DBT 2 in the program area: parity and interleave of the host's logical R-W packs. */
static void encode_program_rw(ds_writer *w, uint8_t sub[DS_SUB_SIZE])
{
        uint8_t packs[RB_RW_SECTOR_SYMBOLS], symbols[RB_RW_SECTOR_SYMBOLS];

        for (size_t i = 0; i < RB_RW_SECTOR_SYMBOLS; i++)
                packs[i] = sub[i] & 0x3f;
        rb_rw_encode_sector(&w->rw_encoder, packs, true, symbols);
        for (size_t i = 0; i < RB_RW_SECTOR_SYMBOLS; i++)
                sub[i] = (uint8_t)((sub[i] & 0xc0) | symbols[i]);
}

/* Write-protect, speed and media-kind refusals, which hardware gives before looking at data. */
static bool refuse_medium(ds_drive *d, ds_cmd *cmd)
{
        if (ds_fault_fire(&d->faults, DS_FAULT_WRITE_PROTECTED, cmd)) {
                ds_fail(d, cmd, DS_SK_DATA_PROTECT, 0x27, 0x00);
                return true;
        }
        if (ds_fault_fire(&d->faults, DS_FAULT_SPEED_MISMATCH, cmd)) {
                ds_fail(d, cmd, DS_SK_NOT_READY, 0x30, 0x11);
                return true;
        }
        if (!ds_writable_cd(d)) {
                /* CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT: pressed CDs, DVD-R in CD modes,
                 * a CD-RW in a drive that writes CD-R only */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x30, 0x05);
                return true;
        }
        return false;
}

/* The first WRITE of a burn: it must start at the ATIP lead-in start of a blank disc. */
static bool begin_write(ds_drive *d, ds_cmd *cmd, int32_t lba, unsigned block_size)
{
        ds_writer *w = &d->writer;

        if (ds_disc_get_state(d->media.disc) != DS_DISC_BLANK ||
            lba != d->media.atip_leadin_start) {
                /* A closed or spoilt CD-R, or a start elsewhere: INVALID ADDRESS FOR WRITE. */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x02);
                return false;
        }
        ds_writer_reset(d);
        ds_writer_stats_begin(d);
        w->active = true;
        w->next_lba = lba;
        w->block_size = block_size;
        w->test_write = ds_write_test(&d->write_params);
        w->last_update_ns = ds_now(d);
        rb_rw_encoder_init(&w->rw_encoder);
        if (!w->test_write)
                ds_disc_set_incomplete(d->media.disc);
        return true;
}

/* Sectors gathered for one write to the disc store: a WRITE's worth at 52x costs one
 * system call instead of 26. */
#define STORE_RUN 32

/* Records the blocks (or, in Test Write, only looks at their Q). */
static int store_blocks(ds_drive *d, const uint8_t *data, int32_t lba, uint32_t n, unsigned dbt)
{
        ds_writer *w = &d->writer;
        uint8_t run[STORE_RUN * DS_RAW_SECTOR_SIZE];

        for (uint32_t i = 0; i < n;) {
                uint32_t k = n - i < STORE_RUN ? n - i : STORE_RUN;
                int r;

                for (uint32_t j = 0; j < k; j++) {
                        const uint8_t *block = data + (size_t)(i + j) * w->block_size;
                        uint8_t *raw = run + (size_t)j * DS_RAW_SECTOR_SIZE;
                        uint8_t *sub = raw + DS_MAIN_SIZE, q[RB_Q_SIZE];

                        to_raw_sub(dbt, block, sub);
                        if (dbt == 2 && lba + (int32_t)(i + j) >= DS_PROGRAM_AREA_START)
                                encode_program_rw(w, sub);
                        if (ds_sub_q(sub, q) && (q[0] & 0x0f) == RB_Q_ADR_POSITION &&
                            q[1] == RB_Q_TNO_LEADOUT)
                                w->leadout_seen = true;
                        memcpy(raw, block, DS_MAIN_SIZE);
                }
                if (!w->test_write) {
                        r = ds_disc_write_run(d->media.disc, lba + (int32_t)i, k, run);
                        if (r < 0)
                                return r;
                }
                i += k;
        }
        return 0;
}

void ds_cmd_write(ds_drive *d, ds_cmd *cmd)
{
        ds_writer *w = &d->writer;
        unsigned dbt = ds_write_block_type(&d->write_params), bs;
        int32_t lba = (int32_t)ds_get_be32(cmd->cdb + 2);
        uint32_t n =
            cmd->cdb[0] == DS_OP_WRITE_12 ? ds_get_be32(cmd->cdb + 6) : ds_get_be16(cmd->cdb + 7);

        if (refuse_medium(d, cmd))
                return;
        if (ds_fault_fire(&d->faults, DS_FAULT_LOSS_OF_STREAMING, cmd)) {
                w->underrun = true;
                if (w->active && !w->test_write)
                        ds_disc_set_incomplete(d->media.disc);
        }
        if (w->underrun && !w->underrun_reported) {
                /* The burn died when the buffer ran dry; the drive reports it on the next WRITE.
                 * Later WRITEs find a spoilt disc and get 05/21/02 (begin_write). */
                w->active = false;
                w->underrun_reported = true;
                ds_fail(d, cmd, DS_SK_MEDIUM_ERROR, 0x0C, 0x09);
                return;
        }
        if (ds_write_type(&d->write_params) == 2 && n > 0) {
                ds_sao_write(d, cmd, lba, n); /* SAO from a cue sheet: sao.c */
                return;
        }
        if (ds_write_type(&d->write_params) != 3) {
                /* TAO is not modelled; no write mode set is a command sequence error. */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
                return;
        }
        bs = raw_block_size(dbt);
        if (bs == 0) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
                return;
        }
        if (cmd->direction != DS_DIR_TO_DEVICE || cmd->data_len != (size_t)n * bs) {
                /* The transfer must be exactly the blocks the CDB announces. */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (n == 0) {
                cmd->resid = 0;
                return; /* a zero-length WRITE transfers nothing and is not an error */
        }
        if (w->active && w->block_size != bs) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x2C, 0x00); /* DBT changed mid-burn */
                return;
        }
        if (!w->active && !begin_write(d, cmd, lba, bs))
                return;
        if (lba != w->next_lba) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x02);
                return;
        }
        if ((int64_t)lba + n > (int64_t)d->media.atip_last_leadout + 6750 + d->config.overburn) {
                /* Past the last possible lead-out start plus a full lead-out (and
                 * what the drive overburns). */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x63, 0x00);
                return;
        }
        if (store_blocks(d, cmd->data, lba, n, dbt) < 0) {
                ds_fail(d, cmd, DS_SK_MEDIUM_ERROR, 0x0C, 0x00); /* WRITE ERROR */
                return;
        }
        w->next_lba = lba + (int32_t)n;
        cmd->resid = 0;
        cmd->delay_ns = ds_writer_accept(d, n);
}

void ds_cmd_synchronize_cache(ds_drive *d, ds_cmd *cmd)
{
        bool immed = cmd->cdb[1] & 0x02;
        uint64_t now = ds_now(d), done;

        if (d->writer.draining) {
                if (immed)
                        return;
                cmd->delay_ns = d->writer.drain_done_ns > now ? d->writer.drain_done_ns - now : 0;
                return;
        }
        done = ds_writer_sync(d);
        /* Without IMMED the command completes when the buffer has drained (writer.c: at most
         * seconds with real buffer sizes); the next command then finds the session closed. */
        if (!immed && done > now)
                cmd->delay_ns = done - now;
}

void ds_cmd_read_buffer_capacity(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[12] = {0};
        bool block = cmd->cdb[1] & 0x01;
        uint64_t cap = ds_writer_capacity(d), fill = ds_writer_fill(d);
        uint64_t free_blocks = fill < cap ? cap - fill : 0;
        unsigned bs = d->writer.block_size ? d->writer.block_size : DS_RAW_SECTOR_SIZE;

        ds_put_be16(r, 10);
        if (block) {
                /* MMC: with Block set, bytes 4-7 are reserved and 8-11 count free blocks. */
                r[3] = 0x01;
                ds_put_be32(r + 8, (uint32_t)free_blocks);
        } else {
                uint64_t free_bytes = d->config.buffer_bytes - fill * bs;

                if (fill * bs > d->config.buffer_bytes)
                        free_bytes = 0;
                ds_put_be32(r + 4, (uint32_t)d->config.buffer_bytes);
                ds_put_be32(r + 8, (uint32_t)free_bytes);
        }
        ds_reply(cmd, r, sizeof r);
}

void ds_cmd_close_track_session(ds_drive *d, ds_cmd *cmd)
{
        /* In RAW the host wrote lead-in and lead-out itself: there is nothing left to close.
         * A burn still in the buffer is closed as SYNCHRONIZE CACHE would. */
        if (d->writer.active && !d->writer.draining)
                ds_writer_sync(d);
}
