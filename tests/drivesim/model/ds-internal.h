/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drive model's shared state. Each cmd-*.c file implements the commands
 * of one area; drive.c dispatches to them (see the table there).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ds-disc.h"
#include "ds-drive.h"
#include "ds-fault.h"
#include "ds-modes.h"
#include "rawburn/msf.h"
#include "rawburn/rw-subcode.h"

/* The first LBA of the program area (track 1's pregap); the lead-in ends before it. */
#define DS_PROGRAM_AREA_START (-150)

/* SCSI/MMC operation codes the model answers. */
enum ds_opcode {
        DS_OP_TEST_UNIT_READY = 0x00,
        DS_OP_REZERO_UNIT = 0x01,
        DS_OP_REQUEST_SENSE = 0x03,
        DS_OP_INQUIRY = 0x12,
        DS_OP_MODE_SELECT_6 = 0x15,
        DS_OP_MODE_SENSE_6 = 0x1A,
        DS_OP_START_STOP_UNIT = 0x1B,
        DS_OP_PREVENT_ALLOW = 0x1E,
        DS_OP_READ_CAPACITY = 0x25,
        DS_OP_READ_10 = 0x28,
        DS_OP_WRITE_10 = 0x2A,
        DS_OP_SEEK_10 = 0x2B,
        DS_OP_SYNCHRONIZE_CACHE = 0x35,
        DS_OP_READ_SUB_CHANNEL = 0x42,
        DS_OP_READ_TOC_PMA_ATIP = 0x43,
        DS_OP_GET_CONFIGURATION = 0x46,
        DS_OP_GET_EVENT_STATUS = 0x4A,
        DS_OP_READ_DISC_INFORMATION = 0x51,
        DS_OP_READ_TRACK_INFORMATION = 0x52,
        DS_OP_SEND_OPC_INFORMATION = 0x54,
        DS_OP_MODE_SELECT_10 = 0x55,
        DS_OP_MODE_SENSE_10 = 0x5A,
        DS_OP_CLOSE_TRACK_SESSION = 0x5B,
        DS_OP_READ_BUFFER_CAPACITY = 0x5C,
        DS_OP_SEND_CUE_SHEET = 0x5D,
        DS_OP_BLANK = 0xA1,
        DS_OP_READ_12 = 0xA8,
        DS_OP_WRITE_12 = 0xAA,
        DS_OP_GET_PERFORMANCE = 0xAC,
        DS_OP_READ_DISC_STRUCTURE = 0xAD,
        DS_OP_SET_STREAMING = 0xB6,
        DS_OP_READ_CD_MSF = 0xB9,
        DS_OP_SET_CD_SPEED = 0xBB,
        DS_OP_MECHANISM_STATUS = 0xBD,
        DS_OP_READ_CD = 0xBE,
};

/* Sense keys. */
enum ds_sense_key {
        DS_SK_NO_SENSE = 0x0,
        DS_SK_RECOVERED_ERROR = 0x1,
        DS_SK_NOT_READY = 0x2,
        DS_SK_MEDIUM_ERROR = 0x3,
        DS_SK_HARDWARE_ERROR = 0x4,
        DS_SK_ILLEGAL_REQUEST = 0x5,
        DS_SK_UNIT_ATTENTION = 0x6,
        DS_SK_DATA_PROTECT = 0x7,
        DS_SK_ABORTED_COMMAND = 0xB,
};

/* MMC profiles (GET CONFIGURATION). */
enum ds_profile {
        DS_PROFILE_NONE = 0x0000,
        DS_PROFILE_CDROM = 0x0008,
        DS_PROFILE_CDR = 0x0009,
        DS_PROFILE_CDRW = 0x000A,
        DS_PROFILE_DVDROM = 0x0010,
        DS_PROFILE_DVDR = 0x0011,
};

enum ds_media_kind {
        DS_MEDIA_NONE,  /* tray empty */
        DS_MEDIA_CDR,   /* recordable, once */
        DS_MEDIA_CDRW,  /* rewritable: BLANK makes it blank again */
        DS_MEDIA_CDROM, /* pressed / finished disc from an image file */
        DS_MEDIA_DVDR,  /* a DVD-R: present, readable as such, never writable in CD modes */
};

