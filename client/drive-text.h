/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A drive described for people (list, info, monitor) and as JSON fields. */

#include <stddef.h>

#include "drive-list.h"
#include "output.h"

/* "blank CD-R", "CD-RW, not blank", "DVD-R, cannot be burned raw", "no disc". */
char *drive_media_summary(const drive *d, char *buf, size_t size);
/* "idle", "writing for \"rawburnctl\"", "held by \"Brasero\"". */
char *drive_state_summary(const drive *d, char *buf, size_t size);
/* "DRVSIM CD-RW RAW96 SIM 1.00" */
char *drive_model(const drive *d, char *buf, size_t size);
/* Every field of d as members of the open object j. */
void drive_write_json(const drive *d, json_obj *j);
