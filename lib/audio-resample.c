/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/audio-resample.h"

#include <errno.h>
#include <soxr.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK        4096 /* frames per pull and per soxr_output() */
#define MAX_CHANNELS 2

struct rb_resampler {
        soxr_t soxr;
        unsigned rate_in, rate_out, channels;
        uint64_t in_frames, in_done, out_frames, out_done;
        rb_resample_pull_t pull;
        void *ctx;
        int error; /* the pull's, kept for rb_resampler_read() */
        float in[CHUNK * MAX_CHANNELS];
        float out[CHUNK * MAX_CHANNELS];
};

uint64_t rb_resample_length(uint64_t frames, unsigned rate_in, unsigned rate_out)
{
        return (frames * rate_out + rate_in / 2) / rate_in;
}

static size_t input_fn(void *state, soxr_in_t *data, size_t len)
{
        rb_resampler_t *r = state;
        uint64_t left = r->in_frames - r->in_done;

        *data = r->in;
        if (len > CHUNK)
                len = CHUNK;
        if (len > left)
                len = (size_t)left;
        if (len == 0)
                return 0; /* end of input: soxr flushes its filter */
        long got = r->pull(r->ctx, r->in, len);
        if (got < 0) {
                r->error = (int)got;
                *data = NULL;
                return 0;
        }
        r->in_done += (uint64_t)got;
        return (size_t)got;
}

static int start(rb_resampler_t *r)
{
        /* HQ is 20-bit precision, far below 16-bit quantisation. Its
         * single-precision engine takes SSE, which every x86-64 CPU has,
         * where VHQ's double-precision one takes AVX only where the CPU has
         * it, so HQ's bytes do not depend on the machine's CPU (only on
         * SOXR_USE_SIMD* set in the environment). One thread; float output
         * rounded here, because soxr's own 16-bit output dithers from a
         * time-seeded generator. */
        soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
        soxr_runtime_spec_t rt = soxr_runtime_spec(1);
        soxr_error_t e = NULL;

        r->soxr = soxr_create(r->rate_in, r->rate_out, r->channels, &e, &io, &q, &rt);
        if (!r->soxr || e)
                return -ENOMEM;
        if (soxr_set_input_fn(r->soxr, input_fn, r, CHUNK))
                return -EINVAL;
        r->in_done = r->out_done = 0;
        r->error = 0;
        return 0;
}

int rb_resampler_new(rb_resampler_t **ret, unsigned rate_in, unsigned rate_out, unsigned channels,
                     uint64_t in_frames, rb_resample_pull_t pull, void *ctx)
{
        if (!rate_in || !rate_out || !channels || channels > MAX_CHANNELS)
                return -EINVAL;
        rb_resampler_t *r = calloc(1, sizeof *r);
        if (!r)
                return -ENOMEM;
        *r = (rb_resampler_t){.rate_in = rate_in,
                              .rate_out = rate_out,
                              .channels = channels,
                              .in_frames = in_frames,
                              .out_frames = rb_resample_length(in_frames, rate_in, rate_out),
                              .pull = pull,
                              .ctx = ctx};
        int e = start(r);
        if (e < 0) {
                rb_resampler_free(r);
                return e;
        }
        *ret = r;
        return 0;
}

int rb_resampler_restart(rb_resampler_t *r)
{
        /* A new filter rather than soxr_clear(): the output from the start
         * is then the first run's by construction. */
        soxr_delete(r->soxr);
        r->soxr = NULL;
        return start(r);
}

/* As libopus's own 16-bit output: full scale is 32768, clipped. Rounded
 * half away from zero without libm's rounding mode. */
static int16_t to_s16(float x)
{
        float v = x * 32768.0f;
        if (v >= 32767.0f)
                return 32767;
        if (v <= -32768.0f)
                return -32768;
        return (int16_t)(v >= 0 ? (int)(v + 0.5f) : -(int)(0.5f - v));
}

long rb_resampler_read(rb_resampler_t *r, int16_t *out, size_t frames)
{
        size_t done = 0;

        while (done < frames && r->out_done < r->out_frames) {
                size_t n = frames - done;
                if (n > CHUNK)
                        n = CHUNK;
                if (n > r->out_frames - r->out_done)
                        n = (size_t)(r->out_frames - r->out_done);
                size_t got = soxr_output(r->soxr, r->out, n);
                if (r->error < 0)
                        return r->error;
                if (soxr_error(r->soxr))
                        return -EIO;
                if (got == 0) {
                        if (r->in_done < r->in_frames)
                                break; /* the source was shorter than it said */
                        /* soxr's flushed output may fall a frame short of the
                         * rounded length: the rest is silence. */
                        memset(r->out, 0, n * r->channels * sizeof r->out[0]);
                        got = n;
                }
                for (size_t i = 0; i < got * r->channels; i++)
                        out[done * r->channels + i] = to_s16(r->out[i]);
                done += got;
                r->out_done += got;
        }
        return (long)done;
}

void rb_resampler_free(rb_resampler_t *r)
{
        if (!r)
                return;
        soxr_delete(r->soxr);
        free(r);
}
