/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drive: creation from a SPEC, the command dispatcher and the checks every
 * command goes through (unit attention, readiness, transport faults). */
#include <errno.h>
#include <linux/cdrom.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ds-internal.h"
#include "ds-util.h"

static uint64_t monotonic_now(void *userdata)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const ds_clock ds_clock_monotonic = {.now_ns = monotonic_now};

enum {
        NEEDS_MEDIUM = 1 << 0, /* fails 02/3A/0x without a disc, and with the not-ready faults */
        IGNORES_ATTENTION = 1 << 1, /* answered even with a unit attention pending (SPC-3) */
        DATA_IN = 1 << 2,           /* moves data to the host (a transport needs to know: BOT) */
        DATA_OUT = 1 << 3,          /* moves data from the host */
};

typedef struct command {
        uint8_t opcode;
        uint8_t cdb_len;
        unsigned flags;
        ds_handler *handler;
        /* Where the CDB's allocation length is (bytes), for commands that have one: the
         * drive sends no more than it asks, whatever room the host's buffer has. Over
         * SG_IO the two are the same; USB Bulk-Only carries its own transfer length. */
        uint8_t alloc_at, alloc_size;
} command;

static const command commands[] = {
    {DS_OP_TEST_UNIT_READY, 6, NEEDS_MEDIUM, ds_cmd_test_unit_ready, 0, 0},
    {DS_OP_REZERO_UNIT, 6, 0, ds_cmd_rezero_unit, 0, 0},
    {DS_OP_REQUEST_SENSE, 6, IGNORES_ATTENTION | DATA_IN, ds_cmd_request_sense, 4, 1},
    {DS_OP_INQUIRY, 6, IGNORES_ATTENTION | DATA_IN, ds_cmd_inquiry, 3, 2},
    {DS_OP_MODE_SELECT_6, 6, DATA_OUT, ds_cmd_mode_select, 0, 0},
    {DS_OP_MODE_SENSE_6, 6, DATA_IN, ds_cmd_mode_sense, 4, 1},
    {DS_OP_MODE_SELECT_10, 10, DATA_OUT, ds_cmd_mode_select, 0, 0},
    {DS_OP_MODE_SENSE_10, 10, DATA_IN, ds_cmd_mode_sense, 7, 2},
    {DS_OP_START_STOP_UNIT, 6, 0, ds_cmd_start_stop_unit, 0, 0},
    {DS_OP_PREVENT_ALLOW, 6, 0, ds_cmd_prevent_allow, 0, 0},
    {DS_OP_READ_CAPACITY, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_capacity, 0, 0},
    {DS_OP_READ_10, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read, 0, 0},
    {DS_OP_READ_12, 12, NEEDS_MEDIUM | DATA_IN, ds_cmd_read, 0, 0},
    {DS_OP_WRITE_10, 10, NEEDS_MEDIUM | DATA_OUT, ds_cmd_write, 0, 0},
    {DS_OP_WRITE_12, 12, NEEDS_MEDIUM | DATA_OUT, ds_cmd_write, 0, 0},
    {DS_OP_SEEK_10, 10, NEEDS_MEDIUM, ds_cmd_seek, 0, 0},
    {DS_OP_SYNCHRONIZE_CACHE, 10, NEEDS_MEDIUM, ds_cmd_synchronize_cache, 0, 0},
    {DS_OP_READ_SUB_CHANNEL, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_sub_channel, 7, 2},
    {DS_OP_READ_TOC_PMA_ATIP, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_toc, 7, 2},
    {DS_OP_GET_CONFIGURATION, 10, IGNORES_ATTENTION | DATA_IN, ds_cmd_get_configuration, 7, 2},
    {DS_OP_GET_EVENT_STATUS, 10, IGNORES_ATTENTION | DATA_IN, ds_cmd_get_event_status, 7, 2},
    {DS_OP_READ_DISC_INFORMATION, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_disc_information, 7, 2},
    {DS_OP_READ_TRACK_INFORMATION, 10, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_track_information, 7, 2},
    {DS_OP_SEND_OPC_INFORMATION, 10, NEEDS_MEDIUM | DATA_OUT, ds_cmd_send_opc_information, 0, 0},
    {DS_OP_CLOSE_TRACK_SESSION, 10, NEEDS_MEDIUM, ds_cmd_close_track_session, 0, 0},
    {DS_OP_READ_BUFFER_CAPACITY, 10, DATA_IN, ds_cmd_read_buffer_capacity, 7, 2},
    {DS_OP_SEND_CUE_SHEET, 10, NEEDS_MEDIUM | DATA_OUT, ds_cmd_send_cue_sheet, 0, 0},
    {DS_OP_BLANK, 12, NEEDS_MEDIUM, ds_cmd_blank, 0, 0},
    {DS_OP_GET_PERFORMANCE, 12, DATA_IN, ds_cmd_get_performance, 0, 0},
    {DS_OP_READ_DISC_STRUCTURE, 12, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_disc_structure, 8, 2},
    {DS_OP_SET_STREAMING, 12, DATA_OUT, ds_cmd_set_streaming, 0, 0},
    {DS_OP_READ_CD_MSF, 12, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_cd_msf, 0, 0},
    {DS_OP_SET_CD_SPEED, 12, 0, ds_cmd_set_cd_speed, 0, 0},
    {DS_OP_MECHANISM_STATUS, 12, DATA_IN, ds_cmd_mechanism_status, 8, 2},
    {DS_OP_READ_CD, 12, NEEDS_MEDIUM | DATA_IN, ds_cmd_read_cd, 0, 0},
};

