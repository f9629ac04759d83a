/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * rawburnctl burn --dry-run: what the burn would do, touching no media. It
 * prints the layout (as image create --dry-run does; a raw image is read
 * through the image inspector), the image's size against this disc's ATIP
 * capacity (rawburnd's StartOfNextSession and LastPossibleStartOfLeadout:
 * whether it fits and by how much, in minutes of audio and MiB of data), or
 * against the common 74, 80, 90 and 99-minute discs when there is no disc,
 * no drive or no rawburnd; the CD-Text; and the warnings (short tracks,
 * byte order, CD-Text, a drive that cannot write this sector type or
 * simulate it, a disc that is not blank, a lead-in that starts too late).
 * It reads drive properties only (GetManagedObjects): no PrepareMedia, no
 * command reaches the drive.
 */

#include "burn-input.h"
#include "burn-options.h"

/* Returns the exit status: EXIT_OK, EXIT_MEDIA when the image does not fit
 * the disc in the drive, EXIT_SOURCE when a raw image cannot be read. */
int burn_dry_run(const burn_options *o, burn_input *src);
