/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The burn thread's work, in order: take realtime scheduling, check the
 * stream (lead-in Q, lead-out against the media), set the drive's write
 * parameters, fill the buffer, WRITE(10) from the media's lead-in start to
 * the end of the stream, SYNCHRONIZE CACHE and wait for the drain, read the
 * drive again. Everything it finds ends up in job->result.
 */

#include "burn-job.h"

int burn_writer_sector_size(const burn_job *job);
/* Sectors one WRITE(10) carries on this drive. */
uint32_t burn_writer_transfer_blocks(const burn_job *job);
void burn_writer_run(burn_job *job);