typedef struct ds_media {
        enum ds_media_kind kind;
        char name[32];             /* the SPEC media name: "cdr80", "cdrw74", "cdrom", "dvdr" */
        unsigned minutes;          /* nominal capacity: 74, 80, 90, 99 */
        int32_t atip_leadin_start; /* ATIP start time of lead-in, as an LBA (negative) */
        int32_t atip_last_leadout; /* ATIP last possible start of lead-out, as an LBA */
        unsigned max_speed;        /* highest write speed the media allows, in × (ATIP A1/A2) */
        unsigned min_speed;        /* lowest write speed the media allows, in × */
        bool has_atip;             /* recordable media carry ATIP; pressed CDs and DVDs do not */
        uint8_t atip[24];          /* the READ TOC format 4 descriptor (bytes 4..27), media.c */
        ds_disc *disc;             /* what is recorded on it; never NULL while kind != NONE */
} ds_media;

/* Write Parameters mode page 05h, as the host last set it (MODE SELECT). */
#define DS_PAGE05_LEN 0x32
typedef struct ds_write_params {
        uint8_t page[2 + DS_PAGE05_LEN]; /* byte 0 page code, byte 1 length, then fields */
} ds_write_params;

static inline unsigned ds_write_type(const ds_write_params *wp)
{
        return wp->page[2] & 0x0f; /* 1 TAO, 2 SAO, 3 RAW */
}
static inline bool ds_write_test(const ds_write_params *wp)
{
        return wp->page[2] & 0x10;
}
static inline bool ds_write_bufe(const ds_write_params *wp)
{
        return wp->page[2] & 0x40;
}
static inline unsigned ds_write_block_type(const ds_write_params *wp)
{
        return wp->page[4] & 0x0f; /* 1 raw+PQ 2368, 2 raw+packed P-W 2448, 3 raw+raw P-W 2448 */
}
static inline unsigned ds_write_multisession(const ds_write_params *wp)
{
        return wp->page[3] >> 6;
}

/* Drive configuration from the SPEC (never changed after ds_drive_new()). */
typedef struct ds_config {
        char vendor[9];           /* INQUIRY vendor, 8 chars */
        char product[17];         /* INQUIRY product, 16 chars */
        char revision[5];         /* INQUIRY revision, 4 chars */
        unsigned max_write_speed; /* in × (1× = 75 sectors/s, 176.4 kB/s); "speed=" */
        unsigned max_read_speed;
        uint64_t buffer_bytes; /* drive buffer; "buffer=" */
        bool realtime;         /* burn at the set speed from the buffer; "realtime" */
        bool kept;             /* re-insert the disc from the state dir; "kept" */
        unsigned modes;        /* DS_MODE_* the drive accepts; "modes=" (ds-modes.h) */
        bool cdrw_write;       /* writes (and so blanks) CD-RW; "cdrw-write=no" clears it */
        bool has_capacity;     /* "capacity=": recordable CDs' last possible lead-out start */
        rb_msf_t capacity;
        uint32_t overburn; /* sectors the drive writes past that start plus a lead-out */
} ds_config;

/*
 * The write engine's progress and its buffer model (ds-writer.c).
 * Sector counts and times, nothing that allocates.
 */
typedef struct ds_writer {
        bool active;                /* a RAW write is under way (first WRITE seen, not finished) */
        int32_t next_lba;           /* the LBA the next WRITE must start at */
        uint64_t sectors_in;        /* accepted from the host since the write began */
        uint64_t sectors_burned;    /* moved from the buffer to the disc (realtime model) */
        uint64_t last_update_ns;    /* when sectors_burned was last brought up to date */
        bool draining;              /* SYNCHRONIZE CACHE seen: burn the rest, then finish */
        uint64_t drain_done_ns;     /* when the drain ends (02/04/08 until then) */
        unsigned burnfree_events;   /* buffer ran dry with BUFE on: the burn paused */
        bool underrun;              /* buffer ran dry with BUFE off: the disc is spoilt */
        bool underrun_reported;     /* the next WRITE got 03/0C/09; later ones 05/21/02 */
        bool test_write;            /* page 05h Test Write when the write began: record nothing */
        bool sao;                   /* an SAO write from a cue sheet (sao.c), not RAW */
        unsigned block_size;        /* bytes per block of this write (DBT 1: 2368, 2/3: 2448) */
        bool leadout_seen;          /* a sector with Q TNO AA was written: the session can close */
        bool burning;               /* realtime: the laser runs (the buffer filled, or a SYNC) */
        uint64_t burn_origin_ns;    /* realtime: when the burn (re)started … */
        uint64_t burned_at_origin;  /* … and how many sectors were burned by then */
        rb_rw_encoder_t rw_encoder; /* DBT 2: the program-area R-W interleave (cmd-write.c) */
} ds_writer;

