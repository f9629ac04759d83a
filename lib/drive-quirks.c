/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drive quirks files (drive-quirks.h, docs/quirks.md): the one parser. */
#include "rawburn/drive-quirks.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#include "rawburn/write-offset.h"

#ifndef RAWBURN_SYSCONFDIR
#define RAWBURN_SYSCONFDIR "/etc"
#endif
#ifndef RAWBURN_DATADIR
#define RAWBURN_DATADIR "/usr/share"
#endif

#define MAX_FILE (1 << 20) /* a quirks file is a few lines: more is a mistake */

/* The names of DiscRecorder2.SupportedWriteModes, without and with Test Write. */
static const char *const write_modes[] = {
    "RAW/R96R",      "RAW/R96P",      "RAW/R16",      "SAO",      "TAO",
    "TEST/RAW/R96R", "TEST/RAW/R96P", "TEST/RAW/R16", "TEST/SAO", "TEST/TAO",
};

const char *rb_quirks_default_path(rb_quirks_origin_t origin)
{
        switch (origin) {
        case RB_QUIRKS_DISTRIBUTION:
                return RAWBURN_DATADIR "/rawburn/quirks.conf";
        case RB_QUIRKS_LOCAL:
                return RAWBURN_SYSCONFDIR "/rawburn/quirks.conf";
        default:
                return NULL;
        }
}

const char *rb_quirks_origin_name(rb_quirks_origin_t origin)
{
        switch (origin) {
        case RB_QUIRKS_DISTRIBUTION:
                return "distribution";
        case RB_QUIRKS_LOCAL:
                return "local";
        default:
                return "none";
        }
}

bool rb_quirks_names_write_mode(const char *glob)
{
        /* A star may span '/': "TEST/" and a star is every mode's Test Write, "RAW/" and a
         * star only the raw modes (their Test Write names start with "TEST/"). */
        for (size_t i = 0; i < sizeof write_modes / sizeof write_modes[0]; i++)
                if (fnmatch(glob, write_modes[i], 0) == 0)
                        return true;
        return false;
}

/* The next word of a line: blanks separate words, double quotes keep blanks inside one
 * ("CD-R   PX-W4824A"). Writes it, unquoted, into word. Returns the rest of the line, NULL
 * at its end; *bad is set for an unterminated quote or a word too long. */
static const char *next_word(const char *p, char *word, size_t size, bool *bad)
{
        size_t n = 0;
        bool quoted = false;

        while (*p == ' ' || *p == '\t' || *p == '\r')
                p++;
        if (*p == '\0' || *p == '#')
                return NULL;
        for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\r')); p++) {
                if (*p == '"') {
                        quoted = !quoted;
                        continue;
                }
                if (n + 1 < size)
                        word[n++] = *p;
                else
                        *bad = true;
        }
        word[n] = '\0';
        if (quoted)
                *bad = true;
        return p;
}

