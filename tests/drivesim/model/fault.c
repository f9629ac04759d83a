/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds-drive.h"
#include "ds-fault.h"
#include "ds-internal.h"
#include "ds-util.h"

#define READ_TOC 0x43 /* READ TOC/PMA/ATIP, the one command format= applies to */

static const char *const fault_names[DS_FAULT_COUNT] = {
    [DS_FAULT_NO_MEDIUM] = "no-medium",
    [DS_FAULT_TRAY_OPEN] = "tray-open",
    [DS_FAULT_BECOMING_READY] = "becoming-ready",
    [DS_FAULT_FORMAT_IN_PROGRESS] = "format-in-progress",
    [DS_FAULT_BUSY] = "busy",
    [DS_FAULT_WRITE_PROTECTED] = "write-protected",
    [DS_FAULT_INCOMPATIBLE_MEDIUM] = "incompatible-medium",
    [DS_FAULT_UPSIDE_DOWN] = "upside-down",
    [DS_FAULT_SPEED_MISMATCH] = "speed-mismatch",
    [DS_FAULT_INVALID_MODE_PARAMETERS] = "invalid-mode-parameters",
    [DS_FAULT_NO_SUCH_MODE_PAGE] = "no-such-mode-page",
    [DS_FAULT_TIMEOUT] = "timeout",
    [DS_FAULT_INVALID_RESPONSE] = "invalid-response",
    [DS_FAULT_DEVICE_GONE] = "device-gone",
    [DS_FAULT_LOSS_OF_STREAMING] = "loss-of-streaming",
    [DS_FAULT_TOC_MISMATCH] = "toc-mismatch",
};

const char *ds_fault_name(enum ds_fault f)
{
        return f >= 0 && f < DS_FAULT_COUNT ? fault_names[f] : NULL;
}

int ds_fault_from_name(const char *name)
{
        for (int f = 0; f < DS_FAULT_COUNT; f++)
                if (strcmp(fault_names[f], name) == 0)
                        return f;
        return -EINVAL;
}