/*
 * Figures of the current or last burn for benchmarks (srN state, writer.c). Reset when a
 * burn begins, not by eject or media changes, so that they can be read after the tool is
 * done with the disc.
 */
#define DS_FILL_STEPS 20 /* fill_hist: 5 % a step */

typedef struct ds_burn_stats {
        uint64_t writes;          /* WRITE commands taken into the buffer */
        unsigned underruns;       /* the buffer ran dry mid-burn (a BUFE pause, or the coaster) */
        bool filled;              /* realtime: the buffer has been full once */
        uint64_t min_fill_bytes;  /* lowest fill after that, seen just before each WRITE */
        uint64_t last_fill_bytes; /* the fill the last WRITE found (a trace reads it) */
        /* The fill each WRITE found once the buffer had filled, in steps of 5 % of the
         * buffer (index 20: full): the shape of the dips, not only the deepest. */
        uint64_t fill_hist[DS_FILL_STEPS + 1];
        uint64_t done_ns;        /* when the last WRITE completed (its flow-control delay over) */
        uint64_t max_gap_ns;     /* longest from a WRITE's completion to the next one's arrival */
        uint64_t wait_ns;        /* how long WRITEs were held for room (the host was ahead) */
        uint64_t first_write_ns; /* the drive's clock (CLOCK_MONOTONIC) at the first WRITE */
        uint64_t finished_ns;    /* … when the session ended; 0 while it runs */
} ds_burn_stats;

/* The cue sheet of an SAO write (SEND CUE SHEET, sao.c): one entry per index point. */
typedef struct ds_cue_entry {
        uint8_t control; /* Q CONTROL nibble */
        uint8_t tno;     /* 0 lead-in, 1..99, 0xAA lead-out */
        uint8_t index;
        uint8_t form; /* data form of main data: 00h/01h audio, 10h Mode 1 (2048 bytes) */
        int32_t lba;  /* where the index starts */
} ds_cue_entry;

typedef struct ds_cue_sheet {
        unsigned n; /* 0: none sent */
        ds_cue_entry e[200];
} ds_cue_sheet;

struct ds_drive {
        char name[16];   /* "sr0" */
        char *state_dir; /* NULL: nothing persists */
        ds_clock clock;
        uint64_t arrival_ns; /* while a command runs: its arrival_ns, which ds_now() gives */
        ds_config config;

        ds_media media;
        bool tray_open;
        bool tray_locked;           /* PREVENT ALLOW MEDIUM REMOVAL prevent=1 */
        bool media_changed_pending; /* report 06/28/00 once (UNIT ATTENTION) */
        unsigned events;            /* DS_EVENT_* not yet taken by the front end */

        unsigned current_write_speed; /* ×, after SET CD SPEED rounding */
        unsigned current_read_speed;

        ds_write_params write_params;
        ds_writer writer;
        ds_burn_stats stats;
        ds_cue_sheet cue; /* SAO: the last cue sheet sent; cleared with the write engine */
        int32_t read_lba; /* cmd-read.c: the last sector read, for READ SUB-CHANNEL position */
        /* realtime: when the head has read the last sector asked for (cmd-read.c). */
        uint64_t read_done_ns;
        ds_faults faults;

        /* Read/Write Error Recovery mode page 01h as the host last set it (cmd-mode.c). */
        uint8_t error_recovery_page[12];

