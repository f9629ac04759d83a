/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "quirks.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITE_OFFSET_MAX 100000 /* samples: more than two seconds is no drive's offset */

/* The next word of a line: blanks separate words, double quotes keep blanks inside one
 * ("CD-R   PX-W4824A"). Writes it, unquoted, into word. Returns the rest of the line, NULL
 * at its end; *bad is set for an unterminated quote. */
static const char *next_word(const char *p, char *word, size_t size, bool *bad)
{
        size_t n = 0;
        bool quoted = false;

        while (*p == ' ' || *p == '\t')
                p++;
        if (*p == '\0' || *p == '#')
                return NULL;
        for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
                if (*p == '"') {
                        quoted = !quoted;
                        continue;
                }
                if (n + 1 < size)
                        word[n++] = *p;
        }
        word[n] = '\0';
        if (quoted)
                *bad = true;
        return p;
}

static void quirk_clear(quirk *q)
{
        free(q->vendor);
        free(q->product);
        free(q->revision);
        for (char **d = q->drop; d && *d; d++)
                free(*d);
        free(q->drop);
        memset(q, 0, sizeof *q);
}

/* drop=A,B,C: each a mode name or a glob over mode names that matches one. */
static int parse_drop(quirk *q, const char *value, char *why, size_t why_size)
{
        size_t n = 0;
        char *copy = strdup(value), *save = NULL;

        if (!copy)
                return -ENOMEM;
        for (const char *c = value; *c; c++)
                n += *c == ',';
        q->drop = calloc(n + 2, sizeof *q->drop);
        if (!q->drop) {
                free(copy);
                return -ENOMEM;
        }
        n = 0;
        for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
                if (quirks_modes_matching(g) == 0) {
                        snprintf(why, why_size, "drop=%.60s: no write mode is called so", g);
                        free(copy);
                        return -EINVAL;
                }
                q->drop[n] = strdup(g);
                if (!q->drop[n++]) {
                        free(copy);
                        return -ENOMEM;
                }
        }
        free(copy);
        return 0;
}

static int parse_offset(quirk *q, const char *value)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < -WRITE_OFFSET_MAX || v > WRITE_OFFSET_MAX)
                return -EINVAL;
        q->have_write_offset = true;
        q->write_offset = (int32_t)v;
        return 0;
}

static int set_glob(char **field, const char *value)
{
        free(*field);
        *field = strdup(value);
        return *field ? 0 : -ENOMEM;
}

/* One line into q. Returns 1 for an entry, 0 for a blank or comment line, -EINVAL with why
 * set, -ENOMEM. */
static int parse_line(const char *line, quirk *q, char *why, size_t why_size)
{
        char word[256];
        bool bad = false, any = false;
        int r = 0;

        for (const char *p = next_word(line, word, sizeof word, &bad); p && r == 0;
             p = next_word(p, word, sizeof word, &bad)) {
                char *value = strchr(word, '=');

                any = true;
                if (bad) {
                        snprintf(why, why_size, "a quote is not closed");
                        return -EINVAL;
                }
                if (!value) {
                        snprintf(why, why_size, "'%.60s' is not KEY=VALUE", word);
                        return -EINVAL;
                }
                *value++ = '\0';
                if (strcmp(word, "vendor") == 0)
                        r = set_glob(&q->vendor, value);
                else if (strcmp(word, "product") == 0)
                        r = set_glob(&q->product, value);
                else if (strcmp(word, "revision") == 0)
                        r = set_glob(&q->revision, value);
                else if (strcmp(word, "drop") == 0 && !q->drop)
                        r = parse_drop(q, value, why, why_size);
                else if (strcmp(word, "write-offset") == 0 && !q->have_write_offset) {
                        r = parse_offset(q, value);
                        if (r < 0)
                                snprintf(why, why_size,
                                         "write-offset=%.60s: give samples, e.g. +30 or -472",
                                         value);
                } else {
                        snprintf(why, why_size, "unknown or repeated key '%.60s'", word);
                        r = -EINVAL;
                }
        }
        if (r < 0)
                return r;
        if (!any)
                return 0;
        if (!q->vendor && !q->product && !q->revision) {
                snprintf(why, why_size, "names no drive (vendor=, product=, revision=)");
                return -EINVAL;
        }
        if (!q->drop && !q->have_write_offset) {
                snprintf(why, why_size, "says nothing of the drive (drop=, write-offset=)");
                return -EINVAL;
        }
        if ((!q->vendor && set_glob(&q->vendor, "*") < 0) ||
            (!q->product && set_glob(&q->product, "*") < 0) ||
            (!q->revision && set_glob(&q->revision, "*") < 0))
                return -ENOMEM;
        return 1;
}

