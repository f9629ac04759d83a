#!/bin/bash
# MP3 and Ogg Vorbis sources (issue 17) are decoded sample-exact: the encoder's
# delay and padding (LAME's gapless header, Vorbis granule positions) are
# honoured, so the image holds exactly the WAV's number of samples, in place
# (compared with independent decoders: lame --decode, oggdec), also for a
# track that starts inside the file (a seek); a lossy source is said. Opus
# (48 kHz only) and the lossless formats libsndfile does not read (WavPack,
# APE, TAK, TTA) are refused with what to run instead.
#   lossy-audio.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 9.3 s, not a whole number of sectors: a sine and some noise, so that a shift
# of one sample changes most samples by far more than a decoder's rounding.
sox -n -r 44100 -c 2 -b 16 src.wav synth 9.3 sine 440 synth 9.3 whitenoise mix gain -6
samples=$(soxi -s src.wav)
lame --quiet -b 320 src.wav src.mp3
lame --quiet --decode src.mp3 ref-mp3.wav
oggenc -Q -q 8 src.wav -o src.ogg
oggdec -Q src.ogg -o ref-ogg.wav
[ "$(soxi -s ref-mp3.wav)" = "$samples" ] || fail "lame --decode: $(soxi -s ref-mp3.wav) samples, not $samples"
[ "$(soxi -s ref-ogg.wav)" = "$samples" ] || fail "oggdec: $(soxi -s ref-ogg.wav) samples, not $samples"

# The PCM of the image from LBA 0 on, as many samples as the source has; after them,
# up to the end of the sector, silence.
pcm_of() { # IMAGE OUT
        python3 - "$1" "$2" "$samples" <<'PY'
import sys
img, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray()
with open(img, "rb") as f:
    f.seek(22650 * 2448)                 # LBA 0: the image starts at LBA -22650
    while len(data) < -(-n * 4 // 2352) * 2352:
        data += f.read(2448)[:2352]
if any(data[n * 4:]):
    sys.exit(f"{img}: not silence after sample {n}: the decoded length is wrong")
open(out, "wb").write(data[:n * 4])
PY
}
# Largest difference between two little-endian 16-bit streams.
maxdiff() {
        python3 - "$1" "$2" <<'PY'
import array, sys
a, b = (array.array("h", open(p, "rb").read()) for p in sys.argv[1:3])
if len(a) != len(b):
    sys.exit(f"lengths {len(a)} and {len(b)}")
print(max(abs(x - y) for x, y in zip(a, b)))
PY
}

printf 'FILE "src.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:04:00\n' > wav.cue
"$ctl" image create --dry-run wav.cue > wav.layout 2>/dev/null
for kind in mp3 ogg; do
        echo "== $kind"
        type=WAVE
        [ $kind = mp3 ] && type=MP3
        sed "s/\"src.wav\" WAVE/\"src.$kind\" $type/" wav.cue > $kind.cue
        "$ctl" image create $kind.cue -o $kind.raw > /dev/null 2> $kind.err || fail "$kind: $(cat $kind.err)"
        grep -q "src.$kind: .*(lossy).*: the disc gets the decoded sound, not the original's" $kind.err ||
                fail "$kind: lossy source not said: $(cat $kind.err)"
        # Same tracks, lengths and padding as the WAV: the sample count is exact.
        "$ctl" image create --dry-run $kind.cue 2>/dev/null | sed "s/src.$kind.*, byte/src, byte/; s/, byte order.*, last/, last/" > $kind.layout
        sed "s/src.wav.*, byte/src, byte/; s/, byte order.*, last/, last/" wav.layout | diff - $kind.layout ||
                fail "$kind: another layout than the WAV's"
        pcm_of $kind.raw $kind.pcm
        sox ref-$kind.wav -t raw ref-$kind.pcm
        d=$(maxdiff $kind.pcm ref-$kind.pcm)
        # Decoders differ in rounding by a few steps; one sample of shift here is thousands.
        [ "$d" -le 64 ] || fail "$kind: differs from the independent decoder by up to $d"
        echo "   $samples samples, largest difference from the independent decoder: $d"
done
"$ctl" image create wav.cue -o wav.raw > /dev/null 2>&1
pcm_of wav.raw wav.pcm
[ "$(maxdiff wav.pcm mp3.pcm)" -gt 0 ] || fail "the MP3 image is the WAV's: the comparison proves nothing"

echo "== Opus and the formats libsndfile does not read: refused, saying what to do"
opusenc --quiet src.wav src.opus
if "$ctl" image create --dry-run src.opus > /dev/null 2> opus.err; then fail "Opus accepted"; fi
grep -qF "src.opus: Ogg Opus with 48000 Hz" opus.err && grep -qF "opusdec --rate 44100 IN.opus OUT.wav" opus.err ||
        fail "opus: $(cat opus.err)"
printf 'wvpk\0\0\0\0' > a.wv
printf 'MAC \0\0\0\0' > a.ape
printf 'tBaK\0\0\0\0' > a.tak
printf 'TTA1\0\0\0\0' > a.tta
for f in a.wv:WavPack a.ape:"Monkey's Audio (APE)" a.tak:TAK a.tta:"TTA (True Audio)"; do
        name=${f%%:*} what=${f#*:}
        if "$ctl" image create --dry-run $name > /dev/null 2> $name.err; then fail "$name accepted"; fi
        grep -qF "$name: $what is not read (rawburn reads WAV, AIFF, FLAC, Ogg Vorbis, MP3 and the other formats of libsndfile): convert it first, e.g. " $name.err ||
                fail "$name: $(cat $name.err)"
done
grep -qF "wvunpack IN.wv -o OUT.wav" a.wv.err || fail "a.wv: $(cat a.wv.err)"
grep -qF "ffmpeg -i IN OUT.flac" a.ape.err || fail "a.ape: $(cat a.ape.err)"
echo OK