static const command *find_command(uint8_t opcode)
{
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (commands[i].opcode == opcode)
                        return &commands[i];
        return NULL;
}

enum ds_direction ds_drive_data_direction(const uint8_t *cdb, size_t cdb_len)
{
        const command *c = cdb_len ? find_command(cdb[0]) : NULL;

        if (!c)
                return DS_DIR_NONE;
        if (c->flags & DATA_IN)
                return DS_DIR_FROM_DEVICE;
        return (c->flags & DATA_OUT) ? DS_DIR_TO_DEVICE : DS_DIR_NONE;
}

enum ds_profile ds_current_profile(const ds_drive *d)
{
        if (d->tray_open)
                return DS_PROFILE_NONE;
        switch (d->media.kind) {
        case DS_MEDIA_CDR:
                return DS_PROFILE_CDR;
        case DS_MEDIA_CDRW:
                /* A drive that cannot write CD-RW has no CD-RW profile: it reads the disc
                 * as CD-ROM, as a DVD-ROM drive reads a DVD-R as DVD-ROM. */
                return d->config.cdrw_write ? DS_PROFILE_CDRW : DS_PROFILE_CDROM;
        case DS_MEDIA_CDROM:
                return DS_PROFILE_CDROM;
        case DS_MEDIA_DVDR:
                return DS_PROFILE_DVDR;
        case DS_MEDIA_NONE:
        default:
                return DS_PROFILE_NONE;
        }
}

bool ds_writable_cd(const ds_drive *d)
{
        return d->media.kind == DS_MEDIA_CDR ||
               (d->media.kind == DS_MEDIA_CDRW && d->config.cdrw_write);
}

/* A CD-R-only writer has nothing to blank and implements no BLANK at all: hosts learn
 * it from 05/20/00, before the drive looks at the disc. */
static bool drive_lacks(const ds_drive *d, uint8_t opcode)
{
        return opcode == DS_OP_BLANK && !d->config.cdrw_write;
}

/* The NOT READY conditions, real and injected, for commands that need a disc. */
static bool fail_not_ready(ds_drive *d, ds_cmd *cmd)
{
        static const struct {
                enum ds_fault fault;
                uint8_t key, asc, ascq;
        } not_ready[] = {
            {DS_FAULT_TRAY_OPEN, DS_SK_NOT_READY, 0x3A, 0x02},
            {DS_FAULT_NO_MEDIUM, DS_SK_NOT_READY, 0x3A, 0x01},
            {DS_FAULT_BECOMING_READY, DS_SK_NOT_READY, 0x04, 0x01},
            {DS_FAULT_FORMAT_IN_PROGRESS, DS_SK_NOT_READY, 0x04, 0x04},
            {DS_FAULT_BUSY, DS_SK_NOT_READY, 0x04, 0x07},
            {DS_FAULT_INCOMPATIBLE_MEDIUM, DS_SK_NOT_READY, 0x30, 0x00},
            {DS_FAULT_UPSIDE_DOWN, DS_SK_NOT_READY, 0x57, 0x00},
        };

        if (d->tray_open) {
                ds_fail(d, cmd, DS_SK_NOT_READY, 0x3A, 0x02);
                return true;
        }
        if (d->media.kind == DS_MEDIA_NONE) {
                ds_fail(d, cmd, DS_SK_NOT_READY, 0x3A, 0x01);
                return true;
        }
        for (size_t i = 0; i < sizeof not_ready / sizeof not_ready[0]; i++)
                if (ds_fault_fire(&d->faults, not_ready[i].fault, cmd)) {
                        ds_fail(d, cmd, not_ready[i].key, not_ready[i].asc, not_ready[i].ascq);
                        return true;
                }
        /* A BLANK with IMMED keeps the medium busy (02/04/07 with progress) until it ends. */
        return ds_blank_busy(d, cmd);
}

