/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The raw image creator, shaped after IMAPI2's IRawCDImageCreator and
 * IRawCDImageTrackInfo so that a program that builds its image in-process
 * ports call for call: one function per member, named after it
 * (AddTrack -> rb_raw_image_creator_add_track(), get_TrackInfo ->
 * rb_raw_image_creator_get_track_info(), put_ISRC ->
 * rb_raw_image_track_info_set_isrc(), ...). The result is a stream, a file
 * descriptor a caller hands to WriteMedia. docs/raw-image-creator.md is the
 * reference: each function, its IMAPI2 counterpart and its errors.
 *
 * Return values: 0 on success; -RB_E_RAW_IMAGE_* (a negative value whose
 * magnitude is the low 31 bits of the IMAPI2 HRESULT, so always below
 * -4095) for the failures IMAPI2 names; a negative errno (-EINVAL,
 * -ENOMEM, -EIO, ...) for what IMAPI2 leaves to E_INVALIDARG,
 * E_OUTOFMEMORY and E_FAIL; and +RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS,
 * IMAPI2's one success code of this range. rb_raw_image_error_hresult()
 * turns any of them into the HRESULT IMAPI2 returns;
 * rb_raw_image_creator_last_error() says in words what the last failing
 * call of a creator found.
 *
 * Addresses are LBAs (MSF 00:02:00 = 0). A creator is not thread-safe: one
 * thread at a time.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"

/* The E_IMAPI_RAW_IMAGE_* codes (imapi2error.h, facility 0xAA, 0x0A00
 * range): the values are the HRESULTs without their severity bit. */
typedef enum rb_raw_image_error {
        RB_E_RAW_IMAGE_IS_READ_ONLY = 0xAA0A00,
        RB_E_RAW_IMAGE_TOO_MANY_TRACKS = 0xAA0A01,
        RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED = 0xAA0A02,
        RB_E_RAW_IMAGE_NO_TRACKS = 0xAA0A03,
        RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED = 0xAA0A04,
        RB_E_RAW_IMAGE_INSUFFICIENT_SPACE = 0xAA0A05,
        RB_E_RAW_IMAGE_TOO_MANY_TRACK_INDEXES = 0xAA0A06,
        RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND = 0xAA0A07,
        RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS = 0xAA0A08, /* a success: returned positive */
        RB_E_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED = 0xAA0A09,
        RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX = 0xAA0A0A,
} rb_raw_image_error_t;

/* The HRESULT of a return value: S_OK for 0, 0x80AA0A00.. for the
 * RB_E_RAW_IMAGE_* codes, 0x00AA0A08 for the success code, E_OUTOFMEMORY
 * (0x8007000E) for -ENOMEM, E_INVALIDARG (0x80070057) for -EINVAL and
 * -ERANGE, E_FAIL (0x80004005) for any other negative errno. */
uint32_t rb_raw_image_error_hresult(int r);
/* Its IMAPI2 name: "E_IMAPI_RAW_IMAGE_IS_READ_ONLY", "S_OK", "E_INVALIDARG", ... */
const char *rb_raw_image_error_name(int r);
/* IMAPI2's message text for the raw-image codes, strerror() for errnos. */
const char *rb_raw_image_error_message(int r);

/* IMAPI_CD_SECTOR_TYPE: what the sectors of a track's stream hold. */
typedef enum rb_cd_sector_type {
        RB_CD_SECTOR_AUDIO = 0,         /* 2352 bytes: 16-bit stereo PCM, little-endian */
        RB_CD_SECTOR_MODE_ZERO = 1,     /* 2336 zero bytes (not supported) */
        RB_CD_SECTOR_MODE1 = 2,         /* 2048 user bytes, encoded to Mode 1 */
        RB_CD_SECTOR_MODE2FORM0 = 3,    /* 2336 bytes of Mode 2 formless data */
        RB_CD_SECTOR_MODE2FORM1 = 4,    /* 2048 user bytes, Mode 2 Form 1 */
        RB_CD_SECTOR_MODE2FORM2 = 5,    /* 2336 bytes: subheader, 2324 user bytes, EDC */
        RB_CD_SECTOR_MODE1RAW = 6,      /* 2352 bytes as recorded (scrambled) */
        RB_CD_SECTOR_MODE2FORM0RAW = 7, /* 2352 bytes as recorded (scrambled) */
        RB_CD_SECTOR_MODE2FORM1RAW = 8, /* 2352 bytes as recorded (scrambled) */
        RB_CD_SECTOR_MODE2FORM2RAW = 9, /* 2352 bytes as recorded (scrambled) */
} rb_cd_sector_type_t;

