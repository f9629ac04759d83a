/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Audio files decoded through libsndfile (WAV, FLAC, AIFF, MP3, Ogg
 * Vorbis, Ogg Opus, …). Only CD audio is taken: 44.1 kHz, two channels, 16-bit
 * PCM, or a lossy format at 44.1 kHz stereo (decoded to 16 bits), or Ogg Opus
 * in stereo, which decodes at 48 kHz only and is resampled to 44.1 kHz
 * (rawburn/audio-resample.h: round(frames × 44100 / 48000) frames); anything else
 * is refused with the reason, and so are the lossless formats libsndfile
 * does not read (WavPack, Monkey's Audio, TAK, TTA), saying how to convert. Samples come out as CD
 * wants them: 16-bit little-endian, left then right, whatever byte order the container had.
 */

#include <stdbool.h>
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
/* MP3, Ogg Vorbis, Opus, …: the sound a decoder made, not the original's. */
bool rb_audio_is_lossy(const rb_audio_reader_t *r);