        /* GET EVENT STATUS NOTIFICATION: media events are derived by comparing what the
         * host was last told with the tray now (cmd-ident.c); media.c bumps the generation
         * on every load and unload so a swap between two polls is still one "new media". */
        unsigned media_generation;
        unsigned gesn_generation;
        bool gesn_media_present;
        /* The eject button was pressed on a locked tray: reported once as an Eject Request
         * media event, which the kernel's sr driver turns into DISK_EJECT_REQUEST=1. */
        bool gesn_eject_request;

        /* BLANK with IMMED: TEST UNIT READY answers 02/04/07 until blank_end_ns (cmd-tray.c). */
        bool blanking;
        uint64_t blank_start_ns, blank_end_ns;

        /* The sense of the last CHECK CONDITION, for REQUEST SENSE. */
        uint8_t last_sense[DS_SENSE_MAX];
        bool last_sense_valid;
};

/* ---- helpers for command handlers (sense.c) ---- */

/* CHECK CONDITION with fixed-format sense; also remembered for REQUEST SENSE. */
void ds_fail(ds_drive *d, ds_cmd *cmd, uint8_t key, uint8_t asc, uint8_t ascq);
/* 05/24/00 INVALID FIELD IN CDB, the commonest refusal. */
void ds_fail_invalid_cdb(ds_drive *d, ds_cmd *cmd);
/* Copies min(len, cmd->data_len) bytes of reply and sets resid. */
void ds_reply(ds_cmd *cmd, const void *buf, size_t len);
/* The same, also cut to the CDB's allocation length. */
void ds_reply_alloc(ds_cmd *cmd, const void *buf, size_t len, size_t alloc);

/* Big-endian field access in CDBs and replies. */
static inline uint16_t ds_get_be16(const uint8_t *p)
{
        return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t ds_get_be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void ds_put_be16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
}
static inline void ds_put_be32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
}

static inline uint64_t ds_now(const ds_drive *d)
{
        if (d->arrival_ns)
                return d->arrival_ns;
        return d->clock.now_ns(d->clock.userdata);
}

/* The profile the current media presents (DS_PROFILE_NONE without media). */
enum ds_profile ds_current_profile(const ds_drive *d);
/* The disc in the tray is a CD the drive can write: a CD-R, or a CD-RW when the drive
 * writes CD-RW. */
bool ds_writable_cd(const ds_drive *d);

/* ---- command handlers, by area ---- */
typedef void ds_handler(ds_drive *d, ds_cmd *cmd);

/* cmd-ident.c: who the drive is and what it can do */
ds_handler ds_cmd_test_unit_ready, ds_cmd_request_sense, ds_cmd_inquiry, ds_cmd_get_configuration,
    ds_cmd_get_event_status, ds_cmd_mechanism_status;

/* cmd-mode.c: MODE SENSE/SELECT, 10-byte and 6-byte forms (the opcode tells which) */
ds_handler ds_cmd_mode_sense, ds_cmd_mode_select;

/* cmd-media.c: what is in the tray */
ds_handler ds_cmd_read_disc_information, ds_cmd_read_track_information, ds_cmd_read_capacity,
    ds_cmd_get_performance, ds_cmd_set_cd_speed, ds_cmd_set_streaming, ds_cmd_read_disc_structure,
    ds_cmd_send_opc_information;
/* READ TOC/PMA/ATIP format 4 (ATIP), called by ds_cmd_read_toc. */
void ds_reply_atip(ds_drive *d, ds_cmd *cmd);

/* cmd-tray.c: tray, lock, blanking */
ds_handler ds_cmd_prevent_allow, ds_cmd_start_stop_unit, ds_cmd_blank, ds_cmd_rezero_unit;
/* Opens the tray, the disc staying in it (not ready 02/3A/02 until it closes); ends a write
 * or blank in progress. Raises DS_EVENT_MEDIA_CHANGED, no unit attention. */
void ds_tray_open(ds_drive *d);

/* cmd-write.c: the RAW write path */
ds_handler ds_cmd_write, ds_cmd_synchronize_cache, ds_cmd_read_buffer_capacity,
    ds_cmd_close_track_session, ds_cmd_send_cue_sheet;

/* cmd-read.c: reading back what was recorded */
ds_handler ds_cmd_read_toc, ds_cmd_read_cd, ds_cmd_read_cd_msf, ds_cmd_read,
    ds_cmd_read_sub_channel, ds_cmd_seek;

