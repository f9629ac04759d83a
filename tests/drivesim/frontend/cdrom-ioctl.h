/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "frontend.h"

/*
 * Answers the cdrom layer's ioctls of an srN node (CDROMREADTOCHDR,
 * CDROMREADTOCENTRY, CDROMMULTISESSION, CDROM_GET_MCN, CDROM_DISC_STATUS,
 * CDROMEJECT, CDROMCLOSETRAY, CDROM_LOCKDOOR) with MMC commands to the model, as the kernel does,
 * and passes CDROM_SEND_PACKET's command through.
 * Returns false for any other request, leaving it uncompleted.
 */
bool fe_cdrom_ioctl(fe_drive *drive, UMockdevIoctlClient *client, gulong request,
                    UMockdevIoctlData *arg);
