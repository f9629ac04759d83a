/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * `burn` to several drives at once (--drive repeated, or --drive all): the
 * image is made once (fanout-image.h), each drive gets its own open of it
 * and is prepared, written and checked on its own (burn-drive.h), all on
 * one bus connection and one event loop; one drive failing leaves the
 * others to finish. The end is a table (fanout-view.h); the exit status is
 * 0 when every drive succeeded, else that of the first drive (in the
 * order given) that did not.
 */

#include "burn-input.h"
#include "burn-options.h"

int burn_fanout(const burn_options *o, burn_input *src);

#include "burn-drive.h"
#include "fanout-image.h"

/*
 * Ctrl-C or SIGTERM for several burns at once: the ones preparing stop
 * before writing and the read-backs stop, without a question (nothing is
 * lost); if any drive is writing, the first Ctrl-C asks (*interrupts counts)
 * and the second, or SIGTERM, cancels every write. Returns whether the
 * burns were told to stop (not only asked).
 */
bool fanout_interrupt(burn_drive *const *burns, size_t n, unsigned *interrupts, int signo);

/* How each drive's progress is shown: PROGRESS_QUIET on a terminal (the
 * block of fanout-view.h), lines otherwise, JSON with --json. */
progress_style fanout_progress_style(void);
/* b set up to burn the image of src (made once per write offset, in
 * images) on d; the caller then sets done, userdata, before_output. With
 * wait, the image is made before it returns; without, it is started and b
 * holds its write until burn_drive_image_ready() (fanout_images_watch()).
 * Returns 0, or a negative errno with err set (EXIT_SOURCE). */
int fanout_burn_setup(burn_drive *b, const burn_options *o, sd_bus *bus, sd_event *event, drive *d,
                      burn_input *src, fanout_images *images, bool wait, progress_style style,
                      char *err, size_t errlen);
