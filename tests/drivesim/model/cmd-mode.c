/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mode pages: MODE SENSE and MODE SELECT in their 10-byte and 6-byte forms, with pages
 * 01h (Read/Write Error Recovery), 05h (Write Parameters) and 2Ah (Capabilities). The
 * 6-byte forms differ only in the CDB fields and the parameter header (4 bytes instead of
 * 8, one-byte lengths); some tools still send them. Byte layouts are MMC-5's (mmc-raw.md
 * §2, §6.1, §6.2). */
#include <string.h>

#include "ds-internal.h"

/* ---- mode pages ---- */

enum {
        PC_CURRENT = 0,
        PC_CHANGEABLE = 1,
        PC_DEFAULT = 2,
        PC_SAVED = 3,
};

#define PAGE01_LEN 0x0A

/* Power-on page 05h: TAO Mode 1 as drives come up, or the first write mode this drive has
 * when it lacks TAO (the page must always hold a setting MODE SELECT would take). */
static void page05_defaults(const ds_drive *d, uint8_t p[2 + DS_PAGE05_LEN])
{
        unsigned modes = d->config.modes;

        memset(p, 0, 2 + DS_PAGE05_LEN);
        p[0] = 0x05;
        p[1] = DS_PAGE05_LEN;
        p[2] = 0x01; /* TAO, no test write, BUFE off */
        p[3] = 0x04; /* no multi-session, track mode 4 (data) */
        p[4] = 0x08; /* Mode 1, 2048 bytes */
        if (!(modes & DS_MODE_TAO) && (modes & DS_MODE_SAO)) {
                p[2] = 0x02;
        } else if (!(modes & (DS_MODE_TAO | DS_MODE_SAO))) {
                p[2] = 0x03;
                p[3] = 0x00;
                p[4] = (modes & DS_MODE_RAW96R) ? 3 : (modes & DS_MODE_RAW96P) ? 2 : 1;
        }
        ds_put_be16(p + 14, 150); /* audio pause length */
}

static void page01_defaults(uint8_t p[2 + PAGE01_LEN])
{
        memset(p, 0, 2 + PAGE01_LEN);
        p[0] = 0x01;
        p[1] = PAGE01_LEN;
        p[3] = 0x10; /* read retry count */
        p[8] = 0x10; /* write retry count */
}

void ds_mode_pages_init(ds_drive *d)
{
        page05_defaults(d, d->write_params.page);
        page01_defaults(d->error_recovery_page);
}

/* Which bits of page 05h the host may change: every field, reserved bytes excepted. */
static void page05_changeable(uint8_t p[2 + DS_PAGE05_LEN])
{
        memset(p, 0xff, 2 + DS_PAGE05_LEN);
        p[0] = 0x05;
        p[1] = DS_PAGE05_LEN;
        p[2] = 0x7f; /* BUFE, LS_V, Test Write, Write Type */
        p[4] = 0x0f; /* Data Block Type */
        p[6] = 0;
        p[7] = 0x3f; /* Host Application Code */
        p[9] = 0;
}

static void page01_changeable(uint8_t p[2 + PAGE01_LEN])
{
        memset(p, 0, 2 + PAGE01_LEN);
        p[0] = 0x01;
        p[1] = PAGE01_LEN;
        p[2] = 0xff;  /* error recovery flags */
        p[3] = 0xff;  /* read retry count */
        p[8] = 0xff;  /* write retry count */
        p[10] = 0xff; /* recovery time limit */
        p[11] = 0xff;
}

