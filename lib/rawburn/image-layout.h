/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The model of a raw disc image, after IMAPI2's IRawCDImageCreator: tracks
 * with their mode, flags, ISRC, pause (index 0) and indexes, built from
 * segments of source files or generated silence; the MCN; CD-Text; where the
 * image starts; where the lead-out starts and may start at the latest; the
 * sector type. rb_layout_finalize() places everything on the disc and checks
 * it; rb_image_write() (image-writer.h) then streams the image.
 *
 * Addresses are LBAs (MSF 00:02:00 = 0). The first track's pause always
 * starts at LBA -150 and is at least 150 sectors.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/cdtext.h"
#include "rawburn/msf.h"
#include "rawburn/subq.h"

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE values (= MMC data block types). */
typedef enum rb_sector_type {
        RB_SECTOR_PQ_ONLY = 1, /* 2352 + PQ16 = 2368 */
        RB_SECTOR_COOKED = 2,  /* 2352 + P-W, R-W de-interleaved without parity */
        RB_SECTOR_RAW = 3,     /* 2352 + P-W, R-W as on disc */
} rb_sector_type_t;

size_t rb_sector_type_size(rb_sector_type_t t);
const char *rb_sector_type_name(rb_sector_type_t t);

typedef enum rb_track_mode {
        RB_TRACK_AUDIO,
        RB_TRACK_MODE1,
        RB_TRACK_MODE2, /* CD-ROM XA, Form 1 or 2 per sector */
} rb_track_mode_t;

const char *rb_track_mode_name(rb_track_mode_t m);

/* How source bytes become the 2352-byte main channel of a sector. */
typedef enum rb_data_format {
        RB_FMT_AUDIO, /* 2352 bytes of 16-bit stereo PCM */
        RB_FMT_MODE1, /* 2048 user bytes, encoded to Mode 1 */
        RB_FMT_MODE2, /* 2336 bytes (subheader on), encoded to Mode 2 XA */
        /* 2048 user bytes of Mode 2 Form 1 and 2324 of Form 2, without
         * subheaders (cdrdao MODE2_FORM1, MODE2_FORM2): encoded with the
         * plain data subheader 00 00 08 00 (Form 1) or 00 00 20 00 (Form 2). */
        RB_FMT_MODE2_FORM1,
        RB_FMT_MODE2_FORM2,
        /* 2336 bytes of Mode 2 formless user data (cdrdao MODE2): behind the
         * header as they are, no subheader, EDC or ECC computed. */
        RB_FMT_MODE2_FORMLESS,
        RB_FMT_RAW_SECTOR, /* 2352 bytes taken as they are (sync, header, EDC/ECC included) */
        /* 2352 bytes as recorded: data sectors already scrambled (IMAPI2's
         * IMAPI_CD_SECTOR_*RAW types), written without scrambling them. */
        RB_FMT_RAW_SCRAMBLED,
        /* 2352 bytes of PCM, then 96 bytes of R-W packs de-interleaved (4 packs
         * x 24 six-bit symbols, as in a .cdg file): cue CDG, cdrdao AUDIO RW. */
        RB_FMT_AUDIO_RW,
        /* 2352 bytes of PCM, then 96 R-W symbols as recorded (interleaved,
         * with parity; low 6 bits of each byte): cdrdao AUDIO RW_RAW. */
        RB_FMT_AUDIO_RW_RAW,
} rb_data_format_t;

size_t rb_data_format_size(rb_data_format_t f);

typedef enum rb_byte_order {
        RB_LITTLE_ENDIAN,
        RB_BIG_ENDIAN,
} rb_byte_order_t;

typedef enum rb_file_kind {
        RB_FILE_RAW,     /* bytes as they are (BIN, ISO, raw PCM) */
        RB_FILE_SNDFILE, /* decoded by libsndfile (WAV, FLAC, AIFF) */
        RB_FILE_FD,      /* bytes as they are, read with pread() from fd (owned) */
} rb_file_kind_t;

