/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Audio files decoded through libsndfile (WAV, FLAC, AIFF, …). Only CD
 * audio is taken: 44.1 kHz, two channels, 16-bit PCM; anything else is
 * refused with the reason. Samples come out as CD wants them: 16-bit
 * little-endian, left then right, whatever byte order the container had.
 */

#include <stddef.h>
#include <stdint.h>

typedef struct rb_audio_reader rb_audio_reader_t;

/* Opens and checks a file; *pcm_bytes is its length in CD PCM bytes
 * (frames × 4). format (may be NULL) receives a short description. */
int rb_audio_open(const char *path, rb_audio_reader_t **ret, uint64_t *pcm_bytes, char *format,
                  size_t formatlen, char *err, size_t errlen);

/* Reads len bytes (a multiple of 4) of PCM starting at byte offset. Returns
 * the bytes read (less at the end of the file) or a negative errno. */
long rb_audio_read(rb_audio_reader_t *r, uint64_t offset, uint8_t *out, size_t len);

void rb_audio_close(rb_audio_reader_t *r);
