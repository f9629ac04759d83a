/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Who the drive is and what it can do: TEST UNIT READY, REQUEST SENSE,
 * INQUIRY, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, MODE SENSE/SELECT,
 * MECHANISM STATUS. Byte layouts are MMC-5's (mmc-raw.md §2, §6.1, §6.2). */
#include <string.h>

#include "ds-internal.h"

/* Replies are cut to the CDB's allocation length as well as to the buffer. */
static void reply_alloc(ds_cmd *cmd, const void *buf, size_t len, size_t alloc)
{
        ds_reply(cmd, buf, len < alloc ? len : alloc);
}

void ds_cmd_test_unit_ready(ds_drive *d, ds_cmd *cmd)
{
        /* Readiness was checked by the dispatcher (NEEDS_MEDIUM); a BLANK with IMMED
         * keeps the drive busy until it ends. */
        ds_blank_busy(d, cmd);
}

void ds_cmd_request_sense(ds_drive *d, ds_cmd *cmd)
{
        uint8_t s[DS_SENSE_MAX] = {0x70, 0, DS_SK_NO_SENSE, 0, 0, 0, 0, DS_SENSE_MAX - 8};
        uint16_t progress;

        if (ds_blank_progress(d, &progress)) {
                /* libburn polls the blanking progress this way (bytes 16-17). */
                ds_sense_in_progress(s, progress);
                d->last_sense_valid = false;
        } else if (d->last_sense_valid) {
                memcpy(s, d->last_sense, sizeof s);
                d->last_sense_valid = false;
        }
        reply_alloc(cmd, s, sizeof s, cmd->cdb[4]);
}

void ds_cmd_inquiry(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[96] = {0};

        if (cmd->cdb[1] & 0x01) { /* EVPD pages are not offered */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        r[0] = 0x05; /* peripheral device type: CD/DVD */
        r[1] = 0x80; /* removable medium */
        r[2] = 0x05; /* SPC-3 */
        r[3] = 0x32; /* HiSup, response data format 2 */
        r[4] = sizeof r - 5;
        memset(r + 8, ' ', 28);
        memcpy(r + 8, d->config.vendor, strlen(d->config.vendor));
        memcpy(r + 16, d->config.product, strlen(d->config.product));
        memcpy(r + 32, d->config.revision, strlen(d->config.revision));
        ds_reply(cmd, r,
                 sizeof r < ds_get_be16(cmd->cdb + 3) ? sizeof r : ds_get_be16(cmd->cdb + 3));
}

/* ---- GET CONFIGURATION ---- */

#define FEATURE_MAX 16
typedef struct feature_list {
        uint8_t data[512];
        size_t len;
        struct {
                uint16_t code;
                bool current;
                size_t off, len;
        } f[FEATURE_MAX];
        size_t n;
} feature_list;

static void add_feature(feature_list *l, uint16_t code, uint8_t version, bool persistent,
                        bool current, const uint8_t *add, uint8_t add_len)
{
        uint8_t *p = l->data + l->len;

        ds_put_be16(p, code);
        p[2] = (uint8_t)(version << 2 | persistent << 1 | current);
        p[3] = add_len;
        if (add_len)
                memcpy(p + 4, add, add_len);
        l->f[l->n].code = code;
        l->f[l->n].current = current;
        l->f[l->n].off = l->len;
        l->f[l->n].len = 4u + add_len;
        l->n++;
        l->len += 4u + add_len;
}

static bool media_present(const ds_drive *d)
{
        return !d->tray_open && d->media.kind != DS_MEDIA_NONE;
}

static bool cd_media(const ds_drive *d)
{
        return media_present(d) &&
               (d->media.kind == DS_MEDIA_CDR || d->media.kind == DS_MEDIA_CDRW ||
                d->media.kind == DS_MEDIA_CDROM);
}

static bool writable_cd_media(const ds_drive *d)
{
        return media_present(d) &&
               (d->media.kind == DS_MEDIA_CDR || d->media.kind == DS_MEDIA_CDRW);
}

/* Every feature the drive has, in ascending order, with its Current bit for the media. */
static void list_features(const ds_drive *d, feature_list *l)
{
        static const uint16_t profiles[] = {DS_PROFILE_DVDR, DS_PROFILE_DVDROM, DS_PROFILE_CDRW,
                                            DS_PROFILE_CDR, DS_PROFILE_CDROM};
        enum ds_profile current = ds_current_profile(d);
        uint8_t b[32];

        memset(l, 0, sizeof *l);

        /* 0000h Profile List: every profile, the current one flagged (CurrentP). */
        for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
                ds_put_be16(b + 4 * i, profiles[i]);
                b[4 * i + 2] = profiles[i] == current;
                b[4 * i + 3] = 0;
        }
        add_feature(l, 0x0000, 0, true, true, b, sizeof profiles / sizeof profiles[0] * 4);

        /* 0001h Core: ATAPI (physical interface 2), DBE (byte 8 bit 0). */
        memset(b, 0, 8);
        ds_put_be32(b, 2);
        b[4] = 0x01;
        add_feature(l, 0x0001, 2, true, true, b, 8);

        /* 0002h Morphing: OCEvent (polled GET EVENT STATUS works). */
        memset(b, 0, 4);
        b[0] = 0x02;
        add_feature(l, 0x0002, 1, true, true, b, 4);

        /* 0003h Removable Medium: tray loader (001b), Eject, Lock. */
        memset(b, 0, 4);
        b[0] = 0x20 | 0x08 | 0x01;
        add_feature(l, 0x0003, 0, true, true, b, 4);

        /* 001Dh Multi-Read, 001Eh CD Read (C2 flags, CD-Text), 001Fh DVD Read. */
        add_feature(l, 0x001D, 0, false, cd_media(d), NULL, 0);
        memset(b, 0, 4);
        b[0] = 0x02 | 0x01;
        add_feature(l, 0x001E, 2, false, cd_media(d), b, 4);
        add_feature(l, 0x001F, 0, false, media_present(d) && d->media.kind == DS_MEDIA_DVDR, NULL,
                    0);

        /* 002Dh CD Track at Once: BUF, R-W Raw, R-W Pack, Test Write, CD-RW, R-W Sub-code;
         * data types 0 and 8..13 (what MODE SELECT accepts for TAO). */
        memset(b, 0, 4);
        b[0] = 0x40 | 0x10 | 0x08 | 0x04 | 0x02 | 0x01;
        ds_put_be16(b + 2, 0x3f01);
        add_feature(l, 0x002D, 2, false, writable_cd_media(d), b, 4);

        /* 002Eh CD Mastering: BUF, SAO, Raw MS, Raw, Test Write, CD-RW, R-W; cue sheets up
         * to 4 KiB. */
        memset(b, 0, 4);
        b[0] = 0x40 | 0x20 | 0x10 | 0x08 | 0x04 | 0x02 | 0x01;
        b[1] = 0x00;
        b[2] = 0x10;
        b[3] = 0x00;
        add_feature(l, 0x002E, 0, false, writable_cd_media(d), b, 4);

        /* 0037h CD-RW Media Write Support: sub-types 0 (normal), 1 (High Speed) and
         * 2 (Ultra Speed), as byte 5 bits 0-2; wodim reads byte 5 to know which CD-RW
         * kinds the drive writes (the cdrw74 and cdrw80 media are sub-types 1 and 2). */
        memset(b, 0, 4);
        b[1] = 0x07;
        add_feature(l, 0x0037, 0, false, media_present(d) && d->media.kind == DS_MEDIA_CDRW, b, 4);

        /* 0107h Real Time Streaming: SCS (SET CD SPEED), WSPD (GET PERFORMANCE type 03h). */
        memset(b, 0, 4);
        b[0] = 0x08 | 0x02;
        add_feature(l, 0x0107, 3, false, media_present(d), b, 4);
}