typedef struct rb_source_file {
        char *path;
        rb_file_kind_t kind;
        rb_byte_order_t order; /* of PCM samples in a RAW file; SNDFILE: from the header */
        uint64_t size;         /* bytes (RAW) or bytes of 16-bit stereo PCM (SNDFILE) */
        char *format;          /* what libsndfile says it is, or "raw" */
        bool lossy;            /* SNDFILE: MP3, Vorbis, … (decoded sound) */
        int fd;                /* RB_FILE_FD: the descriptor, closed by rb_layout_free() */
} rb_source_file_t;

typedef struct rb_segment {
        int file;        /* index in rb_layout.files, or -1: generated (silence / zero data) */
        uint64_t offset; /* byte offset into the file's data (PCM bytes for SNDFILE) */
        uint32_t sectors;
        rb_data_format_t format;
        /* Bytes the source has for the last sector (0 = all): the rest is
         * padded with zeros (silence). */
        uint32_t short_last;
        /* R-W packs for these sectors from a separate file (a .cdg next to
         * the audio): 96 bytes per sector from rw_offset; where the file ends
         * the packs are zero. */
        bool has_rw;
        int rw_file;
        uint64_t rw_offset;
} rb_segment_t;

#define RB_MAX_INDEX 99

typedef struct rb_track {
        uint8_t number;
        rb_track_mode_t mode;
        uint8_t flags; /* RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS | RB_CTL_FOUR_CHANNEL */
        /* SCMS (a copy of a copy-prohibited original): the copy bit of the
         * track's Q alternates, 4 frames set and 4 clear (9.375 Hz), instead
         * of following RB_CTL_COPY_PERMITTED. Audio tracks only. */
        bool scms;
        char isrc[RB_ISRC_CHARS + 1];
        bool swap_audio; /* swap the bytes of every sample, on top of the source's order */
        uint32_t pause;  /* index 0 sectors */
        uint32_t length; /* sectors from index 1 to the end of the track */
        /* index_start[i] for i = 2..index_count: sectors after index 1. */
        uint8_t index_count; /* highest index, >= 1 */
        uint32_t index_start[RB_MAX_INDEX + 1];
        rb_segment_t *segments; /* cover pause + length, in order */
        size_t segment_count;
        /* Set by rb_layout_finalize(). */
        int32_t pause_lba;
        int32_t start_lba; /* index 1 */
} rb_track_t;

#define RB_LEADOUT_SECTORS 6750
/* put_StartOfLeadoutLimit's maximum (88:29:74). */
#define RB_LEADOUT_LIMIT_MAX 398099

typedef struct rb_layout {
        rb_source_file_t *files;
        size_t file_count;
        rb_track_t tracks[99];
        unsigned track_count;
        char mcn[RB_MCN_DIGITS + 1]; /* empty: none */
        rb_cdtext_t cdtext;
        rb_cdtext_tab_t cdtext_tab; /* TAB for repeated track strings */
        bool cdtext_toc_info;       /* add TOC_INFO (88h) packs to every block */
        /* CD-Text packs given whole (a binary CD-Text file, owned): written
         * as they are instead of packs built from cdtext. */
        uint8_t *cdtext_given;
        size_t cdtext_given_count;
        rb_sector_type_t sector_type;
        int32_t first_lba;       /* image start, default RB_IMAGE_START_LBA */
        int32_t leadout_limit;   /* latest lead-out start LBA; 0 = RB_LEADOUT_LIMIT_MAX */
        uint32_t leadout_length; /* default RB_LEADOUT_SECTORS */
        /* Program-area subchannel taken from this file (96 channel-sequential
         * bytes per sector from LBA 0, CloneCD .sub) instead of generated;
         * -1: generated. */
        int sub_file;
        /* R-W of every sector of the image, lead-in and lead-out included,
         * from this file: 96 bytes per sector from first_lba, the low 6 bits
         * of each put into the sector's R-W bits as they are (IMAPI2's
         * AddSubcodeRWGenerator); -1: none. Excludes CD-Text, R-W packs and
         * sub_file. */
        int image_rw_file;
        /* Write-offset correction in samples, as offset databases list the
         * drive's write offset: +N sends the audio N samples early
         * (write-offset.h). 0: none. */
        int32_t write_offset;
        /* The lead-in's disc type (A0 PSEC) as a source gives it (CloneCD's
         * A0 entry: 0x00, 0x10 CD-i, 0x20 XA), or -1: from the track modes. */
        int disc_type_given;
        /* Set by rb_layout_finalize(). */
        int32_t leadout_lba;
        uint8_t disc_type; /* A0 PSEC: 0 or 0x20 with Mode 2 */
        bool has_rw;       /* some segment carries program-area R-W packs (CD+G) */
        uint8_t *cdtext_packs;
        size_t cdtext_pack_count;
        unsigned cdtext_lossy;      /* characters the blocks could not hold */
        char cdtext_warnings[1024]; /* which ones, a line per block */
} rb_layout_t;

