/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Bulk-Only Transport's device side (USB Mass Storage Class Bulk-Only Transport 1.0):
 * CBW validation, the data phase in the direction both sides agree on, the halts and phase
 * errors of section 6.7 when they do not, and the CSW with the residue. The drive model
 * decides everything about the command itself, including the sense that usb-storage's
 * automatic REQUEST SENSE fetches after a CSW with status 1 (the model keeps the sense of
 * the command just before).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot.h"

/*
 * Data-in commands run with this much room beyond what the host asked for, so the device
 * can tell "the host expects less than I have" (case 7, a phase error) from a reply that
 * fits; it also lets a command the host gave no data room at all (case 2) show that it
 * wanted to send some.
 */
#define IN_SLACK 4096

static uint32_t get_le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p[3] = (uint8_t)(v >> 24);
}

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int bot_parse_cbw(const uint8_t *buf, size_t len, bot_cbw *ret)
{
        /* Valid (6.2.1): exactly 31 bytes with the signature. Meaningful (6.2.2): no
         * reserved bits set, a LUN this device has (only 0), a CDB length of 1 to 16. */
        if (len != BOT_CBW_SIZE || get_le32(buf) != BOT_CBW_SIGNATURE)
                return -EINVAL;
        if ((buf[12] & 0x7f) || buf[13] != 0 || buf[14] == 0 || buf[14] > 16)
                return -EINVAL;
        ret->tag = get_le32(buf + 4);
        ret->data_length = get_le32(buf + 8);
        ret->data_in = buf[12] & 0x80;
        ret->lun = buf[13] & 0x0f;
        ret->cdb_len = buf[14];
        memset(ret->cdb, 0, sizeof ret->cdb);
        memcpy(ret->cdb, buf + 15, ret->cdb_len);
        return 0;
}

void bot_format_csw(uint8_t out[BOT_CSW_SIZE], uint32_t tag, uint32_t residue, uint8_t status)
{
        put_le32(out, BOT_CSW_SIGNATURE);
        put_le32(out + 4, tag);
        put_le32(out + 8, residue);
        out[12] = status;
}

void bot_init(bot *b, const bot_endpoints *ep, const bot_target *target)
{
        memset(b, 0, sizeof *b);
        b->ep = *ep;
        b->target = *target;
        atomic_init(&b->reset_generation, 0);
}

void bot_request_reset(bot *b)
{
        atomic_fetch_add(&b->reset_generation, 1);
}

/* A reset arrived since this command began: it is abandoned, nothing more is sent. */
static bool reset_since(const bot *b, unsigned generation)
{
        return atomic_load(&b->reset_generation) != generation;
}

static int halt_both(bot *b)
{
        int r = b->ep.halt_in(b->ep.userdata);
        int r2 = b->ep.halt_out(b->ep.userdata);

        return r < 0 ? r : r2;
}

/* Reads the host's whole data-out stage (it ends early only with a short packet). */
static ssize_t read_data_out(bot *b, uint8_t *buf, size_t len)
{
        size_t got = 0;

        while (got < len) {
                ssize_t n = b->ep.read_out(b->ep.userdata, buf + got, len - got);
                if (n < 0)
                        return n;
                got += (size_t)n;
                if (n == 0)
                        break;
        }
        return (ssize_t)got;
}

typedef struct plan {
        uint32_t residue;
        uint8_t status;
} plan;

static uint8_t status_of(const ds_cmd *cmd)
{
        return cmd->status == DS_STATUS_GOOD ? BOT_STATUS_PASSED : BOT_STATUS_FAILED;
}

/* The command's own outcomes that are not a CSW: no answer at all, or an unplug. */
static int transport_outcome(const ds_cmd *cmd)
{
        if (cmd->error)
                return BOT_GONE;
        if (cmd->host_status == DS_HOST_TIME_OUT)
                return BOT_NO_ANSWER;
        return 0;
}

