/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/audio-source.h"
#include "rawburn/audio-resample.h"
#include "rawburn/source-path.h"

#include <errno.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct rb_audio_reader {
        SNDFILE *sf;
        uint64_t frames;
        uint64_t position; /* next frame sf_readf_short() returns */
        short buf[4096];
        bool lossy;
        /* Opus, decoded at its own rate (48 kHz) and resampled to 44.1 kHz:
         * frames and position then count the 44.1 kHz frames. */
        rb_resampler_t *rs;
        uint64_t source_frames; /* at the decoder's rate */
};

bool rb_audio_is_lossy(const rb_audio_reader_t *r)
{
        return r->lossy;
}

/* Formats whose samples are a decoder's approximation of the original:
 * burned as decoded, and said (gapless headers are honoured by libsndfile's
 * decoders, so lengths are the encoder's input to the sample). */
static bool is_lossy(int subtype)
{
        switch (subtype) {
        case SF_FORMAT_VORBIS:
        case SF_FORMAT_OPUS:
        case SF_FORMAT_MPEG_LAYER_I:
        case SF_FORMAT_MPEG_LAYER_II:
        case SF_FORMAT_MPEG_LAYER_III:
                return true;
        default:
                return false;
        }
}

static const char *lossy_name(int subtype)
{
        switch (subtype) {
        case SF_FORMAT_VORBIS:
                return "Ogg Vorbis";
        case SF_FORMAT_OPUS:
                return "Ogg Opus";
        case SF_FORMAT_MPEG_LAYER_I:
                return "MPEG Layer I";
        case SF_FORMAT_MPEG_LAYER_II:
                return "MP2";
        case SF_FORMAT_MPEG_LAYER_III:
                return "MP3";
        default:
                return "lossy audio";
        }
}

static const char *major_name(int format)
{
        SF_FORMAT_INFO info = {.format = format & SF_FORMAT_TYPEMASK};
        if (sf_command(NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof info) == 0 && info.name)
                return info.name;
        return "audio";
}

/* Lossless formats rippers use that libsndfile does not read, by their
 * magic (after any ID3v2 tag, so also by the name's ending). */
static const char *unread_format(const char *path)
{
        static const struct {
                const char *magic, *suffix, *name;
        } formats[] = {
            {"wvpk", ".wv", "WavPack"},
            {"MAC ", ".ape", "Monkey's Audio (APE)"},
            {"tBaK", ".tak", "TAK"},
            {"TTA1", ".tta", "TTA (True Audio)"},
        };
        char magic[4] = {0};
        FILE *f = fopen(path, "rb");
        if (f) {
                if (fread(magic, 1, sizeof magic, f) != sizeof magic)
                        memset(magic, 0, sizeof magic);
                fclose(f);
        }
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
                if (memcmp(magic, formats[i].magic, 4) == 0 ||
                    rb_path_has_suffix(path, formats[i].suffix))
                        return formats[i].name;
        }
        return NULL;
}

static long pull_float(void *ctx, float *buf, size_t frames)
{
        rb_audio_reader_t *r = ctx;
        sf_count_t got = sf_readf_float(r->sf, buf, (sf_count_t)frames);
        return got < 0 ? -EIO : (long)got;
}