/* Lead-out start limits of common media: 74, 80, 90 and 99 minutes. */
int rb_leadout_limit_for_minutes(unsigned minutes, int32_t *lba);

void rb_layout_init(rb_layout_t *l);
void rb_layout_free(rb_layout_t *l);

/*
 * Adds a source read from a descriptor (RB_FILE_FD): a duplicate of fd is
 * kept, so the caller may close its own. The descriptor must be a regular
 * file (or a memfd), read with pread() where the layout says. name says what it is in
 * messages. Returns the file index, or a negative errno.
 */
int rb_layout_add_fd(rb_layout_t *l, int fd, const char *name, char *err, size_t errlen);

/*
 * Adds a source file (probing it: libsndfile for RB_FILE_SNDFILE, which must
 * be 44.1 kHz 16-bit stereo PCM). Returns the file index, or a negative errno
 * with a reason in err.
 */
int rb_layout_add_file(rb_layout_t *l, const char *path, rb_file_kind_t kind, rb_byte_order_t order,
                       char *err, size_t errlen);

/* Appends a track (number = previous + 1, or 1) and returns it, NULL if 99. */
rb_track_t *rb_layout_add_track(rb_layout_t *l, rb_track_mode_t mode);
/* Appends a segment to a track. Returns 0 or -ENOMEM. */
int rb_track_add_segment(rb_track_t *t, const rb_segment_t *seg);

/*
 * Places tracks (pause_lba, start_lba), the lead-out, the disc type and the
 * CD-Text packs, and checks everything: track numbers, segment lengths,
 * ISRC/MCN syntax, pause of track 1, the lead-out limit, sector type vs
 * CD-Text. Returns 0 or a negative errno with the reason in err.
 */
int rb_layout_finalize(rb_layout_t *l, char *err, size_t errlen);

/* The Red Book's minimum track length: 4 s from index 1 to the end. */
#define RB_MIN_TRACK_SECTORS 300
/* Tracks shorter than that, as "track 03 (2.50 s)" in buf (after
 * rb_layout_finalize()). Returns how many. Players may skip or mis-seek
 * them, so the command line refuses them unless told otherwise. */
unsigned rb_layout_short_tracks(const rb_layout_t *l, char *buf, size_t len);

/* Control nibble of a track's Q (data bit from the mode, plus its flags). */
uint8_t rb_track_control(const rb_track_t *t);

/* Total sectors of the image from first_lba to the end of the lead-out. */
uint64_t rb_layout_image_sectors(const rb_layout_t *l);

/* ExpectedTableOfContents: one entry per point, as in the lead-in. */
typedef struct rb_toc_entry {
        uint8_t point; /* track number, or A0/A1/A2 */
        uint8_t control;
        rb_msf_t p; /* PMIN, PSEC, PFRAME */
} rb_toc_entry_t;

/* Fills up to 102 entries: tracks in order, then A0, A1, A2. Returns the count. */
size_t rb_layout_toc(const rb_layout_t *l, rb_toc_entry_t *entries);