/* Host expects no data (cases 1-3). */
static int serve_no_data(bot *b, ds_cmd *cmd, enum ds_direction dev, plan *p)
{
        uint8_t *scratch = NULL;
        int r;

        if (dev == DS_DIR_FROM_DEVICE) {
                scratch = malloc(IN_SLACK);
                if (!scratch)
                        return -ENOMEM;
                cmd->data = scratch;
                cmd->data_len = IN_SLACK;
        }
        /* Case 3 (Hn < Do): the model runs with no parameter data and fails the command
         * itself when it needed some (CHECK CONDITION rather than a phase error: only the
         * command knows how much it expected). */
        cmd->direction = dev;
        b->target.execute(b->target.userdata, cmd);
        free(scratch);
        r = transport_outcome(cmd);
        if (r < 0)
                return r;
        p->residue = 0;
        p->status = status_of(cmd);
        if (dev == DS_DIR_FROM_DEVICE && cmd->data_len - cmd->resid > 0)
                p->status = BOT_STATUS_PHASE_ERROR; /* case 2: Hn < Di */
        return 0;
}

/* Host expects data in (cases 4-8). */
static int serve_data_in(bot *b, ds_cmd *cmd, enum ds_direction dev, uint32_t hi,
                         unsigned generation, plan *p)
{
        uint8_t *buf;
        size_t produced;
        int r;

        if (dev == DS_DIR_TO_DEVICE) {
                /* Case 8 (Hi <> Do): the command is not run; bulk-in halts. */
                p->residue = hi;
                p->status = BOT_STATUS_PHASE_ERROR;
                return b->ep.halt_in(b->ep.userdata);
        }
        buf = malloc((size_t)hi + IN_SLACK);
        if (!buf)
                return -ENOMEM;
        cmd->direction = DS_DIR_FROM_DEVICE;
        cmd->data = buf;
        cmd->data_len = (size_t)hi + IN_SLACK;
        b->target.execute(b->target.userdata, cmd);
        r = transport_outcome(cmd);
        if (r < 0)
                goto out;
        produced = cmd->data_len - cmd->resid;
        if (reset_since(b, generation)) {
                r = -EINTR;
                goto out;
        }
        if (produced > hi) {
                /* Case 7 (Hi < Di): what fits is sent, then a phase error. */
                ssize_t n = b->ep.write_in(b->ep.userdata, buf, hi);
                r = n < 0 ? (int)n : 0;
                p->residue = 0;
                p->status = BOT_STATUS_PHASE_ERROR;
                goto out;
        }
        if (produced > 0) {
                ssize_t n = b->ep.write_in(b->ep.userdata, buf, produced);
                if (n < 0) {
                        r = (int)n;
                        goto out;
                }
        }
        /* Cases 4 and 5 (Hi > Dn, Hi > Di): bulk-in halts so the host's transfer ends
         * whatever the packet boundaries, and the residue says what was not sent. */
        r = produced < hi ? b->ep.halt_in(b->ep.userdata) : 0;
        p->residue = hi - (uint32_t)produced;
        p->status = status_of(cmd);
out:
        free(buf);
        return r;
}

/* Host sends data out (cases 9-13). */
static int serve_data_out(bot *b, ds_cmd *cmd, enum ds_direction dev, uint32_t ho, plan *p)
{
        uint8_t *buf;
        ssize_t got;
        int r;

        if (dev == DS_DIR_FROM_DEVICE) {
                /* Case 10 (Ho <> Di): not run; bulk-out halts, the host's data refused. */
                p->residue = ho;
                p->status = BOT_STATUS_PHASE_ERROR;
                return b->ep.halt_out(b->ep.userdata);
        }
        if (dev == DS_DIR_NONE) {
                /* Case 9 (Ho > Dn): run without data, refuse the host's data. */
                cmd->direction = DS_DIR_NONE;
                b->target.execute(b->target.userdata, cmd);
                r = transport_outcome(cmd);
                if (r < 0)
                        return r;
                p->residue = ho;
                p->status = status_of(cmd);
                return b->ep.halt_out(b->ep.userdata);
        }
        buf = malloc(ho ? ho : 1);
        if (!buf)
                return -ENOMEM;
        got = read_data_out(b, buf, ho);
        if (got < 0) {
                free(buf);
                return (int)got;
        }
        /* Cases 11-13: all the host's data is taken and the model judges its length (a
         * WRITE or MODE SELECT given too little fails with CHECK CONDITION; what it leaves
         * unused is the residue). */
        cmd->direction = DS_DIR_TO_DEVICE;
        cmd->data = buf;
        cmd->data_len = (size_t)got;
        b->target.execute(b->target.userdata, cmd);
        free(buf);
        r = transport_outcome(cmd);
        if (r < 0)
                return r;
        p->residue = ho - (uint32_t)((size_t)got - cmd->resid);
        p->status = status_of(cmd);
        return 0;
}