int rb_audio_open(const char *path, rb_audio_reader_t **ret, uint64_t *pcm_bytes, char *format,
                  size_t formatlen, char *err, size_t errlen)
{
        SF_INFO info = {0};
        SNDFILE *sf = sf_open(path, SFM_READ, &info);

        if (!sf && access(path, F_OK) < 0 && errno == ENOENT) {
                snprintf(err, errlen, "not found: %s", path);
                return -ENOENT;
        }
        const char *unread = sf ? NULL : unread_format(path);
        if (unread) {
                snprintf(err, errlen,
                         "%s: %s is not read (rawburn reads WAV, AIFF, FLAC, Ogg Vorbis, Opus, MP3 "
                         "and the other formats of libsndfile): convert it first, e.g. %s",
                         path, unread,
                         strncmp(unread, "WavPack", 7) == 0 ? "wvunpack IN.wv -o OUT.wav"
                                                            : "ffmpeg -i IN OUT.flac");
                return -EINVAL;
        }
        if (!sf) {
                snprintf(err, errlen, "%s: cannot read as audio: %s", path, sf_strerror(NULL));
                return -EINVAL;
        }
        int subtype = info.format & SF_FORMAT_SUBMASK;
        bool lossy = is_lossy(subtype);
        /* Opus has no 44.1 kHz decoding (libopus gives 8, 12, 16, 24 or
         * 48 kHz), so it is resampled; any other rate is the user's to
         * convert, as a lossless master's rate change is a choice (docs/sources.md). */
        bool resample = subtype == SF_FORMAT_OPUS && info.samplerate != 44100;
        if ((info.samplerate != 44100 && !resample) || info.channels != 2 ||
            (!lossy && subtype != SF_FORMAT_PCM_16)) {
                snprintf(err, errlen,
                         "%s: %s with %d Hz, %d channel(s), %s; CD audio must be 44100 Hz, "
                         "2 channels, 16-bit PCM (convert it first, e.g. %s)",
                         path, lossy ? lossy_name(subtype) : major_name(info.format),
                         info.samplerate, info.channels,
                         lossy                         ? "lossy"
                         : subtype == SF_FORMAT_PCM_16 ? "16-bit"
                                                       : "not 16-bit PCM",
                         subtype == SF_FORMAT_OPUS
                             ? "opusdec --rate 44100 IN.opus MONO.wav && sox MONO.wav -c 2 OUT.wav"
                             : "sox IN -r 44100 -c 2 -b 16 OUT.wav");
                sf_close(sf);
                return -EINVAL;
        }
        rb_audio_reader_t *r = calloc(1, sizeof *r);
        if (!r) {
                sf_close(sf);
                return -ENOMEM;
        }
        r->sf = sf;
        r->frames = (uint64_t)info.frames;
        r->lossy = lossy;
        if (lossy)
                /* Decoded as floats: scaled to 16 bits with clipping, never
                 * wrapped round on a peak above full scale. */
                sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
        if (resample) {
                /* info.frames is the Opus length after pre-skip and end
                 * trimming (granule positions): the encoder's input. */
                r->source_frames = (uint64_t)info.frames;
                int e = rb_resampler_new(&r->rs, (unsigned)info.samplerate, 44100, 2,
                                         r->source_frames, pull_float, r);
                if (e < 0) {
                        snprintf(err, errlen, "%s: cannot resample from %d Hz: %s", path,
                                 info.samplerate, strerror(-e));
                        rb_audio_close(r);
                        return e;
                }
                r->frames = rb_resample_length(r->source_frames, (unsigned)info.samplerate, 44100);
        }
        if (pcm_bytes)
                *pcm_bytes = r->frames * 4;
        if (format && formatlen && resample)
                snprintf(format, formatlen,
                         "%s (lossy), resampled from %d Hz to 16-bit stereo 44100 Hz",
                         lossy_name(subtype), info.samplerate);
        else if (format && formatlen && lossy)
                snprintf(format, formatlen, "%s (lossy), decoded to 16-bit stereo 44100 Hz",
                         lossy_name(subtype));
        else if (format && formatlen)
                snprintf(format, formatlen, "%s, 16-bit stereo 44100 Hz", major_name(info.format));
        *ret = r;
        return 0;
}

/* Moves to a 44.1 kHz frame of a resampled source. The resampler's output
 * depends on all the input before it, so a frame behind the position is
 * reached from the start again (the writer reads forwards; a backward seek
 * is rare) and the same frame always gets the same bytes. */
static int seek_resampled(rb_audio_reader_t *r, uint64_t frame)
{
        if (frame < r->position) {
                if (sf_seek(r->sf, 0, SEEK_SET) < 0)
                        return -EIO;
                int e = rb_resampler_restart(r->rs);
                if (e < 0)
                        return e;
                r->position = 0;
        }
        while (r->position < frame) {
                uint64_t n = frame - r->position;
                if (n > sizeof r->buf / 4)
                        n = sizeof r->buf / 4;
                long got = rb_resampler_read(r->rs, r->buf, (size_t)n);
                if (got < 0)
                        return (int)got;
                if (got == 0)
                        return -EIO;
                r->position += (uint64_t)got;
        }
        return 0;
}

long rb_audio_read(rb_audio_reader_t *r, uint64_t offset, uint8_t *out, size_t len)
{
        uint64_t frame = offset / 4;
        size_t want = len / 4, done = 0;

        if (r->rs && frame != r->position) {
                int e = seek_resampled(r, frame);
                if (e < 0)
                        return e;
        } else if (frame != r->position) {
                if (sf_seek(r->sf, (sf_count_t)frame, SEEK_SET) < 0)
                        return -EIO;
                r->position = frame;
        }
        while (done < want) {
                size_t n = want - done;
                if (n > sizeof r->buf / 4)
                        n = sizeof r->buf / 4;
                sf_count_t got = r->rs ? rb_resampler_read(r->rs, r->buf, n)
                                       : sf_readf_short(r->sf, r->buf, (sf_count_t)n);
                if (got < 0)
                        return -EIO;
                if (got == 0)
                        break;
                /* libsndfile gives host-order samples; CD wants little-endian. */
                uint8_t *o = out + done * 4;
                for (sf_count_t i = 0; i < got * 2; i++) {
                        uint16_t v = (uint16_t)r->buf[i];
                        o[2 * i] = (uint8_t)v;
                        o[2 * i + 1] = (uint8_t)(v >> 8);
                }
                done += (size_t)got;
                r->position += (uint64_t)got;
        }
        return (long)(done * 4);
}

void rb_audio_close(rb_audio_reader_t *r)
{
        if (!r)
                return;
        rb_resampler_free(r->rs);
        sf_close(r->sf);
        free(r);
}