static int parse_number(const char *s, long min, long max, long *ret)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 0);
        if (errno || end == s || *end || v < min || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* "KK/AA/QQ" in hex: sense key (0-F), ASC, ASCQ. */
static int parse_sense(const char *s, ds_sense_fault *ret)
{
        unsigned key, asc, ascq;
        int n = 0;

        if (sscanf(s, "%2x/%2x/%2x%n", &key, &asc, &ascq, &n) != 3 || s[n] != '\0' || key > 0xf)
                return -EINVAL;
        ret->key = (uint8_t)key;
        ret->asc = (uint8_t)asc;
        ret->ascq = (uint8_t)ascq;
        return 0;
}

/* "N" or "N-M" (N <= M, either may be negative: "-150--1"). */
static int parse_lba_range(const char *s, ds_fault_arm *arm)
{
        long a, b;
        char *end;

        errno = 0;
        a = strtol(s, &end, 10);
        if (errno || end == s || a < -500000 || a > 500000)
                return -EINVAL;
        b = a;
        if (*end == '-') {
                const char *t = end + 1;
                b = strtol(t, &end, 10);
                if (errno || end == t || b < a || b > 500000)
                        return -EINVAL;
        }
        if (*end)
                return -EINVAL;
        arm->lba_first = (int32_t)a;
        arm->lba_last = (int32_t)b;
        return 0;
}

/* The slot for a sense fault: the one armed for the same commands, else a free one. */
static ds_sense_fault *sense_slot(ds_faults *faults, const ds_fault_arm *arm)
{
        ds_sense_fault *free_slot = NULL;

        for (size_t i = 0; i < DS_SENSE_FAULTS_MAX; i++) {
                ds_sense_fault *f = &faults->sense[i];

                if (f->arm.armed && f->arm.opcode == arm->opcode && f->arm.format == arm->format &&
                    f->arm.has_lba == arm->has_lba && f->arm.lba_first == arm->lba_first &&
                    f->arm.lba_last == arm->lba_last)
                        return f;
                if (!f->arm.armed && !free_slot)
                        free_slot = f;
        }
        return free_slot;
}

int ds_fault_arm_parse(ds_faults *faults, const char *text, char **error)
{
        ds_fault_arm arm = {.armed = true, .opcode = -1, .format = -1, .after = 0, .count = -1};
        ds_sense_fault sense = {0};
        char *copy = strdup(text), *save = NULL, *word;
        bool is_sense = false, have_sense = false;
        int f = -EINVAL, r = 0;

        if (!copy)
                return -ENOMEM;
        /* Options may be separated by ',' ':' or blanks (SPEC vs. control socket). */
        for (word = strtok_r(copy, ",: \t", &save); word; word = strtok_r(NULL, ",: \t", &save)) {
                long v;
                if (f < 0 && !is_sense) {
                        is_sense = strcmp(word, "sense") == 0;
                        f = is_sense ? -EINVAL : ds_fault_from_name(word);
                        if (!is_sense && f < 0) {
                                r = ds_message(error, -EINVAL,
                                               "unknown fault '%s' (see drivesim --help)", word);
                                break;
                        }
                } else if (is_sense && !have_sense) {
                        if (parse_sense(word, &sense) < 0) {
                                r = ds_message(error, -EINVAL,
                                               "sense '%s': give KK/AA/QQ in hex, e.g. 05/30/02",
                                               word);
                                break;
                        }
                        have_sense = true;
                } else if (strncmp(word, "op=", 3) == 0 &&
                           parse_number(word + 3, 0, 255, &v) == 0) {
                        arm.opcode = (int)v;
                } else if (strncmp(word, "format=", 7) == 0 &&
                           parse_number(word + 7, 0, 15, &v) == 0) {
                        arm.format = (int)v;
                } else if (strncmp(word, "lba=", 4) == 0 && parse_lba_range(word + 4, &arm) == 0) {
                        arm.has_lba = true;
                } else if (strncmp(word, "after=", 6) == 0 &&
                           parse_number(word + 6, 0, 1000000000, &v) == 0) {
                        arm.after = (unsigned)v;
                } else if (strncmp(word, "count=", 6) == 0 &&
                           parse_number(word + 6, 1, 1000000000, &v) == 0) {
                        arm.count = (int)v;
                } else {
                        r = ds_message(error, -EINVAL,
                                       "bad fault option '%s' (op=0xNN, format=N, lba=N[-M], "
                                       "after=N, count=N)",
                                       word);
                        break;
                }
        }
        if (r == 0 && is_sense && !have_sense)
                r = ds_message(error, -EINVAL, "%s",
                               "the sense fault needs its sense: sense KK/AA/QQ");
        else if (r == 0 && !is_sense && f < 0)
                r = ds_message(error, -EINVAL, "%s", "fault needs a name");
        if (r == 0 && arm.format >= 0 && arm.opcode >= 0 && arm.opcode != READ_TOC)
                r = ds_message(error, -EINVAL, "%s",
                               "format=N applies to READ TOC/PMA/ATIP (op=0x43) only");
        if (r == 0 && is_sense) {
                ds_sense_fault *slot = sense_slot(faults, &arm);

                if (!slot)
                        r = ds_message(error, -ENOSPC, "all %d sense faults are armed",
                                       DS_SENSE_FAULTS_MAX);
                else {
                        sense.arm = arm;
                        *slot = sense;
                }
        } else if (r == 0) {
                faults->arm[f] = arm;
        }
        free(copy);
        return r;
}

void ds_faults_clear(ds_faults *faults)
{
        memset(faults, 0, sizeof *faults);
}

/* The format of a READ TOC/PMA/ATIP CDB; older hosts put it in byte 9 (SFF-8020). */
static int toc_format(const ds_cmd *cmd)
{
        unsigned format;

        if (cmd->cdb_len < 10 || cmd->cdb[0] != READ_TOC)
                return -1;
        format = cmd->cdb[2] & 0x0f;
        if (format == 0 && (cmd->cdb[9] >> 6))
                format = cmd->cdb[9] >> 6;
        return (int)format;
}

/* The sectors a read command asks for: READ CD (BEh) and READ(12) (A8h)
 * count in bytes 6-9 (READ CD: 6-8), READ(10) (28h) in bytes 7-8. */
static bool read_range(const ds_cmd *cmd, int32_t *first, int32_t *last)
{
        uint32_t count;

        if (cmd->cdb_len < 10)
                return false;
        switch (cmd->cdb[0]) {
        case 0xbe:
                count = (uint32_t)cmd->cdb[6] << 16 | (uint32_t)cmd->cdb[7] << 8 | cmd->cdb[8];
                break;
        case 0x28:
                count = (uint32_t)cmd->cdb[7] << 8 | cmd->cdb[8];
                break;
        case 0xa8:
                if (cmd->cdb_len < 12)
                        return false;
                count = ds_get_be32(cmd->cdb + 6);
                break;
        default:
                return false;
        }
        *first = (int32_t)ds_get_be32(cmd->cdb + 2);
        *last = *first + (int32_t)count - 1;
        return count > 0;
}

static bool arm_fire(ds_fault_arm *arm, const ds_cmd *cmd)
{
        int32_t first, last;

        if (!arm->armed)
                return false;
        if (arm->opcode >= 0 && (cmd->cdb_len == 0 || cmd->cdb[0] != arm->opcode))
                return false;
        if (arm->format >= 0 && toc_format(cmd) != arm->format)
                return false;
        if (arm->has_lba &&
            (!read_range(cmd, &first, &last) || last < arm->lba_first || first > arm->lba_last))
                return false;
        if (arm->after > 0) {
                arm->after--;
                return false;
        }
        if (arm->count > 0 && --arm->count == 0)
                arm->armed = false;
        return true;
}

bool ds_fault_fire(ds_faults *faults, enum ds_fault f, const ds_cmd *cmd)
{
        return arm_fire(&faults->arm[f], cmd);
}

const ds_sense_fault *ds_fault_fire_sense(ds_faults *faults, const ds_cmd *cmd)
{
        for (size_t i = 0; i < DS_SENSE_FAULTS_MAX; i++)
                if (arm_fire(&faults->sense[i].arm, cmd))
                        return &faults->sense[i];
        return NULL;
}

static void describe_arm(FILE *f, const ds_fault_arm *arm)
{
        if (arm->opcode >= 0)
                fprintf(f, ",op=0x%02x", arm->opcode);
        if (arm->format >= 0)
                fprintf(f, ",format=%d", arm->format);
        if (arm->has_lba)
                fprintf(f, ",lba=%d-%d", arm->lba_first, arm->lba_last);
        if (arm->after)
                fprintf(f, ",after=%u", arm->after);
        if (arm->count > 0)
                fprintf(f, ",count=%d", arm->count);
}

char *ds_faults_describe(const ds_faults *faults)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return NULL;
        for (int i = 0; i < DS_FAULT_COUNT; i++) {
                const ds_fault_arm *arm = &faults->arm[i];
                if (!arm->armed)
                        continue;
                fprintf(f, "%s%s", ftell(f) ? " " : "", fault_names[i]);
                describe_arm(f, arm);
        }
        for (size_t i = 0; i < DS_SENSE_FAULTS_MAX; i++) {
                const ds_sense_fault *s = &faults->sense[i];
                if (!s->arm.armed)
                        continue;
                fprintf(f, "%ssense:%02X/%02X/%02X", ftell(f) ? " " : "", s->key, s->asc, s->ascq);
                describe_arm(f, &s->arm);
        }
        fclose(f);
        return buf;
}