/* Bytes per sector of a stream of that type; 0 for an unknown type. */
size_t rb_cd_sector_type_size(rb_cd_sector_type_t t);

/* IMAPI_CD_TRACK_DIGITAL_COPY_SETTING */
typedef enum rb_cd_copy_setting {
        RB_CD_COPY_PERMITTED = 0,
        RB_CD_COPY_PROHIBITED = 1,
        RB_CD_COPY_SCMS = 2, /* a copy of a copy-prohibited original */
} rb_cd_copy_setting_t;

typedef struct rb_raw_image_creator rb_raw_image_creator_t;
typedef struct rb_raw_image_track_info rb_raw_image_track_info_t;

/* CoCreateInstance(MsftRawCDImageCreator). 0 or -ENOMEM. */
int rb_raw_image_creator_new(rb_raw_image_creator_t **ret);
/* Release: closes the creator's copies of the streams. A result stream
 * already handed out keeps being written until its reader is done. */
void rb_raw_image_creator_free(rb_raw_image_creator_t *c);

/* What the last call that failed found, in words ("" when none). */
const char *rb_raw_image_creator_last_error(const rb_raw_image_creator_t *c);

/*
 * AddTrack: the sectors of the next track come from fd, which is read from
 * its start to its end. A regular file is kept open (a duplicate of fd) and
 * read when the image is made; anything else (a pipe, a socket) is read to
 * its end now and held in memory (a memfd). A last partial sector is padded
 * with zeros. *track_index (may be NULL) is the track's index, 1 for the
 * first track added.
 */
int rb_raw_image_creator_add_track(rb_raw_image_creator_t *c, rb_cd_sector_type_t type, int fd,
                                   int *track_index);
/* AddSpecialPregap: audio (AUDIO sectors) for track 1's pregap (hidden
 * track one audio), at least 150 sectors, before any track is added. */
int rb_raw_image_creator_add_special_pregap(rb_raw_image_creator_t *c, int fd);
/* AddSubcodeRWGenerator: the R-W subcode of every sector of the image, 96
 * bytes per sector from the image's first sector (95:00:00) to the end of
 * the lead-out; the low 6 bits of each byte go into the sector's R-W bits
 * as they are (interleaved for RB_SECTOR_RAW, packs for RB_SECTOR_COOKED). */
int rb_raw_image_creator_add_subcode_rw_generator(rb_raw_image_creator_t *c, int fd);

/* ResultingImageType (IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE); default RB_SECTOR_RAW. */
int rb_raw_image_creator_set_resulting_image_type(rb_raw_image_creator_t *c, rb_sector_type_t t);
rb_sector_type_t rb_raw_image_creator_get_resulting_image_type(const rb_raw_image_creator_t *c);

/* StartOfLeadout: LBA of the lead-out (final user LBA + 1). */
int rb_raw_image_creator_get_start_of_leadout(const rb_raw_image_creator_t *c, int32_t *lba);
/* StartOfLeadoutLimit: the latest lead-out start the image may need;
 * default and maximum RB_LEADOUT_LIMIT_MAX (398,099 = 88:29:74). */
int rb_raw_image_creator_set_start_of_leadout_limit(rb_raw_image_creator_t *c, int32_t lba);
int32_t rb_raw_image_creator_get_start_of_leadout_limit(const rb_raw_image_creator_t *c);

/* DisableGaplessAudio, with the value as IMAPI2 documents it: false (the
 * default) gives the standard 2-second silent gap between tracks; true
 * puts the last 2 seconds of each audio track into the next track's
 * pregap (no silence between them). */
int rb_raw_image_creator_set_disable_gapless_audio(rb_raw_image_creator_t *c, bool value);
bool rb_raw_image_creator_get_disable_gapless_audio(const rb_raw_image_creator_t *c);

/* MediaCatalogNumber: 13 digits (leading zeros may be left out) with a
 * valid UPC/EAN check digit; NULL or "" for none. The getter gives the 13
 * digits, or "" for none. */
