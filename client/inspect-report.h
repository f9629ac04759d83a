/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What librawburn's image inspector found, as `rawburnctl image inspect`
 * shows it: text for people (also the raw-image part of `burn --dry-run`),
 * or one indented JSON object for --json. Scripts and tests read both, so
 * their wording and layout stay as they are.
 */

#include <stdio.h>

#include "rawburn/image-inspect.h"

void inspect_report_text(const rb_inspect_t *in, FILE *f);
void inspect_report_json(const rb_inspect_t *in, FILE *f);
