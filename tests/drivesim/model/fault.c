/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds-drive.h"
#include "ds-fault.h"
#include "ds-util.h"

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

int ds_fault_arm_parse(ds_faults *faults, const char *text, char **error)
{
        ds_fault_arm arm = {.armed = true, .opcode = -1, .after = 0, .count = -1};
        char *copy = strdup(text), *save = NULL, *word;
        int f = -EINVAL, r = 0;

        if (!copy)
                return -ENOMEM;
        /* Options may be separated by ',' ':' or blanks (SPEC vs. control socket). */
        for (word = strtok_r(copy, ",: \t", &save); word; word = strtok_r(NULL, ",: \t", &save)) {
                long v;
                if (f < 0) {
                        f = ds_fault_from_name(word);
                        if (f < 0) {
                                r = ds_message(error, -EINVAL, "unknown fault '%s' (see drivesim --help)", word);
                                break;
                        }
                } else if (strncmp(word, "op=", 3) == 0 && parse_number(word + 3, 0, 255, &v) == 0) {
                        arm.opcode = (int)v;
                } else if (strncmp(word, "after=", 6) == 0 &&
                           parse_number(word + 6, 0, 1000000000, &v) == 0) {
                        arm.after = (unsigned)v;
                } else if (strncmp(word, "count=", 6) == 0 &&
                           parse_number(word + 6, 1, 1000000000, &v) == 0) {
                        arm.count = (int)v;
                } else {
                        r = ds_message(error, -EINVAL, "bad fault option '%s' (op=0xNN, after=N, count=N)", word);
                        break;
                }
        }
        if (r == 0 && f < 0)
                r = ds_message(error, -EINVAL, "%s", "fault needs a name");
        if (r == 0)
                faults->arm[f] = arm;
        free(copy);
        return r;
}

void ds_faults_clear(ds_faults *faults)
{
        memset(faults, 0, sizeof *faults);
}

bool ds_fault_fire(ds_faults *faults, enum ds_fault f, const ds_cmd *cmd)
{
        ds_fault_arm *arm = &faults->arm[f];

        if (!arm->armed)
                return false;
        if (arm->opcode >= 0 && (cmd->cdb_len == 0 || cmd->cdb[0] != arm->opcode))
                return false;
        if (arm->after > 0) {
                arm->after--;
                return false;
        }
        if (arm->count > 0 && --arm->count == 0)
                arm->armed = false;
        return true;
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
                fprintf(f, "%s%s", len || ftell(f) ? " " : "", fault_names[i]);
                if (arm->opcode >= 0)
                        fprintf(f, ",op=0x%02x", arm->opcode);
                if (arm->after)
                        fprintf(f, ",after=%u", arm->after);
                if (arm->count > 0)
                        fprintf(f, ",count=%d", arm->count);
        }
        fclose(f);
        return buf;
}