static const char *dir_name(enum ds_direction d)
{
        return d == DS_DIR_FROM_DEVICE ? "in" : d == DS_DIR_TO_DEVICE ? "out" : "none";
}

int bot_serve_one(bot *b)
{
        uint8_t buf[512], csw[BOT_CSW_SIZE];
        unsigned generation = atomic_load(&b->reset_generation);
        enum ds_direction dev;
        ds_cmd cmd = {0};
        plan p = {0};
        bot_cbw cbw;
        uint64_t start;
        ssize_t n;
        int r;

        if (generation != b->seen_generation) {
                /* Reset Recovery: the endpoints' halts are cleared by the host itself
                 * (CLEAR_FEATURE, which the UDC answers); a new CBW may come. */
                b->seen_generation = generation;
                b->need_reset = false;
        }
        n = b->ep.read_out(b->ep.userdata, buf, sizeof buf);
        if (n < 0)
                return (int)n;
        start = now_ns();
        if (b->need_reset || bot_parse_cbw(buf, (size_t)n, &cbw) < 0) {
                /* 6.6.1: both endpoints halt until Reset Recovery; a clear of the halts
                 * alone is not enough, so any CBW before the reset halts them again. */
                b->need_reset = true;
                r = halt_both(b);
                return r < 0 ? r : BOT_INVALID_CBW;
        }

        cmd.cdb = cbw.cdb;
        cmd.cdb_len = cbw.cdb_len;
        dev = b->target.direction(b->target.userdata, cbw.cdb, cbw.cdb_len);
        if (cbw.data_length == 0)
                r = serve_no_data(b, &cmd, dev, &p);
        else if (cbw.data_in)
                r = serve_data_in(b, &cmd, dev, cbw.data_length, generation, &p);
        else
                r = serve_data_out(b, &cmd, dev, cbw.data_length, &p);
        if (b->trace)
                fprintf(stderr, "drivesim-usb: tag %u op %02Xh host %s %u, device %s: %s%d\n",
                        cbw.tag, cbw.cdb[0],
                        cbw.data_length ? (cbw.data_in ? "in" : "out") : "none", cbw.data_length,
                        dir_name(dev), r < 0 ? "abandoned " : "status ", r < 0 ? r : p.status);
        if (r < 0)
                return r;
        if (reset_since(b, generation))
                return -EINTR;

        /* Real-time pacing: a drive whose buffer is full completes the command late. */
        if (cmd.delay_ns) {
                uint64_t elapsed = now_ns() - start;
                if (elapsed < cmd.delay_ns) {
                        r = b->ep.wait_ns(b->ep.userdata, cmd.delay_ns - elapsed);
                        if (r < 0)
                                return r;
                }
        }
        if (reset_since(b, generation))
                return -EINTR;

        bot_format_csw(csw, cbw.tag, p.residue, p.status);
        n = b->ep.write_in(b->ep.userdata, csw, sizeof csw);
        if (n < 0)
                return (int)n;
        b->last_tag = cbw.tag;
        b->last_residue = p.residue;
        b->last_status = p.status;
        return 0;
}