/* Page 2Ah, MMC-3 layout with the write speed descriptors from byte 32. */
static size_t compose_page_2a(const ds_drive *d, int pc, uint8_t *p)
{
        unsigned speeds[16];
        size_t n = ds_write_speeds(d, speeds, sizeof speeds / sizeof speeds[0]);
        size_t len = 32 + 4 * n;
        unsigned current = pc == PC_DEFAULT ? ds_max_write_speed(d) : d->current_write_speed;
        unsigned current_read = pc == PC_DEFAULT ? d->config.max_read_speed : d->current_read_speed;

        memset(p, 0, len);
        p[0] = 0x2A;
        p[1] = (uint8_t)(len - 2);
        if (pc == PC_CHANGEABLE)
                return len;                      /* nothing on this page can be changed */
        p[2] = 0x01 | 0x02 | 0x04 | 0x08 | 0x10; /* reads CD-R, CD-RW, Method 2, DVD-ROM, DVD-R */
        p[3] = 0x01; /* writes CD-R; CD-RW unless "cdrw-write=no"; Test Write if some mode has it */
        if (d->config.cdrw_write)
                p[3] |= 0x02;
        if (ds_modes_can_test(d->config.modes))
                p[3] |= 0x04;
        p[4] = 0x80 | 0x40 | 0x20 | 0x10 | 0x01; /* BUF, multi-session, Mode 2 Form 1/2, audio */
        p[5] = 0x40 | 0x20 | 0x10 | 0x08 | 0x04 | 0x02 | 0x01; /* UPC, ISRC, C2, R-W, CD-DA */
        p[6] = (uint8_t)(0x20 | 0x08 | 0x01 | (d->tray_locked ? 0x02 : 0)); /* tray, eject, lock */
        p[7] = 0x20 | 0x02 | 0x01; /* R-W in lead-in, separate mute and volume */
        ds_put_be16(p + 8, ds_speed_kbps(d->config.max_read_speed));
        ds_put_be16(p + 10, 256); /* volume levels */
        ds_put_be16(p + 12, (uint16_t)(d->config.buffer_bytes / 1024));
        ds_put_be16(p + 14, ds_speed_kbps(current_read));
        ds_put_be16(p + 18, ds_speed_kbps(ds_max_write_speed(d)));
        ds_put_be16(p + 20, ds_speed_kbps(current));
        p[27] = 0; /* CLV */
        ds_put_be16(p + 28, ds_speed_kbps(current));
        ds_put_be16(p + 30, (uint16_t)n);
        for (size_t i = 0; i < n; i++) {
                p[32 + 4 * i] = 0;
                p[33 + 4 * i] = 0; /* CLV */
                ds_put_be16(p + 34 + 4 * i, ds_speed_kbps(speeds[i]));
        }
        return len;
}

static size_t compose_page(const ds_drive *d, uint8_t code, int pc, uint8_t *p)
{
        switch (code) {
        case 0x01:
                if (pc == PC_CHANGEABLE)
                        page01_changeable(p);
                else if (pc == PC_DEFAULT)
                        page01_defaults(p);
                else
                        memcpy(p, d->error_recovery_page, 2 + PAGE01_LEN);
                return 2 + PAGE01_LEN;
        case 0x05:
                if (pc == PC_CHANGEABLE)
                        page05_changeable(p);
                else if (pc == PC_DEFAULT)
                        page05_defaults(d, p);
                else
                        memcpy(p, d->write_params.page, 2 + DS_PAGE05_LEN);
                return 2 + DS_PAGE05_LEN;
        case 0x2A:
                return compose_page_2a(d, pc, p);
        default:
                return 0;
        }
}

/* The 6-byte forms carry one-byte lengths and a 4-byte parameter header. */
static bool six_byte_form(const ds_cmd *cmd)
{
        return cmd->cdb[0] == DS_OP_MODE_SENSE_6 || cmd->cdb[0] == DS_OP_MODE_SELECT_6;
}

