#!/bin/bash
# One album in the cue sheet shapes rippers write gives one image, byte for
# byte (issue 8): EAC single file (WAV, FLAC as WAVE, FLAC as FLAC, BINARY
# little-endian, MOTOROLA big-endian), EAC "gaps appended to previous
# track", gaps prepended to their track, gaps left out with PREGAP (the
# album's gaps are digital silence, so generated silence is the same), a
# FLAC with an embedded CUESHEET; REM DATE/DISCID/COMMENT lines are taken
# without harm (REM GENRE makes a CD-Text genre pack: tests/image/corpus.sh). Audio cut and converted by sox, not by rawburn.
#   ripper-shapes.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

gen() { sox -n -r 44100 -c 2 -b 16 "$1" synth "$2" sine "$3" gain -3; }
gen t1.wav 5 440
gen t2.wav 6 550
gen t3.wav 4 660
# -D: no dither, the gaps must be digital silence
sox -D -n -r 44100 -c 2 -b 16 g2.wav trim 0 2
sox -D -n -r 44100 -c 2 -b 16 g3.wav trim 0 1
sox t1.wav g2.wav t2.wav g3.wav t3.wav album.wav
flac -s -o album.flac album.wav
sox album.wav -t raw -e signed -b 16 -L album.bin
sox album.wav -t raw -e signed -b 16 -B album-be.bin
sox t1.wav g2.wav app01.wav
sox t2.wav g3.wav app02.wav
cp t3.wav app03.wav
cp t1.wav pre01.wav
sox g2.wav t2.wav pre02.wav
sox g3.wav t3.wav pre03.wav

single() { # FILE line, then the whole-disc tracks
        cat <<CUE
REM DATE 1999
REM DISCID 12001203
REM COMMENT "ExactAudioCopy v1.6"
CATALOG 4006381333931
$1
  TRACK 01 AUDIO
    ISRC USABC2600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    FLAGS PRE
    INDEX 00 00:05:00
    INDEX 01 00:07:00
  TRACK 03 AUDIO
    INDEX 00 00:13:00
    INDEX 01 00:14:00
CUE
}
single 'FILE "album.wav" WAVE' > single-wav.cue
single 'FILE "album.flac" WAVE' > single-flac-wave.cue
single 'FILE "album.flac" FLAC' > single-flac.cue
single 'FILE "album.bin" BINARY' > single-bin.cue
single 'FILE "album-be.bin" MOTOROLA' > single-motorola.cue
cat > appended.cue <<'CUE'
CATALOG 4006381333931
FILE "app01.wav" WAVE
  TRACK 01 AUDIO
    ISRC USABC2600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    FLAGS PRE
    INDEX 00 00:05:00
FILE "app02.wav" WAVE
    INDEX 01 00:00:00
  TRACK 03 AUDIO
    INDEX 00 00:06:00
FILE "app03.wav" WAVE
    INDEX 01 00:00:00
CUE
cat > prepended.cue <<'CUE'
CATALOG 4006381333931
FILE "pre01.wav" WAVE
  TRACK 01 AUDIO
    ISRC USABC2600001
    INDEX 01 00:00:00
FILE "pre02.wav" WAVE
  TRACK 02 AUDIO
    FLAGS PRE
    INDEX 00 00:00:00
    INDEX 01 00:02:00
FILE "pre03.wav" WAVE
  TRACK 03 AUDIO
    INDEX 00 00:00:00
    INDEX 01 00:01:00
CUE
cat > pregap.cue <<'CUE'
CATALOG 4006381333931
FILE "t1.wav" WAVE
  TRACK 01 AUDIO
    ISRC USABC2600001
    INDEX 01 00:00:00
FILE "t2.wav" WAVE
  TRACK 02 AUDIO
    FLAGS PRE
    PREGAP 00:02:00
    INDEX 01 00:00:00
FILE "t3.wav" WAVE
  TRACK 03 AUDIO
    PREGAP 00:01:00
    INDEX 01 00:00:00
CUE
cp album.flac embedded.flac
single 'FILE "embedded.flac" WAVE' | grep -v '^REM' > embedded.cue
metaflac --import-cuesheet-from=embedded.cue embedded.flac

"$ctl" image create single-wav.cue -o ref.raw 2>/dev/null >/dev/null
for shape in single-flac-wave.cue single-flac.cue single-bin.cue single-motorola.cue \
        appended.cue prepended.cue pregap.cue embedded.flac; do
        echo "== $shape"
        "$ctl" image create "$shape" -o out.raw 2> err.txt > /dev/null || fail "$shape: $(cat err.txt)"
        cmp ref.raw out.raw || fail "$shape gives another image"
done

echo "== FLAGS DCP 4CH PRE SCMS"
sed 's/FLAGS PRE/FLAGS DCP 4CH PRE SCMS/' single-wav.cue > flags.cue
"$ctl" image create --dry-run flags.cue 2>/dev/null | grep -q "^track 02 .*control B," ||
        fail "FLAGS: $("$ctl" image create --dry-run flags.cue 2>&1 | grep '^track 02')"
echo "== tracks under 4 s: refused, or taken with a warning"
sox t1.wav -t wav s1.wav trim 0 3.6
printf 'FILE "s1.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\nFILE "t2.wav" WAVE\n  TRACK 02 AUDIO\n    INDEX 01 00:00:00\n' > short.cue
if "$ctl" image create --dry-run short.cue > /dev/null 2> short.err; then fail "short track accepted"; fi
grep -q "shorter than the Red Book's 4 s minimum: track 01 (3.60 s) (--allow-short-tracks" short.err ||
        fail "short: $(cat short.err)"
"$ctl" image create --dry-run --allow-short-tracks short.cue > /dev/null 2> short2.err ||
        fail "--allow-short-tracks: $(cat short2.err)"
grep -q "warning: shorter than the Red Book's 4 s minimum: track 01 (3.60 s)" short2.err ||
        fail "no warning: $(cat short2.err)"
echo OK