int rb_raw_image_creator_set_media_catalog_number(rb_raw_image_creator_t *c, const char *mcn);
const char *rb_raw_image_creator_get_media_catalog_number(const rb_raw_image_creator_t *c);

/* StartingTrackNumber: 1..99, before any track; default 1. A value other
 * than 1 makes the image audio-only. */
int rb_raw_image_creator_set_starting_track_number(rb_raw_image_creator_t *c, int number);
int rb_raw_image_creator_get_starting_track_number(const rb_raw_image_creator_t *c);

/* TrackInfo: the track of that index (1 = the first added). The object
 * belongs to the creator. */
int rb_raw_image_creator_get_track_info(rb_raw_image_creator_t *c, int track_index,
                                        rb_raw_image_track_info_t **ret);
/* NumberOfExistingTracks */
int rb_raw_image_creator_get_number_of_existing_tracks(const rb_raw_image_creator_t *c);
/* LastUsedUserSectorInImage: the LBA of the last sector of the last track. */
int rb_raw_image_creator_get_last_used_user_sector_in_image(const rb_raw_image_creator_t *c,
                                                            int32_t *lba);

/* ExpectedTableOfContents: the TOC the lead-in will carry, one entry per
 * point (tracks, then A0, A1, A2), at most RB_RAW_IMAGE_TOC_MAX. */
#define RB_RAW_IMAGE_TOC_MAX 102
int rb_raw_image_creator_get_expected_table_of_contents(rb_raw_image_creator_t *c,
                                                        rb_toc_entry_t *entries, size_t *count);

/*
 * CreateResultImage: the image from MSF 95:00:00 to the end of the
 * lead-out, as the read end of a pipe (*fd, close-on-exec, the caller's to
 * close) that a thread of the library fills while the caller reads: one
 * batch of sectors in memory at a time, the streams read as the image
 * needs them. The creator becomes read-only. A stream that ends early
 * (the reader sees end-of-file before the image's size) failed:
 * rb_raw_image_creator_wait_result() says why.
 */
int rb_raw_image_creator_create_result_image(rb_raw_image_creator_t *c, int *fd);
/* After the reader of the result has read it to its end or closed it:
 * waits for the writing thread, then returns 0 or its error (-EPIPE when
 * the reader left early), with the text in rb_raw_image_creator_last_error(). */
int rb_raw_image_creator_wait_result(rb_raw_image_creator_t *c);
/* CreateResultImage writing into fd (a file, or a pipe the caller reads
 * in another thread) in the calling thread; progress as rb_image_write(). */
int rb_raw_image_creator_write_result_image(rb_raw_image_creator_t *c, int fd,
                                            rb_progress_fn progress, void *userdata);

/* IRawCDImageTrackInfo */
int32_t rb_raw_image_track_info_get_starting_lba(const rb_raw_image_track_info_t *t);
int32_t rb_raw_image_track_info_get_sector_count(const rb_raw_image_track_info_t *t);
int rb_raw_image_track_info_get_track_number(const rb_raw_image_track_info_t *t);
rb_cd_sector_type_t rb_raw_image_track_info_get_sector_type(const rb_raw_image_track_info_t *t);
/* ISRC: CCOOOYYNNNNN, the dashes of "US-K7Y-98-12345" optional; NULL or ""
 * for none. Audio tracks only. The getter gives the 12 characters or "". */
int rb_raw_image_track_info_set_isrc(rb_raw_image_track_info_t *t, const char *isrc);
const char *rb_raw_image_track_info_get_isrc(const rb_raw_image_track_info_t *t);
/* DigitalAudioCopySetting: audio tracks only; default RB_CD_COPY_PROHIBITED. */
int rb_raw_image_track_info_set_digital_audio_copy_setting(rb_raw_image_track_info_t *t,
                                                           rb_cd_copy_setting_t value);
rb_cd_copy_setting_t
rb_raw_image_track_info_get_digital_audio_copy_setting(const rb_raw_image_track_info_t *t);
/* AudioHasPreemphasis: audio tracks only; default false. */
int rb_raw_image_track_info_set_audio_has_preemphasis(rb_raw_image_track_info_t *t, bool value);
bool rb_raw_image_track_info_get_audio_has_preemphasis(const rb_raw_image_track_info_t *t);
/* TrackIndexes: the track-relative LBA offsets of indexes 1, 2, ... in
 * order (offsets[0] is 0, index 1); returns how many (1..99). offsets
 * holds RB_MAX_INDEX entries. */