/* "Invalid response": half the reply arrives and its length field claims more. */
static void spoil_reply(ds_cmd *cmd)
{
        size_t sent = cmd->data_len - cmd->resid;

        if (sent >= 2) {
                cmd->data[0] = 0xff;
                cmd->data[1] = 0xff;
        }
        cmd->resid += sent - sent / 2;
}

/* Runs the command's handler with the reply held to the CDB's allocation length. */
static void run_handler(const command *c, ds_drive *d, ds_cmd *cmd)
{
        size_t room = cmd->data_len, alloc;

        if (c->alloc_size && cmd->direction == DS_DIR_FROM_DEVICE) {
                alloc = c->alloc_size == 1 ? cmd->cdb[c->alloc_at]
                                           : ds_get_be16(cmd->cdb + c->alloc_at);
                if (alloc < room)
                        cmd->data_len = alloc;
        }
        c->handler(d, cmd);
        cmd->resid += room - cmd->data_len;
        cmd->data_len = room;
}

static int execute(ds_drive *d, ds_cmd *cmd)
{
        const ds_sense_fault *sense;
        const command *c;

        cmd->status = DS_STATUS_GOOD;
        cmd->sense_len = 0;
        cmd->resid = cmd->data_len;
        cmd->host_status = DS_HOST_OK;
        cmd->error = 0;
        cmd->delay_ns = 0;

        ds_writer_advance(d);

        /* With autosense every command returns its own sense, so a real drive's REQUEST
         * SENSE reports NO SENSE after a good command: only the sense of the command just
         * before it survives. Deferred states (blanking, a drain) are reported by REQUEST
         * SENSE itself, from the drive state. */
        if (cmd->cdb_len == 0 || cmd->cdb[0] != DS_OP_REQUEST_SENSE)
                d->last_sense_valid = false;

        if (ds_fault_fire(&d->faults, DS_FAULT_DEVICE_GONE, cmd)) {
                cmd->error = ENODEV;
                d->events |= DS_EVENT_GONE;
                return 0;
        }
        if (ds_fault_fire(&d->faults, DS_FAULT_TIMEOUT, cmd)) {
                /* The command never completes: the kernel gives up at the caller's timeout. */
                cmd->host_status = DS_HOST_TIME_OUT;
                cmd->delay_ns = (uint64_t)(cmd->timeout_ms ? cmd->timeout_ms : 60000) * 1000000u;
                return 0;
        }

        if (cmd->cdb_len == 0) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00);
                return 0;
        }
        if ((sense = ds_fault_fire_sense(&d->faults, cmd))) {
                /* An injected sense: the command fails before the drive acts on it. */
                ds_fail(d, cmd, sense->key, sense->asc, sense->ascq);
                return 0;
        }
        c = find_command(cmd->cdb[0]);
        if (!c || drive_lacks(d, c->opcode)) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20,
                        0x00); /* INVALID COMMAND OPERATION CODE */
                return 0;
        }
        if (cmd->cdb_len < c->cdb_len) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x24, 0x00);
                return 0;
        }
        if (d->media_changed_pending && !(c->flags & IGNORES_ATTENTION)) {
                d->media_changed_pending = false;
                ds_fail(d, cmd, DS_SK_UNIT_ATTENTION, 0x28, 0x00); /* NOT READY TO READY CHANGE */
                return 0;
        }
        if ((c->flags & NEEDS_MEDIUM) && fail_not_ready(d, cmd))
                return 0;
        if (ds_writer_draining(d) &&
            (c->opcode == DS_OP_TEST_UNIT_READY || c->opcode == DS_OP_READ_DISC_INFORMATION ||
             c->opcode == DS_OP_WRITE_10 || c->opcode == DS_OP_WRITE_12)) {
                /* SYNCHRONIZE CACHE with IMMED: busy until the buffer has drained (writer.c). */
                ds_fail(d, cmd, DS_SK_NOT_READY, 0x04, 0x08);
                return 0;
        }

        run_handler(c, d, cmd);

        if (cmd->status == DS_STATUS_GOOD && cmd->direction == DS_DIR_FROM_DEVICE &&
            ds_fault_fire(&d->faults, DS_FAULT_INVALID_RESPONSE, cmd))
                spoil_reply(cmd);
        return 0;
}

