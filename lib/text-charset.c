/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Code page detection and conversion of cue sheet text (see text-charset.h). */
#include "rawburn/text-charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool valid_utf8(const uint8_t *s, size_t len)
{
        size_t i = 0;
        while (i < len) {
                uint8_t c = s[i];
                size_t n;
                uint32_t cp;
                if (c < 0x80) {
                        i++;
                        continue;
                } else if ((c & 0xe0) == 0xc0) {
                        n = 1;
                        cp = c & 0x1f;
                } else if ((c & 0xf0) == 0xe0) {
                        n = 2;
                        cp = c & 0x0f;
                } else if ((c & 0xf8) == 0xf0) {
                        n = 3;
                        cp = c & 0x07;
                } else {
                        return false;
                }
                if (len - i <= n)
                        return false;
                for (size_t k = 1; k <= n; k++) {
                        if ((s[i + k] & 0xc0) != 0x80)
                                return false;
                        cp = cp << 6 | (s[i + k] & 0x3f);
                }
                /* overlong forms, surrogates, beyond Unicode */
                static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
                if (cp < min[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
                        return false;
                i += n + 1;
        }
        return true;
}

/* All high bytes in valid CP932 double-byte pairs, one of them kana or
 * punctuation (lead 81h-84h). Half-width katakana (A1h-DFh) alone do not
 * count: they look like CP1252 accented capitals. */
static bool looks_shift_jis(const uint8_t *s, size_t len)
{
        bool japanese = false;
        for (size_t i = 0; i < len; i++) {
                uint8_t c = s[i];
                if (c < 0x80)
                        continue;
                bool lead = (c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc);
                if (!lead || i + 1 >= len)
                        return false;
                uint8_t t = s[i + 1];
                if (t < 0x40 || t == 0x7f || t > 0xfc)
                        return false;
                if (c <= 0x84)
                        japanese = true;
                i++;
        }
        return japanese;
}

static int convert(const char *from, const char *in, size_t len, char **out, size_t *outlen,
                   char *err, size_t errlen)
{
        iconv_t cd = iconv_open("UTF-8", from);
        if (cd == (iconv_t)-1) {
                snprintf(err, errlen, "unknown character set \"%s\"", from);
                return -EINVAL;
        }
        size_t cap = len * 4 + 1;
        char *buf = malloc(cap);
        if (!buf) {
                iconv_close(cd);
                return -ENOMEM;
        }
        char *ip = (char *)in, *op = buf;
        size_t il = len, ol = cap - 1;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
                unsigned line = 1;
                for (const char *p = in; p < ip; p++)
                        line += *p == '\n';
                snprintf(err, errlen, "line %u: byte %02X is not valid %s", line,
                         il ? (unsigned)(uint8_t)*ip : 0u, from);
                iconv_close(cd);
                free(buf);
                return -EILSEQ;
        }
        iconv_close(cd);
        *op = 0;
        *out = buf;
        *outlen = (size_t)(op - buf);
        return 0;
}

int rb_text_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                    const char **used, char *err, size_t errlen)
{
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
                data += 3;
                len -= 3;
                if (!charset)
                        charset = "UTF-8";
        }
        if (!charset) {
                const uint8_t *u = (const uint8_t *)data;
                charset = valid_utf8(u, len)        ? "UTF-8"
                          : looks_shift_jis(u, len) ? "SHIFT_JIS"
                                                    : "CP1252";
        }
        *used = charset;
        /* glibc's SHIFT_JIS lacks Microsoft's extensions (NEC/IBM
         * characters, ～): CP932 is what Windows rippers write. */
        return convert(strcmp(charset, "SHIFT_JIS") == 0 ? "CP932" : charset, data, len, out,
                       outlen, err, errlen);
}