void ds_cmd_get_configuration(ds_drive *d, ds_cmd *cmd)
{
        unsigned rt = cmd->cdb[1] & 0x03;
        uint16_t start = ds_get_be16(cmd->cdb + 2);
        uint16_t alloc = ds_get_be16(cmd->cdb + 7);
        feature_list l;
        uint8_t r[8 + sizeof l.data];
        size_t len = 8;

        if (rt == 3) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        list_features(d, &l);
        memset(r, 0, 8);
        for (size_t i = 0; i < l.n; i++) {
                bool take = rt == 2 ? l.f[i].code == start
                                    : l.f[i].code >= start && (rt == 0 || l.f[i].current);
                if (!take)
                        continue;
                memcpy(r + len, l.data + l.f[i].off, l.f[i].len);
                len += l.f[i].len;
        }
        ds_put_be32(r, (uint32_t)(len - 4));
        ds_put_be16(r + 6, (uint16_t)ds_current_profile(d));
        reply_alloc(cmd, r, len, alloc);
}

/* ---- GET EVENT STATUS NOTIFICATION ---- */

#define GESN_CLASS_MEDIA 4
enum {
        MEDIA_EVENT_NONE = 0,
        MEDIA_EVENT_NEW_MEDIA = 2,
        MEDIA_EVENT_MEDIA_REMOVAL = 3,
};

