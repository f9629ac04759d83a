/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* librawburn: the CD format code shared by rawburnd, rawburnctl and drivesim. */

#include "rawburn/crc.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"
