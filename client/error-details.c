/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error-details.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int hex2(const char *p)
{
        int v = 0;
        for (int i = 0; i < 2; i++) {
                char c = p[i];
                if (!isxdigit((unsigned char)c))
                        return -1;
                v = v * 16 +
                    (isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10);
        }
        return v;
}

/* The last "sense KK/AA/QQ" of the message: the failing command's. */
static void find_sense(const char *m, error_details *d)
{
        for (const char *p = strstr(m, "sense "); p; p = strstr(p + 1, "sense ")) {
                const char *s = p + 6;
                int k = hex2(s), a = k >= 0 && s[2] == '/' ? hex2(s + 3) : -1,
                    q = a >= 0 && s[5] == '/' ? hex2(s + 6) : -1;
                if (q < 0 || isxdigit((unsigned char)s[8]))
                        continue;
                d->has_sense = true;
                d->sense_key = (uint8_t)k;
                d->asc = (uint8_t)a;
                d->ascq = (uint8_t)q;
        }
}

/* "command 2Ah" */
static void find_command(const char *m, error_details *d)
{
        for (const char *p = strstr(m, "command "); p; p = strstr(p + 1, "command ")) {
                int op = hex2(p + 8);
                if (op < 0 || (p[10] != 'h' && p[10] != 'H'))
                        continue;
                d->has_command = true;
                d->command = (uint8_t)op;
        }
}

static void find_hint(const char *m, error_details *d)
{
        const char *p = strstr(m, "Hint: ");
        if (!p)
                return;
        p += 6;
        while (*p == ' ')
                p++;
        size_t n = strcspn(p, "\n");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '.'))
                n--;
        if (n >= sizeof d->hint)
                n = sizeof d->hint - 1;
        memcpy(d->hint, p, n);
        d->hint[n] = 0;
}

void error_details_parse(const char *message, error_details *d)
{
        memset(d, 0, sizeof *d);
        if (!message)
                return;
        find_sense(message, d);
        find_command(message, d);
        find_hint(message, d);
}