int ds_drive_execute(ds_drive *d, ds_cmd *cmd)
{
        uint64_t now = ds_now(d);
        int r;

        /* The model's time never goes back: an arrival before the buffer model's last
         * update (a control command read it meanwhile) counts as now. */
        if (cmd->arrival_ns && cmd->arrival_ns < now && cmd->arrival_ns >= d->writer.last_update_ns)
                d->arrival_ns = cmd->arrival_ns;
        r = execute(d, cmd);
        d->arrival_ns = 0;
        return r;
}

/* ---- SPEC parsing ---- */

static int parse_size(const char *s, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || end == s)
                return -EINVAL;
        if (*end == 'K' || *end == 'k')
                v <<= 10, end++;
        else if (*end == 'M' || *end == 'm')
                v <<= 20, end++;
        if (*end || v == 0 || v > (1ull << 30))
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_speed(const char *s, unsigned *ret)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || (*end && strcmp(end, "x") != 0) || v < 1 || v > 100)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

static void copy_padded(char *dst, size_t size, const char *src)
{
        snprintf(dst, size, "%s", src);
}

/* "modes=WORD" starts the list afresh; the SPEC's next options that are mode words
 * ("modes=sao,tao") continue it, so the list reads as the issue and the docs write it. */
static int parse_modes_word(ds_drive *d, const char *word, char **error)
{
        if (ds_modes_add_word(&d->config.modes, word) < 0)
                return ds_message(error, -EINVAL,
                                  "modes=: unknown write mode '%s' (raw96r, raw96p, raw16, raw, "
                                  "sao, tao, notest, notest-raw, notest-sao, notest-tao)",
                                  word);
        return 0;
}

static int parse_option(ds_drive *d, char *opt, bool *in_modes, char **error)
{
        char *value = strchr(opt, '=');
        bool continues_modes = *in_modes && !value && ds_modes_is_word(opt);

        *in_modes = false;
        if (continues_modes) {
                *in_modes = true;
                return parse_modes_word(d, opt, error);
        }
        if (value)
                *value++ = '\0';
        if (strcmp(opt, "modes") == 0 && value) {
                d->config.modes = DS_MODES_TEST; /* the list names the write modes */
                *in_modes = true;
                return parse_modes_word(d, value, error);
        }
        if (strcmp(opt, "realtime") == 0 && !value)
                d->config.realtime = true;
        else if (strcmp(opt, "kept") == 0 && !value)
                d->config.kept = true;
        else if (strcmp(opt, "speed") == 0 && value) {
                if (parse_speed(value, &d->config.max_write_speed) < 0)
                        return ds_message(error, -EINVAL,
                                          "speed=%s: give a write speed from 1 to 100 (×)", value);
        } else if (strcmp(opt, "read-speed") == 0 && value) {
                if (parse_speed(value, &d->config.max_read_speed) < 0)
                        return ds_message(error, -EINVAL,
                                          "read-speed=%s: give a speed from 1 to 100 (×)", value);
        } else if (strcmp(opt, "buffer") == 0 && value) {
                if (parse_size(value, &d->config.buffer_bytes) < 0)
                        return ds_message(error, -EINVAL,
                                          "buffer=%s: give a size such as 2M or 512K", value);
        } else if (strcmp(opt, "capacity") == 0 && value) {
                unsigned m, sec, f;
                char end;

                if (sscanf(value, "%u:%u:%u%c", &m, &sec, &f, &end) != 3 || m > 89 || sec > 59 ||
                    f > 74 || (m == 0 && sec < 4))
                        return ds_message(error, -EINVAL,
                                          "capacity=%s: give the last possible lead-out start as "
                                          "MM:SS:FF, from 00:04:00 to 89:59:74",
                                          value);
                d->config.has_capacity = true;
                d->config.capacity = (rb_msf_t){(uint8_t)m, (uint8_t)sec, (uint8_t)f};
        } else if (strcmp(opt, "overburn") == 0 && value) {
                char *end;
                unsigned long v = strtoul(value, &end, 10);

                if (*end || end == value || v > 100000)
                        return ds_message(error, -EINVAL,
                                          "overburn=%s: give the sectors (0 to 100000) the drive "
                                          "writes past the disc's last lead-out",
                                          value);
                d->config.overburn = (uint32_t)v;
        } else if (strcmp(opt, "vendor") == 0 && value && strlen(value) <= 8)
                copy_padded(d->config.vendor, sizeof d->config.vendor, value);
        else if (strcmp(opt, "product") == 0 && value && strlen(value) <= 16)
                copy_padded(d->config.product, sizeof d->config.product, value);
        else if (strcmp(opt, "revision") == 0 && value && strlen(value) <= 4)
                copy_padded(d->config.revision, sizeof d->config.revision, value);
        else if (strcmp(opt, "cdrw-write") == 0 && value && strcmp(value, "no") == 0)
                d->config.cdrw_write = false; /* a CD-R-only writer */
        else if (strcmp(opt, "cdrw-write") == 0 && value && strcmp(value, "yes") == 0)
                d->config.cdrw_write = true;
        else if (strcmp(opt, "tray") == 0 && value && strcmp(value, "open") == 0)
                d->tray_open = true; /* the disc lies in the open tray until it closes */
        else if (strcmp(opt, "tray") == 0 && value && strcmp(value, "closed") == 0)
                d->tray_open = false;
        else if (strcmp(opt, "fault") == 0 && value)
                return ds_fault_arm_parse(&d->faults, value, error);
        else
                return ds_message(error, -EINVAL, "unknown SPEC option '%s' (see drivesim --help)",
                                  opt);
        return 0;
}

