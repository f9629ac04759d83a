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
#include <strings.h>
#include <uchardet.h>

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
                        line += *p == '\n' || (*p == '\r' && (p + 1 >= ip || p[1] != '\n'));
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

/* UTF-16 without a byte-order mark: text that is mostly ASCII has a NUL in
 * every other byte, the high half of each code unit. "UTF-16LE", "UTF-16BE"
 * or NULL. */
static const char *utf16_by_nuls(const uint8_t *s, size_t len)
{
        size_t pairs = (len < 4096 ? len : 4096) / 2, even = 0, odd = 0;
        if (pairs < 2)
                return NULL;
        for (size_t i = 0; i < pairs; i++) {
                even += s[2 * i] == 0;
                odd += s[2 * i + 1] == 0;
        }
        if (odd * 10 >= pairs * 4 && even * 20 < pairs)
                return "UTF-16LE";
        if (even * 10 >= pairs * 4 && odd * 20 < pairs)
                return "UTF-16BE";
        return NULL;
}

/* What uchardet (a port of Mozilla's detector) makes of text that is not
 * UTF-8, as an iconv name; "" when it cannot tell. */
static void detect(const char *data, size_t len, char *name, size_t namelen)
{
        uchardet_t ud = uchardet_new();
        name[0] = 0;
        if (!ud)
                return;
        if (uchardet_handle_data(ud, data, len) == 0) {
                uchardet_data_end(ud);
                snprintf(name, namelen, "%s", uchardet_get_charset(ud));
        }
        uchardet_delete(ud);
        /* Windows rippers write CP1252, not ISO-8859-1 (its 80h-9Fh are
         * controls, CP1252's the curly quotes and dashes titles use). */
        if (strcmp(name, "ISO-8859-1") == 0 || strcmp(name, "ASCII") == 0)
                snprintf(name, namelen, "CP1252");
        /* Windows code pages by the names Windows users know them by. */
        else if (strncmp(name, "WINDOWS-", 8) == 0) {
                char cp[64];
                snprintf(cp, sizeof cp, "CP%s", name + 8);
                snprintf(name, namelen, "%s", cp);
        }
}

int rb_text_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                    char *used, size_t usedlen, char *err, size_t errlen)
{
        const uint8_t *u = (const uint8_t *)data;
        char found[64] = "";

        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
                data += 3;
                len -= 3;
                snprintf(found, sizeof found, "UTF-8");
        } else if (len >= 2 &&
                   (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
                snprintf(found, sizeof found, "%s", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
                data += 2;
                len -= 2;
        }
        if (!charset && !found[0]) {
                u = (const uint8_t *)data;
                const char *utf16 = utf16_by_nuls(u, len);
                if (utf16)
                        snprintf(found, sizeof found, "%s", utf16);
                else if (valid_utf8(u, len))
                        snprintf(found, sizeof found, "UTF-8");
                else if (looks_shift_jis(u, len))
                        snprintf(found, sizeof found, "SHIFT_JIS");
                else
                        detect(data, len, found, sizeof found);
                if (!found[0])
                        snprintf(found, sizeof found, "CP1252");
        }
        if (!charset)
                charset = found;
        snprintf(used, usedlen, "%s", charset);
        /* glibc's SHIFT_JIS lacks Microsoft's extensions (NEC/IBM
         * characters, ～): CP932 is what Windows rippers write. */
        return convert(strcasecmp(charset, "SHIFT_JIS") == 0 ? "CP932" : charset, data, len, out,
                       outlen, err, errlen);
}
