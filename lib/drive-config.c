/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-model drive settings (drive-config.h). */
#include "rawburn/drive-config.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rawburn/write-offset.h"

#ifndef RAWBURN_SYSCONFDIR
#define RAWBURN_SYSCONFDIR "/etc"
#endif

const char *rb_drive_config_default_path(void)
{
        const char *env = getenv("RAWBURN_DRIVES_CONF");
        return env && *env ? env : RAWBURN_SYSCONFDIR "/rawburn/drives.conf";
}

/* Equal but for case and runs of blanks (and blanks at the ends). */
static bool same_name(const char *a, const char *b)
{
        for (;;) {
                while (*a == ' ' || *a == '\t')
                        a++;
                while (*b == ' ' || *b == '\t')
                        b++;
                if (!*a || !*b)
                        return !*a && !*b;
                bool ga = false, gb = false;
                while (*a && *a != ' ' && *a != '\t' && *b && *b != ' ' && *b != '\t') {
                        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
                                return false;
                        a++;
                        b++;
                }
                ga = !*a || *a == ' ' || *a == '\t';
                gb = !*b || *b == ' ' || *b == '\t';
                if (ga != gb)
                        return false;
        }
}

/* A "quoted" word at *s: its text into out; *s moves past it. */
static bool quoted(char **s, char *out, size_t outlen)
{
        char *p = *s;
        while (*p == ' ' || *p == '\t')
                p++;
        if (*p != '"')
                return false;
        p++;
        size_t n = 0;
        while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                        p++;
                if (n + 1 < outlen)
                        out[n++] = *p;
                p++;
        }
        if (*p != '"')
                return false;
        out[n] = 0;
        *s = p + 1;
        return true;
}

/* "[drive "V" "P"]" into vendor and product. 1: a drive section, 0: not a
 * section, negative: malformed. */
static int section(char *s, char *vendor, char *product, size_t len)
{
        if (*s != '[')
                return 0;
        s++;
        while (*s == ' ' || *s == '\t')
                s++;
        if (strncmp(s, "drive", 5) != 0)
                return -1;
        s += 5;
        if (!quoted(&s, vendor, len) || !quoted(&s, product, len))
                return -1;
        while (*s == ' ' || *s == '\t')
                s++;
        return *s == ']' && !s[1] ? 1 : -1;
}

static char *trim(char *s)
{
        while (isspace((unsigned char)*s))
                s++;
        size_t n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1]))
                s[--n] = 0;
        return s;
}

static int parse_offset(const char *v, int32_t *out)
{
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (!*v || *end || errno || n < -RB_WRITE_OFFSET_MAX || n > RB_WRITE_OFFSET_MAX)
                return -EINVAL;
        *out = (int32_t)n;
        return 0;
}

int rb_drive_config_parse(const char *name, const char *text, size_t len, rb_drive_config_t *c,
                          char *err, size_t errlen)
{
        size_t pos = 0;
        unsigned line = 0;
        rb_drive_entry_t *cur = NULL;
        char buf[1024], vendor[256], product[256];

        memset(c, 0, sizeof *c);
        while (pos < len) {
                size_t end = pos;
                while (end < len && text[end] != '\n')
                        end++;
                line++;
                if (end - pos >= sizeof buf) {
                        rb_drive_config_free(c);
                        return rb__fail_at(err, errlen, name, line, "line too long");
                }
                memcpy(buf, text + pos, end - pos);
                buf[end - pos] = 0;
                size_t linelen = end - pos;
                pos = end + 1;
                if (strlen(buf) != linelen) {
                        rb_drive_config_free(c);
                        return rb__fail_at(err, errlen, name, line, "NUL byte in the text");
                }
                char *s = trim(buf);
                if (!*s || *s == '#' || *s == ';')
                        continue;
                int r = section(s, vendor, product, sizeof vendor);
                if (r < 0) {
                        rb_drive_config_free(c);
                        return rb__fail_at(err, errlen, name, line,
                                           "expected [drive \"VENDOR\" \"PRODUCT\"]");
                }
                if (r == 1) {
                        rb_drive_entry_t *e = realloc(c->entries, (c->count + 1) * sizeof *e);
                        if (!e) {
                                rb_drive_config_free(c);
                                return -ENOMEM;
                        }
                        c->entries = e;
                        cur = &e[c->count++];
                        *cur = (rb_drive_entry_t){.line = line};
                        cur->vendor = strdup(trim(vendor));
                        cur->product = strdup(trim(product));
                        if (!cur->vendor || !cur->product) {
                                rb_drive_config_free(c);
                                return -ENOMEM;
                        }
                        for (size_t i = 0; i + 1 < c->count; i++)
                                if (same_name(c->entries[i].vendor, cur->vendor) &&
                                    same_name(c->entries[i].product, cur->product)) {
                                        unsigned first = c->entries[i].line;
                                        rb_drive_config_free(c);
                                        return rb__fail_at(
                                            err, errlen, name, line,
                                            "this drive has a section already (line %u)", first);
                                }
                        continue;
                }
                char *eq = strchr(s, '=');
                if (!eq) {
                        rb_drive_config_free(c);
                        return rb__fail_at(err, errlen, name, line, "expected KEY = VALUE");
                }
                *eq = 0;
                char *key = trim(s), *value = trim(eq + 1);
                if (!cur) {
                        rb_drive_config_free(c);
                        return rb__fail_at(
                            err, errlen, name, line,
                            "\"%s\" outside a [drive \"VENDOR\" \"PRODUCT\"] section", key);
                }
                if (strcmp(key, "write-offset") == 0) {
                        if (parse_offset(value, &cur->write_offset) < 0) {
                                rb_drive_config_free(c);
                                return rb__fail_at(err, errlen, name, line,
                                                   "write-offset \"%s\" is not a number of samples "
                                                   "from %d to %d",
                                                   value, -RB_WRITE_OFFSET_MAX,
                                                   RB_WRITE_OFFSET_MAX);
                        }
                        cur->has_write_offset = true;
                } else {
                        rb_drive_config_free(c);
                        return rb__fail_at(err, errlen, name, line,
                                           "unknown key \"%s\" (write-offset)", key);
                }
        }
        return 0;
}

