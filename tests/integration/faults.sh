#!/bin/bash
# Injected faults as the real tools meet them: they fail, with their usual
# words for what the drive (or the kernel) said.
source "$(dirname "$0")/lib.sh"

make_one_track_album
cd "$TMP"

# Write-protected media: identification works, the first WRITE (at the lead-in
# start, LBA -11634) is refused with 07/27/00.
run wp-wodim nonzero "$DRIVESIM" --drive cdr80,fault=write-protected -- \
        wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
expect wp-wodim 'CDB: +2A 00 FF FF D2 8E 00 00 1A 00' "the refused command"
expect wp-wodim 'Sense Key: 0x7 Data Protect' "sense key"
expect wp-wodim 'Sense Code: 0x27 Qual 0x00 \(write protected\)' "sense code"
expect wp-wodim 'Could not write Lead-in' "wodim's verdict"
run wp-cdrdao nonzero "$DRIVESIM" --drive cdr80,fault=write-protected -- \
        cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc
expect wp-cdrdao 'Writing lead-in and gap' "how far it got"
expect wp-cdrdao 'ERROR: Write data failed' "cdrdao's verdict"

# Loss of streaming after 100 WRITEs: cdrdao's raw driver has no retry.
run los-cdrdao nonzero "$DRIVESIM" --drive cdr80,fault=loss-of-streaming:op=0x2a:after=100 -- \
        cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc
expect los-cdrdao 'Wrote 5 of' "progress before the fault"
expect los-cdrdao 'ERROR: Write data failed' "cdrdao's verdict"

# No medium (the drive says so although the tray holds a disc).
run nomedium-wodim nonzero "$DRIVESIM" --drive cdr80,fault=no-medium -- wodim -atip dev=/dev/sr0
expect nomedium-wodim 'medium not present|No disk' "no-medium message"
run nomedium-cdrdao nonzero "$DRIVESIM" --drive cdr80,fault=no-medium -- \
        cdrdao disk-info --device /dev/sr0
expect nomedium-cdrdao 'Unit not ready, giving up' "no-medium message"

# The drive vanishes in the middle of the lead-in (after 20 WRITEs): ENODEV.
run gone-wodim nonzero "$DRIVESIM" --drive cdr80,fault=device-gone:op=0x2a:after=20 -- \
        wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
expect gone-wodim 'Errno: 19 \(No such device\), write_g1' "transport error"
expect gone-wodim 'write leadin data: error after 1272960 bytes' "20 WRITEs of 63648 bytes went through"

# A WRITE that never completes: wodim's command timeout (timeout=2 s) expires.
run timeout-wodim nonzero "$DRIVESIM" --drive cdr80,fault=timeout:op=0x2a:after=5:count=1 -- \
        wodim timeout=2 gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
expect timeout-wodim 'write_g1 scsi sendcmd: cmd timeout after 2\.[0-9]+ \(2\) s' "timeout message"

# Any sense, armed on the control socket while the tool runs: the 11th WRITE gets a
# MEDIUM ERROR 03/0C/00, and wodim reports the command and the sense as the drive sent them.
in_drivesim sense-wodim --drive cdr80 -- "
        ctl 'sr0 fault sense 03/0C/00 op=0x2a after=10 count=1'
        run sense-wodim nonzero wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav"
expect sense-wodim 'CDB: +2A 00 FF FF D3 92 00 00 1A 00' "the 11th WRITE (LBA -11634 + 260)"
expect sense-wodim 'Sense Key: 0x3 Medium Error' "sense key"
expect sense-wodim 'Sense Code: 0x0C Qual 0x00 \(write error\)' "sense code"

# A TOC read back that differs from what was written: the lead-out one frame later, in
# cdrdao's TOC (READ TOC) and in cd-info's (the kernel's CDROMREADTOCENTRY).
in_drivesim toc-mismatch --drive cdr80 -- "
        run toc-burn 0 wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
        run toc-right 0 cdrdao read-toc --device /dev/sr0 right.toc
        ctl 'sr0 fault toc-mismatch'
        run toc-wrong 0 cdrdao read-toc --device /dev/sr0 wrong.toc
        run toc-cd-info 0 cd-info --no-device-info -C /dev/sr0"
expect toc-right '^Leadout AUDIO +0 +00:04:00\( +300\)' "the written lead-out"
expect toc-wrong '^Leadout AUDIO +0 +00:04:01\( +301\)' "the moved lead-out"
expect toc-cd-info '^170: 00:06:01  000301 leadout' "the moved lead-out through the ioctls"