/* ds-writer.c: brings the buffer model up to "now"; called before every command. */
void ds_writer_advance(ds_drive *d);
/* Resets the write engine (new media, BLANK, eject). */
void ds_writer_reset(ds_drive *d);
/* The first WRITE of a burn (RAW or SAO) was taken: the figures start afresh. */
void ds_writer_stats_begin(ds_drive *d);
/* True while a SYNCHRONIZE CACHE with IMMED drains: TUR, READ DISC INFORMATION and WRITE
 * then answer 02/04/08 LONG WRITE IN PROGRESS (drive.c asks). */
bool ds_writer_draining(ds_drive *d);
/* While draining: how much of the write has reached the disc, in 1/65536 (REQUEST SENSE). */
uint16_t ds_writer_drain_progress(const ds_drive *d);
/* Accepts n blocks into the buffer model; returns the completion delay (0 unless realtime). */
uint64_t ds_writer_accept(ds_drive *d, uint64_t n);
/* SYNCHRONIZE CACHE: starts the drain; returns when it ends (absolute ns, now if at once). */
uint64_t ds_writer_sync(ds_drive *d);
/* Sectors in the buffer not yet burned, and the buffer's size in blocks of the write. */
uint64_t ds_writer_fill(const ds_drive *d);
uint64_t ds_writer_capacity(const ds_drive *d);

/* sao.c: Session At Once from a cue sheet, the drive making sub-channel, lead-in and lead-out. */
/* WRITE in write type 2; called by ds_cmd_write once the common checks passed. */
void ds_sao_write(ds_drive *d, ds_cmd *cmd, int32_t lba, uint32_t n);
/* At the end of the drain: records lead-in and lead-out if the program area is complete;
 * returns true when the session could be closed. */
bool ds_sao_close(ds_drive *d);

/* image.c: DAO-96 images and the state dir ("kept", "export", "cdrom:FILE"). */
/* Saves the disc as <state-dir>/<drive>.dao96 and .desc (no-op without a state dir). */
int ds_kept_save(ds_drive *d);
/* Re-inserts the disc saved there, if any (the SPEC option "kept"). */
int ds_kept_restore(ds_drive *d, char **error);
/* Writes the recorded sectors (lead-in start to the end of the lead-out) as a DAO-96 image. */
int ds_disc_export(const ds_disc *disc, const char *path);

/* cmd-media.c: the write speeds (×, fastest first) the drive offers for the current media;
 * returns how many were stored (at most max). Used by page 2Ah and GET PERFORMANCE. */
size_t ds_write_speeds(const ds_drive *d, unsigned *speeds, size_t max);
/* The fastest write speed (×) for the media in the tray (the drive's own without media). */
unsigned ds_max_write_speed(const ds_drive *d);
/* kB/s as drives report speeds: 1× = 176.4 kB/s, rounded, so that kB/176 gives back the ×. */
static inline uint16_t ds_speed_kbps(unsigned x)
{
        return (uint16_t)((x * 1764u + 5u) / 10u);
}

/* cmd-mode.c: power-on values of mode pages 01h and 05h; media.c calls it once, when the
 * drive is created, so that the host's settings then survive media changes as on a drive. */
void ds_mode_pages_init(ds_drive *d);

/* cmd-tray.c: true (and CHECK CONDITION 02/04/07 with progress) while a BLANK with IMMED runs. */
bool ds_blank_busy(ds_drive *d, ds_cmd *cmd);
/* True while blanking, with how far it got in 1/65536 (sense bytes 16-17); ends it when done. */
bool ds_blank_progress(ds_drive *d, uint16_t *progress);
/* Fills fixed-format sense 02/04/ascq (07h blanking, 08h long write) with the
 * sense-key-specific progress indication. */
void ds_sense_in_progress(uint8_t sense[DS_SENSE_MAX], uint8_t ascq, uint16_t progress);

/* media.c: load a media by SPEC media name ("cdr80", "cdrom:FILE", "none"); -EINVAL if unknown. */
int ds_media_load(ds_drive *d, const char *media_spec, char **error);
void ds_media_unload(ds_drive *d);
