#!/bin/bash
# Injected faults as the real tools meet them: they fail, with their usual
# words for what the drive said.
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
cd "$TMP"

# Write-protected media: identification works, the first WRITE is refused 07/27/00.
run wp-wodim nonzero "$DRIVESIM" --drive cdr80,fault=write-protected -- \
        wodim -raw96r dev=/dev/sr0 -audio a.wav
expect wp-wodim 'Sense Key: 0x7 Data Protect' "sense key"
expect wp-wodim 'Sense Code: 0x27 Qual 0x00 \(write protected\)' "sense code"

# No medium (the drive says so although the tray holds a disc).
run nomedium-wodim nonzero "$DRIVESIM" --drive cdr80,fault=no-medium -- wodim -atip dev=/dev/sr0
expect nomedium-wodim 'medium not present|No disk' "no-medium message"
run nomedium-cdrdao nonzero "$DRIVESIM" --drive cdr80,fault=no-medium -- \
        cdrdao disk-info --device /dev/sr0
expect nomedium-cdrdao 'Unit not ready|not ready|no disk|No disk' "no-medium message"

# The drive vanishes in the middle of the burn (after 20 WRITEs).
run gone-wodim nonzero "$DRIVESIM" --drive cdr80,fault=device-gone:op=0x2a:after=20 -- \
        wodim -raw96r dev=/dev/sr0 -audio a.wav
expect gone-wodim 'No such device|Cannot send SCSI cmd' "transport error"

# A WRITE that never completes: wodim's command timeout (timeout=2 s) expires.
run timeout-wodim nonzero "$DRIVESIM" --drive cdr80,fault=timeout:op=0x2a:after=5:count=1 -- \
        wodim timeout=2 -raw96r dev=/dev/sr0 -audio a.wav
expect timeout-wodim 'timed out|Timeout|timeout' "timeout message"
