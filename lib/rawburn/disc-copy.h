/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A raw copy of a pressed or burned disc as a DAO-96 image (rawburnctl image
 * read, copy). A drive reads the program area and the lead-out raw (main
 * channel and P-W, READ CD), but not the lead-in nor track 1's pause: those
 * are made again here from what the drive does report, the full TOC (READ
 * TOC format 2) and the CD-Text packs (format 5), by the image writer that
 * makes every other image (rb_image_write_span()), so that the copy's lead-in
 * is what rawburn would burn for that disc.
 *
 * The caller puts the sectors it read into the image file at their places
 * (LBA 0 at byte (0 - first_lba) * 2448) first; rb_disc_copy_layout() then
 * reads their Q subchannel for the pauses, indexes, ISRCs and MCN, and the
 * data sectors' headers for the tracks' modes.
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/image-layout.h"

/* The disc as READ TOC format 2 describes it (one session). */
typedef struct rb_disc_toc {
        uint8_t first_track, last_track;
        uint8_t disc_type; /* A0 PSEC as a lead-in Q byte: 0x00, 0x10 CD-i, 0x20 XA */
        unsigned track_count;
        struct {
                uint8_t number;
                uint8_t control;
                int32_t start_lba; /* index 1 */
        } tracks[99];
        int32_t leadout_lba;
} rb_disc_toc_t;

/* Parses a READ TOC format 2 response (header included). Returns 0 or
 * -EBADMSG with the reason in err. */
int rb_disc_toc_parse(const uint8_t *response, size_t len, rb_disc_toc_t *out, char *err,
                      size_t errlen);

/*
 * Makes l (initialized by the caller, freed with rb_layout_free()) the layout
 * of the disc: its tracks at the TOC's places with the modes their sectors
 * have, pauses and indexes where the Q subchannel of the sectors read puts
 * them, ISRCs and MCN from Q, the CD-Text packs of a READ TOC format 5
 * response (cdtext NULL or a header alone: none) as the lead-in carries them.
 * image_fd holds the sectors read, sector_type RB_SECTOR_RAW, from
 * RB_IMAGE_START_LBA; the program area must be there. The layout's program
 * area is generated: it stands for what the disc has, to make the lead-in.
 * Returns 0 or a negative errno with the reason in err.
 */
int rb_disc_copy_layout(rb_layout_t *l, const rb_disc_toc_t *toc, const uint8_t *cdtext,
                        size_t cdtext_len, int image_fd, char *err, size_t errlen);

/* Writes the lead-in and track 1's pause (first_lba to LBA -1) into image_fd
 * at its start. */
int rb_disc_copy_write_leadin(const rb_layout_t *l, int image_fd, char *err, size_t errlen);

/* Writes the lead-out from LBA from (the first sector the drive did not give)
 * to its end into image_fd at its place. */
int rb_disc_copy_write_leadout(const rb_layout_t *l, int image_fd, int32_t from, char *err,
                               size_t errlen);