void ds_cmd_get_event_status(ds_drive *d, ds_cmd *cmd)
{
        uint16_t alloc = ds_get_be16(cmd->cdb + 7);
        uint8_t r[8] = {0};
        bool present = media_present(d);

        if (!(cmd->cdb[1] & 0x01)) { /* asynchronous notification is not offered */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        r[3] = 1 << GESN_CLASS_MEDIA; /* supported event classes */
        if (!(cmd->cdb[4] & (1 << GESN_CLASS_MEDIA))) {
                /* None of the requested classes: No Event Available, header only. */
                ds_put_be16(r, 2);
                r[2] = 0x80;
                reply_alloc(cmd, r, 4, alloc);
                return;
        }
        ds_put_be16(r, 6);
        r[2] = GESN_CLASS_MEDIA;
        r[4] = MEDIA_EVENT_NONE;
        if (present && (!d->gesn_media_present || d->gesn_generation != d->media_generation))
                r[4] = MEDIA_EVENT_NEW_MEDIA;
        else if (!present && d->gesn_media_present)
                r[4] = MEDIA_EVENT_MEDIA_REMOVAL;
        r[5] = (uint8_t)((d->tray_open ? 0x01 : 0) | (present ? 0x02 : 0));
        /* An event counts as reported only when the host really got its descriptor. */
        if (alloc >= sizeof r && cmd->data_len >= sizeof r) {
                d->gesn_media_present = present;
                d->gesn_generation = d->media_generation;
        }
        reply_alloc(cmd, r, sizeof r, alloc);
}

/* ---- mode pages ---- */

enum {
        PC_CURRENT = 0,
        PC_CHANGEABLE = 1,
        PC_DEFAULT = 2,
        PC_SAVED = 3,
};

#define PAGE01_LEN 0x0A

static void page05_defaults(uint8_t p[2 + DS_PAGE05_LEN])
{
        memset(p, 0, 2 + DS_PAGE05_LEN);
        p[0] = 0x05;
        p[1] = DS_PAGE05_LEN;
        p[2] = 0x01;              /* TAO, no test write, BUFE off */
        p[3] = 0x04;              /* no multi-session, track mode 4 (data) */
        p[4] = 0x08;              /* Mode 1, 2048 bytes */
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
        page05_defaults(d->write_params.page);
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
        p[3] = 0x01 | 0x02 | 0x04;               /* writes CD-R, CD-RW; Test Write */
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
                        page05_defaults(p);
                else
                        memcpy(p, d->write_params.page, 2 + DS_PAGE05_LEN);
                return 2 + DS_PAGE05_LEN;
        case 0x2A:
                return compose_page_2a(d, pc, p);
        default:
                return 0;
        }
}

void ds_cmd_mode_sense(ds_drive *d, ds_cmd *cmd)
{
        static const uint8_t all_pages[] = {0x01, 0x05, 0x2A};
        int pc = cmd->cdb[2] >> 6;
        uint8_t code = cmd->cdb[2] & 0x3f, subpage = cmd->cdb[3];
        uint16_t alloc = ds_get_be16(cmd->cdb + 7);
        uint8_t r[512];
        size_t len = 8;

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
        memset(r, 0, 8);
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
        /* Header: mode data length, medium type 0, no block descriptors. */
        ds_put_be16(r, (uint16_t)(len - 2));
        reply_alloc(cmd, r, len, alloc);
}

/* Write type and data block type pairs the drive accepts (mmc-raw.md §2.2): TAO and SAO
 * with the cooked types, RAW with the three raw+subchannel types. Everything else, packet
 * writing included, is refused as the probes of wodim and libburn expect. */
static bool write_mode_supported(unsigned write_type, unsigned block_type)
{
        switch (write_type) {
        case 1: /* TAO */
        case 2: /* SAO */
                return block_type == 0 || (block_type >= 8 && block_type <= 13);
        case 3: /* RAW */
                return block_type >= 1 && block_type <= 3;
        default:
                return false;
        }
}

static bool page05_valid(const uint8_t *p)
{
        if (p[1] != DS_PAGE05_LEN)
                return false; /* the length must be the one MODE SENSE reports */
        if (!write_mode_supported(p[2] & 0x0f, p[4] & 0x0f))
                return false;
        if ((p[3] >> 6) == 2)
                return false; /* multi-session 10b is reserved */
        return true;
}

void ds_cmd_mode_select(ds_drive *d, ds_cmd *cmd)
{
        uint16_t param_len = ds_get_be16(cmd->cdb + 7);
        size_t n = param_len;
        uint8_t page05[2 + DS_PAGE05_LEN], page01[2 + PAGE01_LEN];
        const uint8_t *p = cmd->data;

        if (cmd->cdb[1] & 0x01) { /* SP: nothing can be saved */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (n == 0)
                return;
        if (cmd->direction != DS_DIR_TO_DEVICE || cmd->data_len < n || n < 8) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x1A,
                        0x00); /* PARAMETER LIST LENGTH ERROR */
                return;
        }
        if (ds_fault_fire(&d->faults, DS_FAULT_INVALID_MODE_PARAMETERS, cmd) ||
            ds_get_be16(p + 6) != 0 /* block descriptors have no meaning here */) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x26, 0x00);
                return;
        }

        /* Check every page first, change nothing unless all are acceptable. */
        memcpy(page05, d->write_params.page, sizeof page05);
        memcpy(page01, d->error_recovery_page, sizeof page01);
        for (size_t off = 8; off < n;) {
                const uint8_t *page = p + off;
                size_t page_len;

                if (n - off < 2 || n - off < 2u + page[1]) {
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x1A, 0x00);
                        return;
                }
                page_len = 2u + page[1];
                switch (page[0] & 0x3f) {
                case 0x05:
                        if (!page05_valid(page))
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

void ds_cmd_mechanism_status(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[8] = {0};

        /* No changer: slot 0, no slot tables; the mechanism is idle. */
        r[1] = d->tray_open ? 0x10 : 0x00; /* Door Open */
        reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 8));
}