int rb_raw_image_track_info_get_track_indexes(const rb_raw_image_track_info_t *t,
                                              int32_t offsets[RB_MAX_INDEX]);
/* AddTrackIndex / ClearTrackIndex: an index at lba_offset sectors after
 * the track's start (index 1). Indexes are at least 10 sectors apart and
 * 10 before the track's end; at most 99 per track. */
int rb_raw_image_track_info_add_track_index(rb_raw_image_track_info_t *t, int32_t lba_offset);
int rb_raw_image_track_info_clear_track_index(rb_raw_image_track_info_t *t, int32_t lba_offset);

/*
 * rawburn's members, beyond IMAPI2: what a program that does not build its
 * tracks sector by sector needs, and what `rawburnctl image create` and
 * `burn` use.
 */

/* True for the names of whole-disc descriptions: .cue, .toc and .ccd. */
bool rb_raw_image_path_is_sheet(const char *path);

/*
 * Loads a whole disc into an empty creator: one cue sheet (charset: its
 * character set, or NULL to detect it), cdrdao TOC or CloneCD .ccd, a FLAC
 * with an embedded CUESHEET, or else a list of files, one track each (audio
 * that libsndfile decodes, .iso data). The disc keeps the pauses, indexes,
 * files and CD-Text its sheet gives; IMAPI2's members then work on it as
 * on tracks added one by one (TrackInfo, MediaCatalogNumber,
 * ResultingImageType, StartOfLeadoutLimit, ExpectedTableOfContents, the
 * result), except AddTrack, AddSpecialPregap and DisableGaplessAudio, which
 * the sheet decides. A catalog number with a wrong check digit is kept (the
 * sheet describes a disc that exists) and said in warn. Warnings (lines,
 * may be NULL) go to warn. Errors: E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED
 * after AddTrack or AddSpecialPregap, -EINVAL with a starting track number
 * other than 1, a negative errno with the file and line in
 * rb_raw_image_creator_last_error() for a source that cannot be read.
 */
int rb_raw_image_creator_load(rb_raw_image_creator_t *c, const char *const *paths, size_t n,
                              const char *charset, char *warn, size_t warnlen);
bool rb_raw_image_creator_is_loaded(const rb_raw_image_creator_t *c);

/*
 * A loaded disc's layout, for what IMAPI2 has no member for: CD-Text
 * (cdtext, cdtext_given, cdtext_tab, cdtext_toc_info) and byte order
 * (tracks[].swap_audio). Not its tracks, files, nor what the creator's
 * members set (sector type, lead-out limit, first LBA, write offset, MCN,
 * ISRCs, flags, indexes): those are put back from the creator whenever the
 * disc is laid out. NULL for a creator of added tracks or a read-only one.
 */
rb_layout_t *rb_raw_image_creator_edit_layout(rb_raw_image_creator_t *c);
/* The disc as the result will be made: placed and checked, every setting
 * applied. NULL when it cannot be made, with the reason in
 * rb_raw_image_creator_last_error(). Valid until the next call on c. */
const rb_layout_t *rb_raw_image_creator_get_layout(rb_raw_image_creator_t *c);

/* Where the image starts: an LBA in the lead-in, RB_LBA_MIN (90:00:00)
 * to -151; default RB_IMAGE_START_LBA (95:00:00, IMAPI2's). */
int rb_raw_image_creator_set_first_lba(rb_raw_image_creator_t *c, int32_t lba);
int32_t rb_raw_image_creator_get_first_lba(const rb_raw_image_creator_t *c);

/* The drive's write offset in samples (write-offset.h), ±RB_WRITE_OFFSET_MAX;
 * default 0: the audio is shifted so that the drive puts it where it belongs. */
int rb_raw_image_creator_set_write_offset(rb_raw_image_creator_t *c, int32_t samples);
int32_t rb_raw_image_creator_get_write_offset(const rb_raw_image_creator_t *c);

/* What rb_raw_image_creator_write_result_image() did that a caller may
 * want to say (audio the write offset moved off the disc). */
int rb_raw_image_creator_get_write_report(const rb_raw_image_creator_t *c,
                                          rb_write_report_t *report);
