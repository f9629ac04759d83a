/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Finding a file a sheet names. Sheets travel between systems: EAC writes
 * "Album\01 - Title.wav" and sometimes "D:\Music\Album\01 - Title.wav", and
 * file systems differ in case. Tried in order, each exactly and then
 * differing only in the case of its last component:
 *   1. the name as written (beside the sheet unless absolute);
 *   2. with every '\' as '/' (beside the sheet; not for drive-letter or
 *      root-relative Windows paths, which mean nothing here);
 *   3. its base name beside the sheet.
 */

#include <stdbool.h>
#include <stddef.h>

/* Whether path ends in suffix (".cue", ".wav"), letters in either case: how a
 * source's kind is told from its name. */
bool rb_path_has_suffix(const char *path, const char *suffix);

/*
 * On success *path is the file found (malloc'd) and note says which
 * candidate was taken when it was not the name as written ("" otherwise).
 * -ENOENT when none exists, err then reading "not found: NAME (looked for:
 * A, B)"; -ENOMEM. basedir may be NULL (names taken as they are).
 */
int rb_source_path_find(const char *basedir, const char *name, char **path, char *note,
                        size_t notelen, char *err, size_t errlen);
