/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/source-path.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_CANDIDATES 3

static char *join(const char *basedir, const char *name)
{
        char *path;
        if (name[0] == '/' || !basedir || !*basedir)
                return strdup(name);
        return asprintf(&path, "%s/%s", basedir, name) < 0 ? NULL : path;
}

/* "C:\…", "C:/…", "\…" (root of the current drive) and "\\server\…". */
static bool windows_absolute(const char *name)
{
        return (isalpha((unsigned char)name[0]) && name[1] == ':') || name[0] == '\\';
}

/* path itself, or an entry of its directory differing only in case. */
static int lookup(const char *path, char **found)
{
        struct stat st;
        if (stat(path, &st) == 0) {
                *found = strdup(path);
                return *found ? 0 : -ENOMEM;
        }
        const char *slash = strrchr(path, '/');
        const char *leaf = slash ? slash + 1 : path;
        char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
        if (!dir)
                return -ENOMEM;
        int r = -ENOENT;
        DIR *d = opendir(slash && slash == path ? "/" : dir);
        if (d) {
                struct dirent *e;
                while ((e = readdir(d)))
                        if (strcasecmp(e->d_name, leaf) == 0) {
                                r = asprintf(found, "%.*s%s", (int)(leaf - path), path, e->d_name) <
                                            0
                                        ? -ENOMEM
                                        : 0;
                                break;
                        }
                closedir(d);
        }
        free(dir);
        return r;
}

int rb_source_path_find(const char *basedir, const char *name, char **path, char *note,
                        size_t notelen, char *err, size_t errlen)
{
        char *cand[MAX_CANDIDATES] = {NULL};
        const char *why[MAX_CANDIDATES] = {"", "with '\\' as '/'", "by its base name"};
        size_t n = 0;
        int r = -ENOMEM;

        *path = NULL;
        if (note && notelen)
                note[0] = 0;
        if (!(cand[n++] = join(basedir, name)))
                goto out;
        if (strchr(name, '\\') && !windows_absolute(name)) {
                char *slashed = strdup(name);
                if (!slashed)
                        goto out;
                for (char *s = slashed; *s; s++)
                        if (*s == '\\')
                                *s = '/';
                cand[n] = join(basedir, slashed);
                free(slashed);
                if (!cand[n++])
                        goto out;
        } else {
                cand[n++] = NULL;
        }
        const char *base = name;
        for (const char *s = name; *s; s++)
                if (*s == '/' || *s == '\\')
                        base = s + 1;
        if (base != name && *base && !(cand[n++] = join(basedir, base)))
                goto out;

        for (size_t i = 0; i < n; i++) {
                if (!cand[i])
                        continue;
                r = lookup(cand[i], path);
                if (r == -ENOMEM)
                        goto out;
                if (r == 0) {
                        if (note && notelen && (i > 0 || strcmp(*path, cand[i]) != 0))
                                snprintf(note, notelen, "\"%s\" not found, using %s%s%s%s", name,
                                         *path, i ? " (" : "", why[i], i ? ")" : "");
                        goto out;
                }
        }
        /* None: list where it was looked for, each place once. */
        size_t used = 0;
        used += (size_t)snprintf(err, errlen, "not found: %s (looked for: ", name);
        bool first = true;
        for (size_t i = 0; i < n; i++) {
                bool dup = !cand[i];
                for (size_t k = 0; k < i && !dup; k++)
                        dup = cand[k] && strcmp(cand[k], cand[i]) == 0;
                if (dup || used >= errlen)
                        continue;
                used +=
                    (size_t)snprintf(err + used, errlen - used, "%s%s", first ? "" : ", ", cand[i]);
                first = false;
        }
        if (used < errlen)
                snprintf(err + used, errlen - used, ")");
        r = -ENOENT;
out:
        for (size_t i = 0; i < n; i++)
                free(cand[i]);
        return r;
}

bool rb_path_has_suffix(const char *path, const char *suffix)
{
        size_t n = strlen(path), k = strlen(suffix);
        return n >= k && strcasecmp(path + n - k, suffix) == 0;
}
