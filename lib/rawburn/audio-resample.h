/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Sample-rate conversion of a decoded stream to CD's 44100 Hz, through libsoxr
 * (the resampler of SoX and FFmpeg's soxr option). Used for Ogg Opus, which
 * has no 44.1 kHz decoding: libsndfile gives it at 48 kHz (or 8/12/16/24 kHz).
 *
 * The output has exactly rb_resample_length() frames, time-aligned with the
 * input (the filter's delay is taken out), and is the same bytes for the
 * same input on every run: one thread, soxr's HQ single-precision engine, no
 * dither, rounded to 16 bits here.
 */

#include <stddef.h>
#include <stdint.h>

typedef struct rb_resampler rb_resampler_t;

/* Fills buf with up to frames interleaved float frames of the source, in
 * order. Returns the frames given, 0 at its end, or a negative errno. */
typedef long (*rb_resample_pull_t)(void *ctx, float *buf, size_t frames);

/* The length rule: frames at rate_in last round(frames × rate_out / rate_in)
 * frames at rate_out, halves rounded up. */
uint64_t rb_resample_length(uint64_t frames, unsigned rate_in, unsigned rate_out);

/* A resampler that takes in_frames frames from pull (no more, even if the
 * source has more) and gives rb_resample_length(in_frames, …) frames. */
int rb_resampler_new(rb_resampler_t **ret, unsigned rate_in, unsigned rate_out, unsigned channels,
                     uint64_t in_frames, rb_resample_pull_t pull, void *ctx);

/* The next frames (interleaved, 16-bit host order, clipped). Returns the
 * frames given (fewer only at the end, or if the source ended early) or a
 * negative errno. */
long rb_resampler_read(rb_resampler_t *r, int16_t *out, size_t frames);

/* Back to the first frame; the caller rewinds its source first. */
int rb_resampler_restart(rb_resampler_t *r);

void rb_resampler_free(rb_resampler_t *r);