int quirks_parse(const char *text, quirks_warn_fn *warn, void *userdata, quirks *ret)
{
        unsigned line_no = 0;

        memset(ret, 0, sizeof *ret);
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                char *line = strndup(p, n), why[160] = "";
                quirk q = {0}, *grown;
                int r;

                line_no++;
                p += n + (p[n] == '\n');
                if (!line)
                        goto oom;
                r = parse_line(line, &q, why, sizeof why);
                free(line);
                if (r == -ENOMEM) {
                        quirk_clear(&q);
                        goto oom;
                }
                if (r < 0 && warn)
                        warn(userdata, line_no, why);
                if (r <= 0) {
                        quirk_clear(&q);
                        continue;
                }
                q.line = line_no;
                grown = realloc(ret->q, (ret->n + 1) * sizeof *ret->q);
                if (!grown) {
                        quirk_clear(&q);
                        goto oom;
                }
                ret->q = grown;
                ret->q[ret->n++] = q;
        }
        return 0;
oom:
        quirks_free(ret);
        return -ENOMEM;
}

int quirks_load(const char *path, quirks_warn_fn *warn, void *userdata, quirks *ret)
{
        FILE *f = fopen(path, "re");
        char *text = NULL;
        size_t len = 0;
        int r;

        memset(ret, 0, sizeof *ret);
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        {
                FILE *out = open_memstream(&text, &len);
                char chunk[4096];
                size_t n;

                if (!out) {
                        fclose(f);
                        return -ENOMEM;
                }
                while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
                        fwrite(chunk, 1, n, out);
                r = ferror(f) ? -EIO : 0;
                fclose(out);
        }
        fclose(f);
        if (r == 0)
                r = text ? quirks_parse(text, warn, userdata, ret) : -ENOMEM;
        free(text);
        return r;
}

void quirks_free(quirks *q)
{
        for (size_t i = 0; i < q->n; i++)
                quirk_clear(&q->q[i]);
        free(q->q);
        memset(q, 0, sizeof *q);
}

write_mode_set quirks_modes_matching(const char *glob)
{
        write_mode_set set = 0;

        for (int m = 0; m < WRITE_MODE_COUNT; m++) {
                /* A star may span '/': "TEST/" and a star is every mode's Test Write, "RAW/"
                 * and a star still only the raw modes (their Test Write names start with
                 * "TEST/"). */
                if (fnmatch(glob, write_mode_name((write_mode)m, false), 0) == 0)
                        set |= WRITE_MODE_BIT(m);
                if (fnmatch(glob, write_mode_name((write_mode)m, true), 0) == 0)
                        set |= WRITE_MODE_TEST_BIT(m);
        }
        return set;
}

size_t quirks_apply(const quirks *q, drive_info *info)
{
        const mmc_inquiry *id = &info->inquiry;
        size_t matched = 0;

        if (!q || !info->have_inquiry)
                return 0;
        for (size_t i = 0; i < q->n; i++) {
                const quirk *k = &q->q[i];

                if (fnmatch(k->vendor, id->vendor, 0) != 0 ||
                    fnmatch(k->product, id->product, 0) != 0 ||
                    fnmatch(k->revision, id->revision, 0) != 0)
                        continue;
                matched++;
                for (char **d = k->drop; d && *d; d++)
                        info->write_modes.dropped |= quirks_modes_matching(*d);
                if (k->have_write_offset) {
                        info->have_write_offset = true;
                        info->write_offset = k->write_offset;
                }
        }
        return matched;
}
