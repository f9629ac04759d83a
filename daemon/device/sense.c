/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sense.h"

#include <errno.h>

#include "mmc.h"

int sense_parse(const uint8_t *buf, size_t len, scsi_sense *ret)
{
        if (!buf || len < 1)
                return -EBADMSG;

        switch (buf[0] & 0x7f) {
        case 0x70: /* fixed, current */
        case 0x71: /* fixed, deferred */
                /* Byte 7 is the additional length; ASC/ASCQ need it >= 6. */
                if (len < 14 || buf[7] < 6)
                        return -EBADMSG;
                *ret = (scsi_sense){.key = buf[2] & 0x0f, .asc = buf[12], .ascq = buf[13]};
                return 0;
        case 0x72: /* descriptor, current */
        case 0x73: /* descriptor, deferred */
                if (len < 4)
                        return -EBADMSG;
                *ret = (scsi_sense){.key = buf[1] & 0x0f, .asc = buf[2], .ascq = buf[3]};
                return 0;
        default:
                return -EBADMSG;
        }
}

bool sense_is_unit_attention(const scsi_sense *sense)
{
        return sense->key == 0x06;
}

/*
 * One row per condition of mmc-raw.md §7.2, first match wins. op 0 matches
 * every command; ascq_lo..ascq_hi is inclusive; asc 0xff matches any ASC of
 * the key (used only for catch-alls at the end).
 */
static const struct sense_map_entry {
        uint8_t op;
        uint8_t key, asc, ascq_lo, ascq_hi;
        const char *error;
} sense_map[] = {
    /* MEDIUM NOT PRESENT (00, 01 tray closed, 02 tray open, …) */
    {0, 0x02, 0x3a, 0x00, 0xff, "RecorderMediaNoMedia"},
    /* LOGICAL UNIT NOT READY */
    {0, 0x02, 0x04, 0x00, 0x01, "RecorderMediaBecomingReady"},
    {0, 0x02, 0x04, 0x04, 0x04, "RecorderMediaFormatInProgress"},
    {0, 0x02, 0x04, 0x07, 0x08, "RecorderMediaBusy"},
    /* WRITE PROTECTED and its variants */
    {0, 0x07, 0x27, 0x00, 0x06, "RecorderMediaWriteProtected"},
    /* CANNOT WRITE MEDIUM – UNSUPPORTED MEDIUM VERSION: a guess (MMC has no
     * speed mismatch code), before the generic 30h rows. */
    {0, 0x02, 0x30, 0x11, 0x11, "RecorderMediaSpeedMismatch"},
    /* INCOMPATIBLE MEDIUM INSTALLED / CANNOT READ / CANNOT WRITE */
    {0, 0x02, 0x30, 0x00, 0x02, "RecorderMediaIncompatible"},
    {0, 0x05, 0x30, 0x04, 0x05, "RecorderMediaIncompatible"},
    /* No MMC code for an upside-down disc: drivesim's convention (and the
     * nearest real conditions) UNABLE TO RECOVER TOC, NO REFERENCE POSITION. */
    {0, 0x02, 0x57, 0x00, 0x00, "RecorderMediaUpsideDown"},
    {0, 0x02, 0x06, 0x00, 0x00, "RecorderMediaUpsideDown"},
    /* LOSS OF STREAMING */
    {0, 0x03, 0x0c, 0x09, 0x09, "LossOfStreaming"},
    /* INVALID FIELD IN CDB / SAVING PARAMETERS NOT SUPPORTED on MODE SENSE:
     * the page (and type) is not there. */
    {MMC_OP_MODE_SENSE_10, 0x05, 0x24, 0x00, 0x00, "RecorderNoSuchModePage"},
    {MMC_OP_MODE_SENSE_10, 0x05, 0x39, 0x00, 0x00, "RecorderNoSuchModePage"},
    /* INVALID FIELD IN PARAMETER LIST / PARAMETER LIST LENGTH on MODE SELECT */
    {MMC_OP_MODE_SELECT_10, 0x05, 0x26, 0x00, 0x02, "RecorderInvalidModeParameters"},
    {MMC_OP_MODE_SELECT_10, 0x05, 0x1a, 0x00, 0x00, "RecorderInvalidModeParameters"},
    /* A DVD profile without the DVD's physical format structure: the drive
     * and the disc do not agree on what is in the tray. */
    {MMC_OP_READ_DISC_STRUCTURE, 0x05, 0x24, 0x00, 0x00, "RecorderDvdStructureNotPresent"},
    {MMC_OP_READ_DISC_STRUCTURE, 0x05, 0x30, 0x02, 0x02, "RecorderDvdStructureNotPresent"},
    {MMC_OP_READ_DISC_STRUCTURE, 0x02, 0x30, 0x02, 0x02, "RecorderDvdStructureNotPresent"},
    /* INVALID COMMAND OPERATION CODE on GET CONFIGURATION */
    {MMC_OP_GET_CONFIGURATION, 0x05, 0x20, 0x00, 0x00, "RecorderGetConfigurationNotSupported"},
    /* Before a write the daemon checks READ DISC INFORMATION itself; a drive
     * that still refuses the address is reported as not blank / no space. */
    {MMC_OP_WRITE_10, 0x05, 0x63, 0x00, 0x00, "NotEnoughSpace"},
    /* Everything else a drive can say: write errors (03/0C), calibration
     * (03/73), sequence errors (05/2C), invalid fields elsewhere. */
    {0, 0xff, 0xff, 0x00, 0xff, "UnexpectedResponseFromDevice"},
};