static int read_all(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                if (errno == ENOENT) {
                        *text = NULL;
                        *len = 0;
                        return 0;
                }
                int e = errno;
                snprintf(err, errlen, "%s: %s", path, strerror(e));
                return -e;
        }
        size_t cap = 1 << 20;
        char *buf = malloc(cap + 1);
        size_t n = buf ? fread(buf, 1, cap + 1, f) : 0;
        fclose(f);
        if (!buf)
                return -ENOMEM;
        if (n > cap) {
                free(buf);
                snprintf(err, errlen, "%s: too large", path);
                return -EFBIG;
        }
        *text = buf;
        *len = n;
        return 0;
}

int rb_drive_config_load(const char *path, rb_drive_config_t *c, char *err, size_t errlen)
{
        char *text;
        size_t len;
        memset(c, 0, sizeof *c);
        int r = read_all(path, &text, &len, err, errlen);
        if (r < 0 || !text)
                return r;
        r = rb_drive_config_parse(path, text, len, c, err, errlen);
        free(text);
        return r;
}

void rb_drive_config_free(rb_drive_config_t *c)
{
        for (size_t i = 0; i < c->count; i++) {
                free(c->entries[i].vendor);
                free(c->entries[i].product);
        }
        free(c->entries);
        memset(c, 0, sizeof *c);
}

const rb_drive_entry_t *rb_drive_config_find(const rb_drive_config_t *c, const char *vendor,
                                             const char *product)
{
        for (size_t i = 0; i < c->count; i++)
                if (same_name(c->entries[i].vendor, vendor) &&
                    same_name(c->entries[i].product, product))
                        return &c->entries[i];
        return NULL;
}

const rb_drive_entry_t *rb_drive_config_find_model(const rb_drive_config_t *c, const char *model)
{
        for (size_t i = 0; i < c->count; i++) {
                char both[600];
                snprintf(both, sizeof both, "%s %s", c->entries[i].vendor, c->entries[i].product);
                if (same_name(both, model))
                        return &c->entries[i];
        }
        return NULL;
}

int rb_drive_config_set_write_offset(const char *path, const char *vendor, const char *product,
                                     int32_t offset, char *err, size_t errlen)
{
        rb_drive_config_t c;
        char *text = NULL, *tmp = NULL;
        size_t len = 0;
        int r;

        if (offset < -RB_WRITE_OFFSET_MAX || offset > RB_WRITE_OFFSET_MAX) {
                snprintf(err, errlen, "write offset %d is beyond ±%d samples", offset,
                         RB_WRITE_OFFSET_MAX);
                return -EINVAL;
        }
        if (strchr(vendor, '"') || strchr(product, '"') || strchr(vendor, '\n') ||
            strchr(product, '\n')) {
                snprintf(err, errlen, "a drive name with a quote or a newline");
                return -EINVAL;
        }
        if ((r = read_all(path, &text, &len, err, errlen)) < 0)
                return r;
        if ((r = rb_drive_config_parse(path, text ? text : "", len, &c, err, errlen)) < 0)
                goto out;
        const rb_drive_entry_t *e = rb_drive_config_find(&c, vendor, product);
        unsigned section_line = e ? e->line : 0;
        rb_drive_config_free(&c);
        if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
                tmp = NULL;
                r = -ENOMEM;
                goto out;
        }
        int fd = mkstemp(tmp);
        if (fd < 0) {
                r = -errno;
                snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
                goto out;
        }
        (void)fchmod(fd, 0644); /* a configuration file, readable by all */
        FILE *f = fdopen(fd, "w");
        if (!f) {
                r = -errno;
                close(fd);
                unlink(tmp);
                goto out;
        }
        /* Copy, replacing (or adding) the key in the model's section. */
        size_t pos = 0;
        unsigned line = 0;
        bool in_section = false, done = false;
        while (pos < len) {
                size_t end = pos;
                while (end < len && text[end] != '\n')
                        end++;
                line++;
                char buf[1024];
                size_t n = end - pos < sizeof buf - 1 ? end - pos : sizeof buf - 1;
                memcpy(buf, text + pos, n);
                buf[n] = 0;
                char *s = trim(buf);
                bool header = *s == '[';
                if (header && in_section && !done) {
                        fprintf(f, "write-offset = %+d\n", offset);
                        done = true;
                }
                if (header)
                        in_section = line == section_line;
                bool key = in_section && !header && strncmp(s, "write-offset", 12) == 0 &&
                           (s[12] == '=' || s[12] == ' ' || s[12] == '\t');
                if (key && !done) {
                        fprintf(f, "write-offset = %+d\n", offset);
                        done = true;
                } else if (!key) {
                        fwrite(text + pos, 1, end - pos, f);
                        fputc('\n', f);
                }
                pos = end + 1;
        }
        if (!done && in_section)
                fprintf(f, "write-offset = %+d\n", offset);
        else if (!done)
                fprintf(f, "%s[drive \"%s\" \"%s\"]\nwrite-offset = %+d\n", len ? "\n" : "", vendor,
                        product, offset);
        if (fclose(f) != 0 || rename(tmp, path) < 0) {
                r = -errno;
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
                unlink(tmp);
                goto out;
        }
        r = 0;
out:
        free(tmp);
        free(text);
        return r;
}