void ds_cmd_mode_sense(ds_drive *d, ds_cmd *cmd)
{
        static const uint8_t all_pages[] = {0x01, 0x05, 0x2A};
        bool six = six_byte_form(cmd);
        int pc = cmd->cdb[2] >> 6;
        uint8_t code = cmd->cdb[2] & 0x3f, subpage = cmd->cdb[3];
        uint16_t alloc = six ? cmd->cdb[4] : ds_get_be16(cmd->cdb + 7);
        size_t header = six ? 4 : 8;
        uint8_t r[512];
        size_t len = header;

        if (ds_fault_fire(&d->faults, DS_FAULT_NO_SUCH_MODE_PAGE, cmd)) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x24, 0x00);
                return;
        }
        if (pc == PC_SAVED) { /* SAVING PARAMETERS NOT SUPPORTED */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x39, 0x00);
                return;
        }
        if (subpage != 0 && !(subpage == 0xff && code == 0x3f)) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        memset(r, 0, header);
        if (code == 0x3f) {
                for (size_t i = 0; i < sizeof all_pages; i++)
                        len += compose_page(d, all_pages[i], pc, r + len);
        } else {
                size_t n = compose_page(d, code, pc, r + len);
                if (n == 0) {
                        ds_fail_invalid_cdb(d, cmd); /* no such page */
                        return;
                }
                len += n;
        }
        /* Header: mode data length (not counting itself), medium type 0, no block
         * descriptors. Every page set fits the 6-byte form's one-byte length. */
        if (six)
                r[0] = (uint8_t)(len - 1);
        else
                ds_put_be16(r, (uint16_t)(len - 2));
        ds_reply_alloc(cmd, r, len, alloc);
}

/* Write type, data block type and Test Write as the drive's modes allow (ds-modes.h,
 * mmc-raw.md §2.2): TAO and SAO with the cooked types, RAW with the raw+subchannel types
 * it has. Everything else, packet writing included, is refused as the probes of wodim and
 * libburn expect. */
static bool page05_valid(const ds_drive *d, const uint8_t *p)
{
        if (p[1] != DS_PAGE05_LEN)
                return false; /* the length must be the one MODE SENSE reports */
        if (!ds_modes_accept(d->config.modes, p[2] & 0x0f, p[4] & 0x0f, p[2] & 0x10))
                return false;
        if ((p[3] >> 6) == 2)
                return false; /* multi-session 10b is reserved */
        return true;
}

void ds_cmd_mode_select(ds_drive *d, ds_cmd *cmd)
{
        bool six = six_byte_form(cmd);
        size_t n = six ? cmd->cdb[4] : ds_get_be16(cmd->cdb + 7);
        size_t header = six ? 4 : 8;
        uint8_t page05[2 + DS_PAGE05_LEN], page01[2 + PAGE01_LEN];
        const uint8_t *p = cmd->data;
        size_t block_descriptors;

        if (cmd->cdb[1] & 0x01) { /* SP: nothing can be saved */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (n == 0)
                return;
        if (cmd->direction != DS_DIR_TO_DEVICE || cmd->data_len < n || n < header) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x1A,
                        0x00); /* PARAMETER LIST LENGTH ERROR */
                return;
        }
        block_descriptors = six ? p[3] : ds_get_be16(p + 6);
        if (ds_fault_fire(&d->faults, DS_FAULT_INVALID_MODE_PARAMETERS, cmd) ||
            block_descriptors != 0 /* block descriptors have no meaning here */) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x26, 0x00);
                return;
        }

        /* Check every page first, change nothing unless all are acceptable. */
        memcpy(page05, d->write_params.page, sizeof page05);
        memcpy(page01, d->error_recovery_page, sizeof page01);
        for (size_t off = header; off < n;) {
                const uint8_t *page = p + off;
                size_t page_len;

                if (n - off < 2 || n - off < 2u + page[1]) {
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x1A, 0x00);
                        return;
                }
                page_len = 2u + page[1];
                switch (page[0] & 0x3f) {
                case 0x05:
                        if (!page05_valid(d, page))
                                goto invalid;
                        memcpy(page05, page, sizeof page05);
                        page05[0] = 0x05; /* PS is the drive's to report */
                        page05[6] = page05[9] = 0;
                        break;
                case 0x01:
                        if (page[1] != PAGE01_LEN)
                                goto invalid;
                        page01[2] = page[2];
                        page01[3] = page[3];
                        page01[8] = page[8];
                        page01[10] = page[10];
                        page01[11] = page[11];
                        break;
                default: /* 2Ah and unknown pages cannot be changed */
                        goto invalid;
                }
                off += page_len;
        }
        memcpy(d->write_params.page, page05, sizeof page05);
        memcpy(d->error_recovery_page, page01, sizeof page01);
        cmd->resid = cmd->data_len - n; /* the whole parameter list was taken */
        return;

invalid:
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x26, 0x00); /* INVALID FIELD IN PARAMETER LIST */
}