const char *sense_to_error(uint8_t op, const scsi_sense *sense)
{
        for (size_t i = 0; i < sizeof sense_map / sizeof sense_map[0]; i++) {
                const struct sense_map_entry *e = &sense_map[i];

                if (e->op != 0 && e->op != op)
                        continue;
                if (e->key != 0xff && e->key != sense->key)
                        continue;
                if (e->asc != 0xff && e->asc != sense->asc)
                        continue;
                if (sense->ascq < e->ascq_lo || sense->ascq > e->ascq_hi)
                        continue;
                return e->error;
        }
        return "UnexpectedResponseFromDevice";
}

/* What a person can do, by what the drive said (MMC's sense codes for
 * writers). The most specific row first. */
static const struct sense_hint {
        uint8_t key, asc, ascq_lo, ascq_hi;
        const char *hint;
} sense_hints[] = {
    {0x03, 0x73, 0x00, 0xff,
     "power calibration failed: lower the write speed, or try discs of another make"},
    {0x03, 0x0c, 0x09, 0x09,
     "the drive ran out of data: turn BURN-Free on, lower the write speed, or burn from a local "
     "file"},
    {0x03, 0x0c, 0x00, 0xff, "the disc could not be written there: try another disc"},
    {0x03, 0x02, 0x00, 0x00, "the laser could not find its track: clean the disc, try another"},
    {0x03, 0x11, 0x00, 0xff, "the disc cannot be read there: it is scratched, dirty or faulty"},
    {0x02, 0x3a, 0x00, 0xff, "insert a disc and close the tray"},
    {0x02, 0x04, 0x01, 0x01, "the disc is spinning up: try again in a moment"},
    {0x02, 0x04, 0x04, 0x04, "the disc is being formatted: wait for it to finish"},
    {0x02, 0x04, 0x07, 0x08, "the drive is busy finishing a long operation: wait, then try again"},
    {0x02, 0x57, 0x00, 0x00, "the disc may be upside down: take it out and insert it label up"},
    {0x02, 0x06, 0x00, 0x00, "the disc may be upside down: take it out and insert it label up"},
    {0x02, 0x30, 0x11, 0x11,
     "the disc's speed does not suit this drive: try discs rated for the drive's speeds"},
    {0x02, 0x30, 0x00, 0x02, "this disc is not one the drive can use: try a CD-R or CD-RW"},
    {0x07, 0x27, 0x00, 0x06, "the disc is write-protected (or a CD-R already closed)"},
    {0x05, 0x63, 0x00, 0x00, "the image is too long for this disc: use a longer disc"},
    {0x05, 0x21, 0x00, 0x02, "the drive refused the address: the disc is full or not blank"},
    {0x05, 0x64, 0x00, 0x00, "the drive cannot do this with this disc (a CD-R cannot be erased)"},
    {0x05, 0x26, 0x00, 0xff,
     "the drive does not take this write mode: see the drive's SupportedWriteModes"},
    {0x06, 0x28, 0x00, 0x00, "the disc was changed: check the disc and start again"},
    {0x06, 0x29, 0x00, 0xff, "the drive was reset: start again"},
    {0x04, 0xff, 0x00, 0xff,
     "the drive reports a hardware fault: power it off and on, or try "
     "another drive"},
};

const char *sense_hint(uint8_t op, const scsi_sense *sense)
{
        for (size_t i = 0; i < sizeof sense_hints / sizeof sense_hints[0]; i++) {
                const struct sense_hint *h = &sense_hints[i];

                if (h->key != sense->key || (h->asc != 0xff && h->asc != sense->asc))
                        continue;
                if (sense->ascq < h->ascq_lo || sense->ascq > h->ascq_hi)
                        continue;
                return h->hint;
        }
        return NULL;
}
