#!/bin/bash
# cdrdao, wodim and cdrskin identify the drive and read the media's ATIP:
# a blank CD-R 80, a blank CD-RW 74, and an empty tray.
source "$(dirname "$0")/lib.sh"

# Blank CD-R, 80 min: ATIP lead-in 97:26:66 (LBA -11634), last lead-out 79:59:74.
run cdrdao-cdr 0 "$DRIVESIM" --drive cdr80 -- cdrdao disk-info --device /dev/sr0
expect cdrdao-cdr 'DRVSIM +CD-RW RAW96 SIM' "drive identification"
expect cdrdao-cdr '^CD-RW +: no' "media type"
expect cdrdao-cdr '^CD-R empty +: yes' "blank state"
# cdrdao names the dye maker from the ATIP lead-in start: 97:26:6x is CMC Magnetics.
expect cdrdao-cdr '^CD-R medium +: CMC Magnetics Corporation' "maker from the ATIP lead-in"
# Capacity up to the ATIP last lead-out start 79:59:74 (LBA 359849).
expect cdrdao-cdr '^Total Capacity +: .*\(359849 blocks' "capacity"

run wodim-cdr 0 "$DRIVESIM" --drive cdr80 -- wodim -atip dev=/dev/sr0
expect wodim-cdr "Vendor_info +: 'DRVSIM +'" "vendor"
expect wodim-cdr 'ATIP start of lead in: +-11634 \(97:26/66\)' "ATIP lead-in start"
expect wodim-cdr 'ATIP start of lead out: +359849 \(79:59/74\)' "ATIP lead-out limit"
# ATIP byte 6: disc type 0 (CD-R, a dye) with its sub-type.
expect wodim-cdr 'Disk type: +Short strategy type' "ATIP disc type"

run cdrskin-cdr 0 "$DRIVESIM" --drive cdr80 -- cdrskin -v -atip dev=/dev/sr0
expect cdrskin-cdr "Vendor_info +: 'DRVSIM'" "vendor"
expect cdrskin-cdr 'Current: CD-R$' "profile"
expect cdrskin-cdr 'ATIP start of lead in: +-11634 \(97:26/66\)' "ATIP lead-in start"

# Blank CD-RW, 74 min: last lead-out 74:00:00 = LBA 332850.
run cdrdao-cdrw 0 "$DRIVESIM" --drive cdrw74 -- cdrdao disk-info --device /dev/sr0
expect cdrdao-cdrw '^CD-RW +: yes' "media type"
expect cdrdao-cdrw '^CD-R empty +: yes' "blank state"
expect cdrdao-cdrw '^Total Capacity +: .*\(332850 blocks' "capacity"

run wodim-cdrw 0 "$DRIVESIM" --drive cdrw74 -- wodim -atip dev=/dev/sr0
# ATIP byte 6: disc type 1, CD-RW.
expect wodim-cdrw 'Disk type: +Phase change' "ATIP disc type"
expect wodim-cdrw 'ATIP start of lead in: +-11634 \(97:26/66\)' "ATIP lead-in start"
expect wodim-cdrw 'ATIP start of lead out: +332850 \(74:00/00\)' "ATIP lead-out limit"

run cdrskin-cdrw 0 "$DRIVESIM" --drive cdrw74 -- cdrskin -v -atip dev=/dev/sr0
expect cdrskin-cdrw 'Current: CD-RW$' "profile"
expect cdrskin-cdrw 'Is erasable' "CD-RW"

# Empty tray: the tools say so and fail.
run cdrdao-none nonzero "$DRIVESIM" --drive none -- cdrdao disk-info --device /dev/sr0
# cdrdao retries TEST UNIT READY for about 30 s, as with an empty drive.
expect cdrdao-none 'Unit not ready, giving up' "no-medium message"
run wodim-none nonzero "$DRIVESIM" --drive none -- wodim -atip dev=/dev/sr0
expect wodim-none 'No disk|medium not present|Medium not present' "no-medium message"
run cdrskin-none any "$DRIVESIM" --drive none -- cdrskin -v -atip dev=/dev/sr0
expect cdrskin-none 'Current: none|no media|No media' "no-medium message"
