/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drive's read offset taken out of a disc read raw: a drive reads audio
 * a fixed number of samples away from where it lies (its read offset, as
 * offset databases and the quirks files' read-offset= list it). +N: what the
 * drive gave at sample i + N is the disc's sample i, so every audio sample of
 * the image moves N samples earlier (later for -N). Only audio tracks move,
 * each run of consecutive audio tracks as one stream (samples the drive did
 * not give become silence); data tracks and the subchannel stay as read.
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/disc-copy.h"

/* Samples a read offset may move: ±2 s, as the write offset. */
#define READ_OFFSET_MAX 88200 /* RB_WRITE_OFFSET_MAX */

/* Shifts the audio of the image in fd (sectors from RB_IMAGE_START_LBA, the
 * program area read) by offset samples. Returns 0 or a negative errno with
 * the reason in err. */
int read_offset_apply(int fd, const rb_disc_toc_t *toc, int32_t offset, char *err, size_t errlen);