static void config_defaults(ds_config *c)
{
        copy_padded(c->vendor, sizeof c->vendor, "DRVSIM");
        copy_padded(c->product, sizeof c->product, "CD-RW RAW96 SIM");
        copy_padded(c->revision, sizeof c->revision, "1.00");
        c->max_write_speed = 48;
        c->max_read_speed = 48;
        c->buffer_bytes = 2u << 20;
        c->modes = DS_MODES_ALL;
        c->cdrw_write = true;
}

int ds_drive_new(const char *spec, const char *name, const char *state_dir, const ds_clock *clock,
                 ds_drive **ret, char **error)
{
        ds_drive *d;
        char *copy, *media, *opt, *save = NULL;
        bool in_modes = false;
        int r = 0;

        if (error)
                *error = NULL;
        d = calloc(1, sizeof *d);
        copy = strdup(spec);
        if (!d || !copy) {
                free(d);
                free(copy);
                return -ENOMEM;
        }
        snprintf(d->name, sizeof d->name, "%s", name);
        d->clock = clock ? *clock : ds_clock_monotonic;
        config_defaults(&d->config);
        if (state_dir && !(d->state_dir = strdup(state_dir)))
                r = -ENOMEM;

        /* media[,option…]; "cdrom:FILE" keeps its path up to the first comma. */
        media = strtok_r(copy, ",", &save);
        if (r == 0 && !media)
                r = ds_message(error, -EINVAL, "%s", "empty SPEC: give a media name such as cdr80");
        for (opt = strtok_r(NULL, ",", &save); r == 0 && opt; opt = strtok_r(NULL, ",", &save)) {
                /* fault=NAME:op=…:count=… uses ':' inside one option. */
                r = parse_option(d, opt, &in_modes, error);
        }
        ds_modes_finish(&d->config.modes);
        d->current_write_speed = d->config.max_write_speed;
        d->current_read_speed = d->config.max_read_speed;
        if (r == 0)
                r = ds_media_load(d, media, error);
        if (r == 0 && d->config.kept)
                r = ds_kept_restore(d, error);
        free(copy);
        if (r < 0) {
                /* Nothing was loaded from the state dir: do not overwrite what is saved there. */
                free(d->state_dir);
                d->state_dir = NULL;
                ds_drive_free(d);
                return r;
        }
        *ret = d;
        return 0;
}

void ds_drive_free(ds_drive *d)
{
        if (!d)
                return;
        (void)ds_kept_save(d); /* best effort: the drive goes away either way */
        ds_media_unload(d);
        free(d->state_dir);
        free(d);
}

static void copy_trimmed(char *dst, const char *src, size_t max)
{
        size_t len = strnlen(src, max);

        memcpy(dst, src, len);
        dst[len] = '\0';
        while (len > 0 && dst[len - 1] == ' ')
                dst[--len] = '\0';
}

void ds_drive_identity(const ds_drive *d, char vendor[9], char product[17])
{
        copy_trimmed(vendor, d->config.vendor, 8);
        copy_trimmed(product, d->config.product, 16);
}

const char *ds_drive_name(const ds_drive *d)
{
        return d->name;
}

unsigned ds_drive_take_events(ds_drive *d)
{
        unsigned e = d->events;

        d->events = 0;
        return e;
}

int ds_drive_cdrom_status(ds_drive *d)
{
        if (d->tray_open)
                return CDS_TRAY_OPEN;
        if (d->media.kind == DS_MEDIA_NONE)
                return CDS_NO_DISC;
        return CDS_DISC_OK;
}