static void quirk_clear(rb_quirk_t *q)
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
static int parse_drop(rb_quirk_t *q, const char *value, char *why, size_t why_size)
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
                if (!rb_quirks_names_write_mode(g)) {
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

static int parse_offset(const char *value, bool *has, int32_t *offset)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < -RB_WRITE_OFFSET_MAX || v > RB_WRITE_OFFSET_MAX)
                return -EINVAL;
        *has = true;
        *offset = (int32_t)v;
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
static int parse_line(const char *line, rb_quirk_t *q, char *why, size_t why_size)
{
        char word[256];
        bool bad = false, any = false;
        int r = 0;

        for (const char *p = next_word(line, word, sizeof word, &bad); p && r == 0;
             p = next_word(p, word, sizeof word, &bad)) {
                char *value = strchr(word, '=');

                any = true;
                if (bad) {
                        snprintf(why, why_size, "a quote is not closed, or a word is too long");
                        return -EINVAL;
                }
                if (!value) {
                        snprintf(why, why_size, "'%.60s' is not KEY=VALUE", word);
                        return -EINVAL;
                }
                *value++ = '\0';
                if (strcmp(word, "vendor") == 0 && !q->vendor)
                        r = set_glob(&q->vendor, value);
                else if (strcmp(word, "product") == 0 && !q->product)
                        r = set_glob(&q->product, value);
                else if (strcmp(word, "revision") == 0 && !q->revision)
                        r = set_glob(&q->revision, value);
                else if (strcmp(word, "drop") == 0 && !q->drop)
                        r = parse_drop(q, value, why, why_size);
                else if (strcmp(word, "write-offset") == 0 && !q->has_write_offset) {
                        r = parse_offset(value, &q->has_write_offset, &q->write_offset);
                        if (r < 0)
                                snprintf(why, why_size,
                                         "write-offset=%.60s: give samples from %d to %+d, e.g. "
                                         "+30 or -472",
                                         value, -RB_WRITE_OFFSET_MAX, RB_WRITE_OFFSET_MAX);
                } else if (strcmp(word, "read-offset") == 0 && !q->has_read_offset) {
                        r = parse_offset(value, &q->has_read_offset, &q->read_offset);
                        if (r < 0)
                                snprintf(why, why_size,
                                         "read-offset=%.60s: give samples from %d to %+d, e.g. "
                                         "+6 or +667",
                                         value, -RB_WRITE_OFFSET_MAX, RB_WRITE_OFFSET_MAX);
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
        if (!q->drop && !q->has_write_offset && !q->has_read_offset) {
                snprintf(why, why_size,
                         "says nothing of the drive (drop=, write-offset=, read-offset=)");
                return -EINVAL;
        }
        q->revision_given = q->revision != NULL;
        if ((!q->vendor && set_glob(&q->vendor, "*") < 0) ||
            (!q->product && set_glob(&q->product, "*") < 0) ||
            (!q->revision && set_glob(&q->revision, "*") < 0))
                return -ENOMEM;
        return 1;
}

int rb_quirks_parse(rb_quirks_t *q, rb_quirks_origin_t origin, const char *name, const char *text,
                    rb_quirks_warn_fn warn, void *userdata)
{
        size_t had = q->count;
        unsigned line_no = 0;

        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                char *line = strndup(p, n), why[200] = "";
                rb_quirk_t k = {0}, *grown;
                int r;

                line_no++;
                p += n + (p[n] == '\n');
                if (!line)
                        goto oom;
                r = parse_line(line, &k, why, sizeof why);
                free(line);
                if (r == -ENOMEM) {
                        quirk_clear(&k);
                        goto oom;
                }
                if (r < 0 && warn)
                        warn(userdata, name, line_no, why);
                if (r <= 0) {
                        quirk_clear(&k);
                        continue;
                }
                k.line = line_no;
                k.origin = origin;
                grown = realloc(q->entries, (q->count + 1) * sizeof *q->entries);
                if (!grown) {
                        quirk_clear(&k);
                        goto oom;
                }
                q->entries = grown;
                q->entries[q->count++] = k;
        }
        return 0;
oom:
        while (q->count > had)
                quirk_clear(&q->entries[--q->count]);
        return -ENOMEM;
}

/* The whole file into *text (NULL for a missing one). */
static int read_file(const char *path, char **text)
{
        FILE *f = fopen(path, "re");
        struct stat st;
        size_t n;
        char *buf;

        *text = NULL;
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        if (fstat(fileno(f), &st) < 0) {
                int r = -errno;
                fclose(f);
                return r;
        }
        if (S_ISDIR(st.st_mode)) {
                fclose(f);
                return -EISDIR;
        }
        buf = malloc(MAX_FILE + 1);
        if (!buf) {
                fclose(f);
                return -ENOMEM;
        }
        n = fread(buf, 1, MAX_FILE + 1, f);
        if (ferror(f) || n > MAX_FILE) {
                int r = ferror(f) ? -EIO : -EFBIG;
                fclose(f);
                free(buf);
                return r;
        }
        fclose(f);
        buf[n] = '\0';
        *text = buf;
        return 0;
}

int rb_quirks_load(rb_quirks_t *q, rb_quirks_origin_t origin, const char *path,
                   rb_quirks_warn_fn warn, void *userdata)
{
        char *text;
        int r = read_file(path, &text);

        if (r < 0 || !text)
                return r;
        r = rb_quirks_parse(q, origin, path, text, warn, userdata);
        free(text);
        return r;
}

void rb_quirks_free(rb_quirks_t *q)
{
        for (size_t i = 0; i < q->count; i++)
                quirk_clear(&q->entries[i]);
        free(q->entries);
        memset(q, 0, sizeof *q);
}

bool rb_quirk_matches(const rb_quirk_t *k, const char *vendor, const char *product,
                      const char *revision)
{
        if (!revision && k->revision_given)
                return false;
        return fnmatch(k->vendor, vendor, 0) == 0 && fnmatch(k->product, product, 0) == 0 &&
               (!revision || fnmatch(k->revision, revision, 0) == 0);
}

const rb_quirk_t *rb_quirks_write_offset(const rb_quirks_t *q, const char *vendor,
                                         const char *product, const char *revision)
{
        const rb_quirk_t *found = NULL;

        for (size_t i = 0; q && i < q->count; i++)
                if (q->entries[i].has_write_offset &&
                    rb_quirk_matches(&q->entries[i], vendor, product, revision))
                        found = &q->entries[i];
        return found;
}

const rb_quirk_t *rb_quirks_read_offset(const rb_quirks_t *q, const char *vendor,
                                        const char *product, const char *revision)
{
        const rb_quirk_t *found = NULL;

        for (size_t i = 0; q && i < q->count; i++)
                if (q->entries[i].has_read_offset &&
                    rb_quirk_matches(&q->entries[i], vendor, product, revision))
                        found = &q->entries[i];
        return found;
}

/* A drive name as a glob that matches it alone: fnmatch's specials behind a backslash. */
static char *escape_glob(const char *s)
{
        char *out = malloc(2 * strlen(s) + 1), *o = out;

        if (!out)
                return NULL;
        for (; *s; s++) {
                if (strchr("*?[\\", *s))
                        *o++ = '\\';
                *o++ = *s;
        }
        *o = '\0';
        return out;
}

/* Whether a line of the file is one set_write_offset() wrote for this drive. */
static bool line_is_offset_of(const char *line, const char *vendor, const char *product)
{
        rb_quirk_t k = {0};
        char why[200];
        bool same = parse_line(line, &k, why, sizeof why) == 1 && !k.drop && !k.revision_given &&
                    !k.has_read_offset && strcmp(k.vendor, vendor) == 0 &&
                    strcmp(k.product, product) == 0;

        quirk_clear(&k);
        return same;
}

/* The folders a file's path names, made where missing (0755, as /etc/rawburn on a fresh
 * install, where no package made it). */
static int make_parents(const char *path)
{
        char *dir = strdup(path);
        int r = 0;

        if (!dir)
                return -ENOMEM;
        for (char *slash = strchr(dir + 1, '/'); slash && r == 0; slash = strchr(slash + 1, '/')) {
                *slash = '\0';
                if (mkdir(dir, 0755) == 0)
                        (void)chmod(dir, 0755); /* readable by rawburnd whatever the umask */
                else if (errno != EEXIST)
                        r = -errno;
                *slash = '/';
        }
        free(dir);
        return r;
}

int rb_quirks_set_write_offset(const char *path, const char *vendor, const char *product,
                               int32_t offset, char *err, size_t errlen)
{
        char *text = NULL, *tmp = NULL, *v = NULL, *p = NULL;
        FILE *f = NULL;
        int fd = -1, r;

        if (offset < -RB_WRITE_OFFSET_MAX || offset > RB_WRITE_OFFSET_MAX)
                return rb__fail(err, errlen, -EINVAL, "a write offset of %d samples is beyond ±%d",
                                offset, RB_WRITE_OFFSET_MAX);
        if (!*vendor || !*product || strpbrk(vendor, "\"\n#") || strpbrk(product, "\"\n#") ||
            strlen(vendor) > 100 || strlen(product) > 100)
                return rb__fail(err, errlen, -EINVAL,
                                "a vendor or product that is empty, long, or has a quote, a '#' "
                                "or a newline: write the line in %s by hand",
                                path);
        if ((r = read_file(path, &text)) < 0)
                return rb__fail_in(err, errlen, r, path, "%s", strerror(-r));
        if ((r = make_parents(path)) < 0)
                return rb__fail_in(err, errlen, r, path, "making its folder: %s", strerror(-r));
        v = escape_glob(vendor);
        p = escape_glob(product);
        if (!v || !p || asprintf(&tmp, "%s.XXXXXX", path) < 0) {
                tmp = NULL;
                r = -ENOMEM;
                goto out;
        }
        fd = mkstemp(tmp);
        if (fd < 0) {
                r = rb__fail_in(err, errlen, -errno, tmp, "%s", strerror(errno));
                free(tmp);
                tmp = NULL;
                goto out;
        }
        (void)fchmod(fd, 0644); /* a configuration file, readable by all */
        f = fdopen(fd, "w");
        if (!f) {
                r = rb__fail_in(err, errlen, -errno, tmp, "%s", strerror(errno));
                close(fd);
                goto fail;
        }
        for (const char *s = text; s && *s;) {
                size_t n = strcspn(s, "\n");
                char *line = strndup(s, n);

                if (!line) {
                        r = -ENOMEM;
                        goto fail;
                }
                if (!line_is_offset_of(line, v, p))
                        fprintf(f, "%s\n", line);
                free(line);
                s += n + (s[n] == '\n');
        }
        fprintf(f, "vendor=\"%s\" product=\"%s\" write-offset=%+d\n", v, p, offset);
        r = fclose(f);
        f = NULL;
        if (r != 0 || rename(tmp, path) < 0) {
                r = rb__fail_in(err, errlen, -errno, path, "%s", strerror(errno));
                goto fail;
        }
        r = 0;
        goto out;
fail:
        if (f)
                fclose(f);
        unlink(tmp);
out:
        free(tmp);
        free(v);
        free(p);
        free(text);
        return r;
}
