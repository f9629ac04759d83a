/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/text-translit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct rb_translit {
        UTransliterator *icu;
};

int rb_translit_new(bool latin1, rb_translit_t **ret)
{
        /* The leading filter limits the whole chain to characters outside
         * the set, including what the romanisation makes of them (č → c).
         * Cyrillic by BGN/PCGN, as English-language media spell Russian
         * names (Солнце → Solntse, not the scholarly Solnce). */
        const char *id =
            latin1 ? "[^\\u0020-\\u007E\\u00A0-\\u00FF]; Russian-Latin/BGN; Any-Latin; Latin-ASCII"
                   : "[^\\u0020-\\u007E]; Russian-Latin/BGN; Any-Latin; Latin-ASCII";
        UChar uid[128];
        UErrorCode e = U_ZERO_ERROR;
        UParseError pe;
        rb_translit_t *t = calloc(1, sizeof *t);

        if (!t)
                return -ENOMEM;
        u_uastrncpy(uid, id, sizeof uid / sizeof uid[0]);
        t->icu = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &pe, &e);
        if (U_FAILURE(e)) {
                free(t);
                return -EIO;
        }
        *ret = t;
        return 0;
}

void rb_translit_free(rb_translit_t *t)
{
        if (!t)
                return;
        utrans_close(t->icu);
        free(t);
}

int rb_translit(rb_translit_t *t, const char *utf8, char **out)
{
        UErrorCode e = U_ZERO_ERROR;
        int32_t len = 0;
        /* Romanisation grows text (щ → shch, 日本 → ri ben): room for 8 times. */
        size_t in_len = strlen(utf8);
        int32_t cap = (int32_t)in_len * 8 + 16;
        UChar *buf = malloc((size_t)cap * sizeof *buf);
        char *res = NULL;
        int r = -EIO;

        if (!buf)
                return -ENOMEM;
        u_strFromUTF8(buf, cap, &len, utf8, (int32_t)in_len, &e);
        if (U_FAILURE(e))
                goto out;
        int32_t limit = len;
        utrans_transUChars(t->icu, buf, &len, cap, 0, &limit, &e);
        if (U_FAILURE(e))
                goto out;
        int32_t out_len = 0;
        u_strToUTF8(NULL, 0, &out_len, buf, len, &e);
        e = U_ZERO_ERROR; /* the preflight's U_BUFFER_OVERFLOW_ERROR */
        res = malloc((size_t)out_len + 1);
        if (!res) {
                r = -ENOMEM;
                goto out;
        }
        u_strToUTF8(res, out_len + 1, NULL, buf, len, &e);
        if (U_FAILURE(e)) {
                free(res);
                res = NULL;
                goto out;
        }
        *out = res;
        r = 0;
out:
        free(buf);
        return r;
}
