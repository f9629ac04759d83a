/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/audio-source.h"

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
        size_t n = strlen(path);
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
                size_t k = strlen(formats[i].suffix);
                if (memcmp(magic, formats[i].magic, 4) == 0 ||
                    (n >= k && strcasecmp(path + n - k, formats[i].suffix) == 0))
                        return formats[i].name;
        }
        return NULL;
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
                         "%s: %s is not read (rawburn reads WAV, AIFF, FLAC, Ogg Vorbis, MP3 and "
                         "the other formats of libsndfile): convert it first, e.g. %s",
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
        if (info.samplerate != 44100 || info.channels != 2 ||
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
                             ? "opusdec --rate 44100 IN.opus OUT.wav: Opus always decodes at "
                               "48000 Hz, and rawburn never resamples on its own"
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
        if (pcm_bytes)
                *pcm_bytes = r->frames * 4;
        if (format && formatlen && lossy)
                snprintf(format, formatlen, "%s (lossy), decoded to 16-bit stereo 44100 Hz",
                         lossy_name(subtype));
        else if (format && formatlen)
                snprintf(format, formatlen, "%s, 16-bit stereo 44100 Hz", major_name(info.format));
        *ret = r;
        return 0;
}

long rb_audio_read(rb_audio_reader_t *r, uint64_t offset, uint8_t *out, size_t len)
{
        uint64_t frame = offset / 4;
        size_t want = len / 4, done = 0;

        if (frame != r->position) {
                if (sf_seek(r->sf, (sf_count_t)frame, SEEK_SET) < 0)
                        return -EIO;
                r->position = frame;
        }
        while (done < want) {
                size_t n = want - done;
                if (n > sizeof r->buf / 4)
                        n = sizeof r->buf / 4;
                sf_count_t got = sf_readf_short(r->sf, r->buf, (sf_count_t)n);
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
        sf_close(r->sf);
        free(r);
}
