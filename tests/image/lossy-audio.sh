#!/bin/bash
# MP3 and Ogg Vorbis sources (issue 17) are decoded sample-exact: the encoder's
# delay and padding (LAME's gapless header, Vorbis granule positions) are
# honoured, so the image holds exactly the WAV's number of samples, in place
# (compared with independent decoders: lame --decode, oggdec), also for a
# track that starts inside the file (a seek); a lossy source is said. Ogg
# Opus, which decodes at 48 kHz only, is resampled to 44.1 kHz: its length is
# round(frames at 48 kHz × 147/160), its sound that of opusdec --rate 44100
# (by correlation: resamplers differ), the same bytes on every run, and the
# resampling said. The lossless formats libsndfile does not read (WavPack,
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

# Normalised correlation of two 16-bit streams at lags -2…2, and the RMS of
# their difference in dB of the reference's: lag 0 must be the best by far.
similarity() { # PCM REF.wav
        python3 - "$1" "$2" <<'PY'
import array, math, sys, wave
a = array.array("h", open(sys.argv[1], "rb").read())
with wave.open(sys.argv[2]) as w:
    b = array.array("h", w.readframes(w.getnframes()))
if sys.byteorder != "little":
    a.byteswap(); b.byteswap()
n = min(len(a), len(b))
if abs(len(a) - len(b)) > 2 * 64:
    sys.exit(f"lengths {len(a)} and {len(b)} samples")
def corr(lag):  # lag in frames
    k = 2 * lag
    xs, ys = (a[max(0, -k):n - max(0, k)], b[max(0, k):n - max(0, -k)])
    s = sum(x * y for x, y in zip(xs, ys))
    e = math.sqrt(sum(x * x for x in xs) * sum(y * y for y in ys))
    return s / e if e else 0.0
diff = math.sqrt(sum((a[i] - b[i]) ** 2 for i in range(n)) / n)
ref = math.sqrt(sum(b[i] ** 2 for i in range(n)) / n)
print(" ".join(f"{corr(l):.6f}" for l in (-2, -1, 0, 1, 2)),
      f"{20 * math.log10(diff / ref) if diff else -999:.1f}")
PY
}
# The exact PCM length of the image's only track: its sectors less the padding said.
track_bytes() { # LAYOUT
        sed -n 's/^ *\([0-9]*\) sectors from .*last sector padded by \([0-9]*\) bytes.*/\1 \2/p; s/^ *\([0-9]*\) sectors from [^,]*, byte 0, [^:]*$/\1 0/p' "$1" |
                awk '{ print $1 * 2352 - $2 }'
}

echo "== Ogg Opus: decoded at 48 kHz, resampled to 44.1 kHz"
opusenc --quiet --bitrate 160 src.wav src.opus
opusdec --quiet --rate 48000 src.opus ref-opus48.wav
opusdec --quiet --rate 44100 --no-dither src.opus ref-opus.wav
frames48=$(soxi -s ref-opus48.wav)
want=$(( (frames48 * 147 + 80) / 160 ))
[ "$want" = "$samples" ] || fail "opus: $frames48 frames at 48 kHz give $want by the rule, the WAV has $samples"
sed 's/"src.wav" WAVE/"src.opus" WAVE/' wav.cue > opus.cue
"$ctl" image create opus.cue -o opus.raw > /dev/null 2> opus.err || fail "opus: $(cat opus.err)"
grep -qF "src.opus: Ogg Opus (lossy), resampled from 48000 Hz to 16-bit stereo 44100 Hz: the disc gets the decoded sound, not the original's" opus.err ||
        fail "opus: lossy and resampled source not said: $(cat opus.err)"
"$ctl" image create --dry-run opus.cue 2>/dev/null | sed "s/src.opus.*, byte/src, byte/; s/, byte order.*, last/, last/" > opus.layout
sed "s/src.wav.*, byte/src, byte/; s/, byte order.*, last/, last/" wav.layout | diff - opus.layout ||
        fail "opus: another layout than the WAV's"
pcm_of opus.raw opus.pcm
read -r cm2 cm1 c0 cp1 cp2 rms <<< "$(similarity opus.pcm ref-opus.wav)"
echo "   $frames48 frames at 48 kHz -> $samples at 44.1 kHz; against opusdec --rate 44100:" \
        "correlation $c0 (one frame off: $cm1, $cp1), difference $rms dB"
# Two resamplers (soxr here, Speex in opusdec) differ near 20 kHz: about
# 0.9999 and -36 dB. A shift of one frame drops the correlation to about 0.67
# (white noise in the source), silence to 0.
python3 -c "import sys; c0, rms = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not (c0 >= 0.999 and rms <= -30 and all(c0 > float(c) + 0.1 for c in sys.argv[3:])))" \
        "$c0" "$rms" "$cm2" "$cm1" "$cp1" "$cp2" || fail "opus: not the sound opusdec decodes"
"$ctl" image create opus.cue -o opus2.raw > /dev/null 2>&1
cmp -s opus.raw opus2.raw || fail "opus: two runs give different images"

# A length the rule must round: 216007 frames at 48 kHz are 198456.43 at 44.1 kHz.
sox -n -r 48000 -c 2 -b 16 odd.wav synth 216007s sine 1000 synth 216007s pinknoise mix gain -6
opusenc --quiet odd.wav odd.opus
opusdec --quiet --rate 48000 odd.opus ref-odd48.wav
odd48=$(soxi -s ref-odd48.wav)
[ "$odd48" = 216007 ] || fail "opusenc/opusdec: $odd48 frames at 48 kHz, not 216007"
"$ctl" image create --dry-run odd.opus > odd.layout 2>/dev/null || fail "odd.opus refused"
got=$(track_bytes odd.layout)
[ "$got" = $(( 198456 * 4 )) ] || fail "odd.opus: $got bytes, not 198456 frames: $(cat odd.layout)"
echo "   216007 frames at 48 kHz -> $(( got / 4 )) at 44.1 kHz"

echo "== formats libsndfile does not read, and Opus in mono: refused, saying what to do"
sox -n -r 48000 -c 1 -b 16 mono.wav synth 1 sine 440 gain -3
opusenc --quiet mono.wav mono.opus
if "$ctl" image create --dry-run mono.opus > /dev/null 2> mono.err; then fail "mono Opus accepted"; fi
grep -qF "mono.opus: Ogg Opus with 48000 Hz, 1 channel(s), lossy" mono.err && grep -qF "opusdec --rate 44100 IN.opus" mono.err ||
        fail "mono opus: $(cat mono.err)"
printf 'wvpk\0\0\0\0' > a.wv
printf 'MAC \0\0\0\0' > a.ape
printf 'tBaK\0\0\0\0' > a.tak
printf 'TTA1\0\0\0\0' > a.tta
for f in a.wv:WavPack a.ape:"Monkey's Audio (APE)" a.tak:TAK a.tta:"TTA (True Audio)"; do
        name=${f%%:*} what=${f#*:}
        if "$ctl" image create --dry-run $name > /dev/null 2> $name.err; then fail "$name accepted"; fi
        grep -qF "$name: $what is not read (rawburn reads WAV, AIFF, FLAC, Ogg Vorbis, Opus, MP3 and the other formats of libsndfile): convert it first, e.g. " $name.err ||
                fail "$name: $(cat $name.err)"
done
grep -qF "wvunpack IN.wv -o OUT.wav" a.wv.err || fail "a.wv: $(cat a.wv.err)"
grep -qF "ffmpeg -i IN OUT.flac" a.ape.err || fail "a.ape: $(cat a.ape.err)"
echo OK
