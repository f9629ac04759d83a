#!/usr/bin/python3
"""The source corpus of issue 8, generated at test time (nothing large is
checked in):  make-corpus.py OUTDIR

Every disc is written in each shape its sources come in, the way rippers,
cdrdao, cdrskin and CloneCD write them; sheets list which shapes exist in
OUTDIR/shapes.txt ("DISC SHAPE ARGS…" per line) so that the tests make an
image of each and compare. Audio comes from sox and flac/metaflac; the BINs,
CloneCD .img/.sub, Mode 2 sectors (EDC and ECC from ECMA-130, written here)
and all sheets are written by this script, not by rawburn.

Discs:
  album  three tracks (5 s, 2 s gap, 6 s, 1 s gap, 4 s with an index 2),
         CD-Text with Latin-1 accents, genre, MCN, ISRC, pre-emphasis
  jp     two tracks, Japanese CD-Text (MS-JIS)
  bil    two tracks, CD-Text in English and French (two blocks)
  enja   two tracks, CD-Text in English and Japanese
  game   a PlayStation-style disc: Mode 2 Form 1 track (one sector with a
         wrong EDC on purpose), then two audio tracks with 2 s pauses
"""
import json
import os
import struct
import subprocess
import sys
import wave

out = os.path.abspath(sys.argv[1])
os.makedirs(out, exist_ok=True)
os.chdir(out)
shapes = []


def run(*cmd):
    subprocess.run(cmd, check=True)


def shape(disc, name, *args):
    shapes.append(" ".join([disc, name] + list(args)))


def write(name, text, encoding="utf-8"):
    with open(name, "wb") as f:
        f.write(text.encode(encoding))


# ---------------------------------------------------------------- audio

SPS = 588  # samples per sector


def tone(name, seconds, freq):
    run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", name, "synth", str(seconds), "sine",
        str(freq), "gain", "-3")


def pcm(name):
    """The 16-bit little-endian stereo samples of a WAV."""
    with wave.open(name) as w:
        assert w.getnchannels() == 2 and w.getsampwidth() == 2 and w.getframerate() == 44100
        return w.readframes(w.getnframes())


def save_wav(name, data):
    with wave.open(name, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(data)


def swap16(data):
    b = bytearray(data)
    b[0::2], b[1::2] = data[1::2], data[0::2]
    return bytes(b)


def silence(sectors):
    return bytes(sectors * SPS * 4)


# ---------------------------------------------------------------- album

# Lengths in sectors; every split is on a sector boundary, as rips are.
T1, G2, T2, G3, T3 = 375, 150, 450, 75, 300
for n, (sec, f) in enumerate(((T1, 440), (T2, 550), (T3, 660)), 1):
    tone(f"t{n}.wav", sec / 75, f)
t1, t2, t3 = pcm("t1.wav"), pcm("t2.wav"), pcm("t3.wav")
assert len(t1) == T1 * 2352 and len(t2) == T2 * 2352 and len(t3) == T3 * 2352
album = t1 + silence(G2) + t2 + silence(G3) + t3
save_wav("album.wav", album)
run("flac", "-s", "-f", "-o", "album.flac", "album.wav")
open("album.bin", "wb").write(album)
open("album-be.bin", "wb").write(swap16(album))
open("album.cdr", "wb").write(swap16(album))  # cdrdao raw audio: big-endian
# EAC "gaps appended to previous track", gaps prepended, gaps left out
save_wav("app01.wav", t1 + silence(G2))
save_wav("app02.wav", t2 + silence(G3))
save_wav("app03.wav", t3)
for n in (1, 2, 3):
    run("flac", "-s", "-f", "-o", f"app{n:02}.flac", f"app{n:02}.wav")
save_wav("pre01.wav", t1)
save_wav("pre02.wav", silence(G2) + t2)
save_wav("pre03.wav", silence(G3) + t3)

TEXT_DISC = {"TITLE": "Café Olé", "PERFORMER": "Björk Guðmundsdóttir", "SONGWRITER": "Ça Va",
             "COMPOSER": "Fauré", "ARRANGER": "Señor Niño", "MESSAGE": "Très bien"}
TEXT_TRACKS = [{"TITLE": "Première", "PERFORMER": "Björk"},
               {"TITLE": "Deuxième", "PERFORMER": "Björk"},
               {"TITLE": "Troisième", "PERFORMER": "Sigur Rós"}]
MCN, ISRC1, UPC, GENRE = "4006381333931", "USABC2600001", "0094632188826", "Rock"


def cue_text_disc():
    lines = [f'REM GENRE "{GENRE}"', "REM DATE 1999", "REM DISCID 12001203",
             'REM COMMENT "ExactAudioCopy v1.6"', f"CATALOG {MCN}", f"UPC_EAN {UPC}"]
    lines += [f'{k} "{v}"' for k, v in TEXT_DISC.items()]
    return lines


def cue_text_track(n):
    return [f'    {k} "{v}"' for k, v in TEXT_TRACKS[n - 1].items()]


def album_single(file_line, text=True):
    """EAC / CUERipper single file."""
    lines = (cue_text_disc() if text else [f"CATALOG {MCN}"]) + [file_line]
    lines += ["  TRACK 01 AUDIO"] + (cue_text_track(1) if text else []) + [
        f"    ISRC {ISRC1}", "    INDEX 01 00:00:00"]
    lines += ["  TRACK 02 AUDIO"] + (cue_text_track(2) if text else []) + [
        "    FLAGS PRE", "    INDEX 00 00:05:00", "    INDEX 01 00:07:00"]
    lines += ["  TRACK 03 AUDIO"] + (cue_text_track(3) if text else []) + [
        "    INDEX 00 00:13:00", "    INDEX 01 00:14:00", "    INDEX 02 00:15:00"]
    return "\n".join(lines) + "\n"


write("single-wav.cue", album_single('FILE "album.wav" WAVE'))
write("single-flac-wave.cue", album_single('FILE "album.flac" WAVE'))
write("single-flac.cue", album_single('FILE "album.flac" FLAC'))
write("single-bin.cue", album_single('FILE "album.bin" BINARY'))
write("single-motorola.cue", album_single('FILE "album-be.bin" MOTOROLA'))
write("single-bom.cue", "\ufeff" + album_single('FILE "album.wav" WAVE'))
write("single-crlf.cue", album_single('FILE "album.wav" WAVE').replace("\n", "\r\n"))
write("single-cp1252.cue", album_single('FILE "album.wav" WAVE'), "cp1252")
write("single-case.cue", album_single('FILE "ALBUM.WAV" WAVE'))
for name in ("single-wav", "single-flac-wave", "single-flac", "single-bin", "single-motorola",
             "single-bom", "single-crlf", "single-cp1252", "single-case"):
    shape("album", name, name + ".cue")


def album_appended(ext, kind):
    lines = cue_text_disc() + [f'FILE "app01.{ext}" {kind}', "  TRACK 01 AUDIO"] + \
        cue_text_track(1) + [f"    ISRC {ISRC1}", "    INDEX 01 00:00:00",
                             "  TRACK 02 AUDIO"] + cue_text_track(2) + [
        "    FLAGS PRE", "    INDEX 00 00:05:00", f'FILE "app02.{ext}" {kind}',
        "    INDEX 01 00:00:00", "  TRACK 03 AUDIO"] + cue_text_track(3) + [
        "    INDEX 00 00:06:00", f'FILE "app03.{ext}" {kind}', "    INDEX 01 00:00:00",
        "    INDEX 02 00:01:00"]
    return "\n".join(lines) + "\n"


write("appended.cue", album_appended("wav", "WAVE"))
write("appended-flac.cue", album_appended("flac", "FLAC"))
shape("album", "appended", "appended.cue")
shape("album", "appended-flac", "appended-flac.cue")

lines = cue_text_disc() + ['FILE "pre01.wav" WAVE', "  TRACK 01 AUDIO"] + cue_text_track(1) + [
    f"    ISRC {ISRC1}", "    INDEX 01 00:00:00", 'FILE "pre02.wav" WAVE',
    "  TRACK 02 AUDIO"] + cue_text_track(2) + [
    "    FLAGS PRE", "    INDEX 00 00:00:00", "    INDEX 01 00:02:00", 'FILE "pre03.wav" WAVE',
    "  TRACK 03 AUDIO"] + cue_text_track(3) + [
    "    INDEX 00 00:00:00", "    INDEX 01 00:01:00", "    INDEX 02 00:02:00"]
write("prepended.cue", "\n".join(lines) + "\n")
shape("album", "prepended", "prepended.cue")

# The gaps are digital silence, so generated silence (PREGAP) is the same disc.
lines = cue_text_disc() + ['FILE "t1.wav" WAVE', "  TRACK 01 AUDIO"] + cue_text_track(1) + [
    f"    ISRC {ISRC1}", "    INDEX 01 00:00:00", 'FILE "t2.wav" WAVE',
    "  TRACK 02 AUDIO"] + cue_text_track(2) + [
    "    FLAGS PRE", "    PREGAP 00:02:00", "    INDEX 01 00:00:00", 'FILE "t3.wav" WAVE',
    "  TRACK 03 AUDIO"] + cue_text_track(3) + [
    "    PREGAP 00:01:00", "    INDEX 01 00:00:00", "    INDEX 02 00:01:00"]
write("pregap.cue", "\n".join(lines) + "\n")
shape("album", "pregap", "pregap.cue")


def v07t_album(encoding):
    lines = ["Input Sheet Version = 0.7T", "Text Code           = 8859",
             "Language Code       = English", f"Album Title         = {TEXT_DISC['TITLE']}",
             f"Artist Name         = {TEXT_DISC['PERFORMER']}",
             f"Songwriter          = {TEXT_DISC['SONGWRITER']}",
             f"Composer            = {TEXT_DISC['COMPOSER']}",
             f"Arranger            = {TEXT_DISC['ARRANGER']}",
             f"Album Message       = {TEXT_DISC['MESSAGE']}", "Genre Code          = Rock Music",
             f"Genre Information   = {GENRE}", f"UPC / EAN           = {UPC}",
             "Text Data Copy Protection = OFF", "First Track Number  = 1",
             "Last Track Number   = 3"]
    for n, t in enumerate(TEXT_TRACKS, 1):
        lines += [f"Track {n:02} Title      = {t['TITLE']}",
                  f"Track {n:02} Artist     = {t['PERFORMER']}"]
    return "\n".join(lines) + "\n"


# As cdrskin writes it: the bytes in the sheet's Text Code (ISO-8859-1).
write("album.v07t", v07t_album("latin-1"), "latin-1")
write("notext.cue", album_single('FILE "album.wav" WAVE', text=False))
shape("album", "notext+v07t", "notext.cue", "--cdtext-v07t", "album.v07t")

# A FLAC with an embedded CUESHEET (metaflac), its CD-Text from the .v07t.
run("cp", "album.flac", "embedded.flac")
write("embedded.cue", album_single('FILE "embedded.flac" WAVE', text=False))
run("metaflac", "--import-cuesheet-from=embedded.cue", "embedded.flac")
shape("album", "embedded-flac+v07t", "embedded.flac", "--cdtext-v07t", "album.v07t")


def toc_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


genre_bytes = ", ".join(str(b) for b in bytes([0, 0x17]) + GENRE.encode() + b"\0")
toc = ["CD_DA", f'CATALOG "{MCN}"', "CD_TEXT {", "  LANGUAGE_MAP { 0 : EN }", "  LANGUAGE 0 {"]
toc += [f"    {k} {toc_str(v)}" for k, v in TEXT_DISC.items()]
toc += [f"    GENRE {{ {genre_bytes} }}", f'    UPC_EAN "{UPC}"', "  }", "}"]
starts = [(0, T1), (T1, G2 + T2), (T1 + G2 + T2, G3 + T3)]


def msf(sectors):
    return f"{sectors // 4500:02}:{sectors // 75 % 60:02}:{sectors % 75:02}"


for n, (start, length) in enumerate(starts, 1):
    toc += ["", "TRACK AUDIO"]
    if n == 1:
        toc += [f'ISRC "{ISRC1}"']
    if n == 2:
        toc += ["PRE_EMPHASIS"]
    toc += ["CD_TEXT {", "  LANGUAGE 0 {"]
    toc += [f"    {k} {toc_str(v)}" for k, v in TEXT_TRACKS[n - 1].items()]
    toc += ["  }", "}", f'FILE "album.cdr" {msf(start)} {msf(length)}']
    if n == 2:
        toc += ["START 00:02:00"]
    if n == 3:
        toc += ["START 00:01:00", "INDEX 00:01:00"]
write("album.toc", "\n".join(toc) + "\n")
shape("album", "cdrdao-toc", "album.toc")

# ---------------------------------------------------------------- Japanese

J1, J2 = 375, 375
tone("j1.wav", 5, 523)
tone("j2.wav", 5, 587)
save_wav("jp.wav", pcm("j1.wav") + pcm("j2.wav"))
JP_DISC = {"TITLE": "日本の歌", "PERFORMER": "山田太郎"}
JP_TRACKS = [{"TITLE": "さくら", "PERFORMER": "山田太郎"},
             {"TITLE": "ふるさと", "PERFORMER": "山田花子"}]


def jp_cue(text=True):
    lines = [f'{k} "{v}"' for k, v in JP_DISC.items()] if text else []
    lines += ['FILE "jp.wav" WAVE']
    for n, t in enumerate(JP_TRACKS, 1):
        lines += [f"  TRACK {n:02} AUDIO"]
        if text:
            lines += [f'    {k} "{v}"' for k, v in t.items()]
        lines += [f"    INDEX 01 {msf((n - 1) * J1)}"]
    return "\n".join(lines) + "\n"


write("jp.cue", jp_cue())
write("jp-sjis.cue", jp_cue(), "cp932")
write("jp-notext.cue", jp_cue(False))
sheet = ["Input Sheet Version = 0.7T", "Text Code = MS-JIS", "Language Code = Japanese",
         f"Album Title = {JP_DISC['TITLE']}", f"Artist Name = {JP_DISC['PERFORMER']}"]
for n, t in enumerate(JP_TRACKS, 1):
    sheet += [f"Track {n:02} Title = {t['TITLE']}", f"Track {n:02} Artist = {t['PERFORMER']}"]
write("jp.v07t", "\n".join(sheet) + "\n", "cp932")
toc = ["CD_DA", "CD_TEXT {", "  LANGUAGE_MAP { 0 : JA }", "  LANGUAGE 0 {", "    ENCODING_MS_JIS"]
toc += [f"    {k} {toc_str(v)}" for k, v in JP_DISC.items()] + ["  }", "}"]
for n, t in enumerate(JP_TRACKS, 1):
    toc += ["TRACK AUDIO", "CD_TEXT {", "  LANGUAGE 0 {"]
    toc += [f"    {k} {toc_str(v)}" for k, v in t.items()]
    toc += ["  }", "}", f'FILE "j{n}.wav" 0']
write("jp.toc", "\n".join(toc) + "\n")
shape("jp", "utf8-cue", "jp.cue")
shape("jp", "shift-jis-cue", "jp-sjis.cue")
shape("jp", "cdrdao-toc", "jp.toc")
shape("jp", "notext+v07t", "jp-notext.cue", "--cdtext-v07t", "jp.v07t")

# ---------------------------------------------------------------- two languages

save_wav("bil.wav", pcm("j1.wav") + pcm("j2.wav"))
BIL = {"EN": ({"TITLE": "Summer Songs", "PERFORMER": "The Band"},
              [{"TITLE": "Rain", "PERFORMER": "The Band"},
               {"TITLE": "Sun", "PERFORMER": "The Band"}]),
       "FR": ({"TITLE": "Chansons d'été", "PERFORMER": "Le Groupe"},
              [{"TITLE": "Pluie", "PERFORMER": "Le Groupe"},
               {"TITLE": "Soleil", "PERFORMER": "Le Groupe"}])}
LANG_NAMES = {"EN": "English", "FR": "French", "JA": "Japanese"}


def v07t_sheet(lang, disc, tracks, code="8859"):
    sheet = ["Input Sheet Version = 0.7T", f"Text Code = {code}",
             f"Language Code = {LANG_NAMES[lang]}", f"Album Title = {disc['TITLE']}",
             f"Artist Name = {disc['PERFORMER']}"]
    for n, t in enumerate(tracks, 1):
        sheet += [f"Track {n:02} Title = {t['TITLE']}", f"Track {n:02} Artist = {t['PERFORMER']}"]
    return "\n".join(sheet) + "\n"


def two_cue(disc, tracks, wav):
    lines = [f'{k} "{v}"' for k, v in disc.items()] if disc else []
    lines += [f'FILE "{wav}" WAVE']
    for n in (1, 2):
        lines += [f"  TRACK {n:02} AUDIO"]
        if tracks:
            lines += [f'    {k} "{v}"' for k, v in tracks[n - 1].items()]
        lines += [f"    INDEX 01 {msf((n - 1) * J1)}"]
    return "\n".join(lines) + "\n"


def two_toc(langs, texts, wavs):
    toc = ["CD_DA", "CD_TEXT {", "  LANGUAGE_MAP { " +
           " ".join(f"{i} : {lang}" for i, lang in enumerate(langs)) + " }"]
    for i, lang in enumerate(langs):
        toc += [f"  LANGUAGE {i} {{"]
        if lang == "JA":
            toc += ["    ENCODING_MS_JIS"]
        toc += [f"    {k} {toc_str(v)}" for k, v in texts[lang][0].items()] + ["  }"]
    toc += ["}"]
    for n in (1, 2):
        toc += ["TRACK AUDIO", "CD_TEXT {"]
        for i, lang in enumerate(langs):
            toc += [f"  LANGUAGE {i} {{"]
            toc += [f"    {k} {toc_str(v)}" for k, v in texts[lang][1][n - 1].items()] + ["  }"]
        toc += ["}", f'FILE "{wavs[n - 1]}" 0']
    return "\n".join(toc) + "\n"


write("bil-en.cue", two_cue(*BIL["EN"], "bil.wav"))
write("bil-notext.cue", two_cue(None, None, "bil.wav"))
write("bil-en.v07t", v07t_sheet("EN", *BIL["EN"]), "latin-1")
write("bil-fr.v07t", v07t_sheet("FR", *BIL["FR"]), "latin-1")
write("bil-both.v07t", v07t_sheet("EN", *BIL["EN"]) + v07t_sheet("FR", *BIL["FR"]), "latin-1")
write("bil.toc", two_toc(["EN", "FR"], BIL, ["j1.wav", "j2.wav"]))
shape("bil", "cdrdao-toc", "bil.toc")
shape("bil", "cue+v07t", "bil-en.cue", "--cdtext-v07t", "bil-fr.v07t")
shape("bil", "two-v07t", "bil-notext.cue", "--cdtext-v07t", "bil-en.v07t", "--cdtext-v07t",
      "bil-fr.v07t")
shape("bil", "v07t-two-sheets", "bil-notext.cue", "--cdtext-v07t", "bil-both.v07t")

ENJA = {"EN": ({"TITLE": "Songs of Japan", "PERFORMER": "Taro Yamada"},
               [{"TITLE": "Cherry Blossoms", "PERFORMER": "Taro Yamada"},
                {"TITLE": "Hometown", "PERFORMER": "Hanako Yamada"}]),
        "JA": (JP_DISC, JP_TRACKS)}
write("enja-en.cue", two_cue(*ENJA["EN"], "jp.wav"))
write("enja-ja.v07t", v07t_sheet("JA", *ENJA["JA"], code="MS-JIS"), "cp932")
write("enja.toc", two_toc(["EN", "JA"], ENJA, ["j1.wav", "j2.wav"]))
shape("enja", "cdrdao-toc", "enja.toc")
shape("enja", "cue+v07t", "enja-en.cue", "--cdtext-v07t", "enja-ja.v07t")

# ---------------------------------------------------------------- game disc

EDC_TABLE = []
for i in range(256):
    r = i
    for _ in range(8):
        r = (r >> 1) ^ 0xD8018001 if r & 1 else r >> 1
    EDC_TABLE.append(r)


def edc(data):
    """CRC-32/CD-ROM-EDC: polynomial 8001801Bh reflected, initial value 0."""
    r = 0
    for b in data:
        r = EDC_TABLE[(r ^ b) & 0xFF] ^ (r >> 8)
    return r


# GF(2^8), x^8 + x^4 + x^3 + x^2 + 1, alpha = 2 (ECMA-130 Annex A).
EXP, LOG = [0] * 512, [0] * 256
x = 1
for i in range(255):
    EXP[i] = x
    LOG[x] = i
    x <<= 1
    if x & 0x100:
        x ^= 0x11D
for i in range(255, 512):
    EXP[i] = EXP[i - 255]


def mul(a, b):
    return 0 if a == 0 or b == 0 else EXP[LOG[a] + LOG[b]]


def div(a, b):
    return 0 if a == 0 else EXP[LOG[a] - LOG[b] + 255]


def rs_parity(data):
    """Two parity symbols p0, p1 after the data so that with n = len + 2 the
    codeword c satisfies sum c_i = 0 and sum c_i alpha^(n-1-i) = 0."""
    n = len(data) + 2
    s0 = s1 = 0
    for i, d in enumerate(data):
        s0 ^= d
        s1 ^= mul(d, EXP[n - 1 - i])
    # s0 + p0 + p1 = 0, s1 + p0 alpha + p1 = 0
    p0 = div(s0 ^ s1, 1 ^ 2)
    return p0, s0 ^ p0


def ecc(sector):
    """P then Q parity of a Mode 2 Form 1 sector (header taken as zero)."""
    s = bytearray(sector)
    s[12:16] = bytes(4)
    for plane in (0, 1):
        for col in range(43):  # P: 43 columns of 24 words
            data = [s[12 + 2 * (col + 43 * row) + plane] for row in range(24)]
            p0, p1 = rs_parity(data)
            s[12 + 2 * (col + 43 * 24) + plane] = p0
            s[12 + 2 * (col + 43 * 25) + plane] = p1
        for diag in range(26):  # Q: 26 diagonals of 43 words
            data = [s[12 + 2 * ((44 * m + 43 * diag) % 1118) + plane] for m in range(43)]
            q0, q1 = rs_parity(data)
            s[12 + 2 * (1118 + diag) + plane] = q0
            s[12 + 2 * (1118 + 26 + diag) + plane] = q1
    out = bytearray(sector)
    out[2076:2352] = s[2076:2352]
    return bytes(out)


def bcd(v):
    return (v // 10) << 4 | v % 10


def mode2_form1(lba, data):
    a = lba + 150
    sub = bytes([0, 0, 0x08, 0])  # file, channel, submode: data, coding
    s = b"\x00" + b"\xff" * 10 + b"\x00" + bytes([bcd(a // 4500), bcd(a // 75 % 60), bcd(a % 75), 2])
    s += sub + sub + data
    s += struct.pack("<I", edc(s[16:2072])) + bytes(276)
    assert len(s) == 2352
    return ecc(s)


os.makedirs("iso", exist_ok=True)
open("iso/SYSTEM.CNF", "w").write("BOOT = cdrom:\\SLUS_000.00;1\r\n")
run("genisoimage", "-quiet", "-V", "RAWBURN_PSX", "-o", "game.iso", "iso")
iso = open("game.iso", "rb").read()
D1 = 300  # a data track of 4 s: the ISO, then zero sectors
assert len(iso) % 2048 == 0 and len(iso) // 2048 <= D1
iso = iso.ljust(D1 * 2048, b"\0")
BAD = 20  # LBA whose EDC is wrong on purpose (EDC-based copy protection)
track1 = bytearray()
for lba in range(D1):
    s = bytearray(mode2_form1(lba, iso[lba * 2048:(lba + 1) * 2048]))
    if lba == BAD:
        s[2072] ^= 0x5A
    track1 += s
open("game (Track 1).bin", "wb").write(track1)
A2, A3, PAUSE = 375, 300, 150
tone("g2.wav", A2 / 75, 330)
tone("g3.wav", A3 / 75, 392)
g2, g3 = silence(PAUSE) + pcm("g2.wav"), silence(PAUSE) + pcm("g3.wav")
open("game (Track 2).bin", "wb").write(g2)
open("game (Track 3).bin", "wb").write(g3)
open("game.bin", "wb").write(bytes(track1) + g2 + g3)
write("game-redump.cue", 'FILE "game (Track 1).bin" BINARY\n  TRACK 01 MODE2/2352\n'
      '    INDEX 01 00:00:00\nFILE "game (Track 2).bin" BINARY\n  TRACK 02 AUDIO\n'
      '    INDEX 00 00:00:00\n    INDEX 01 00:02:00\nFILE "game (Track 3).bin" BINARY\n'
      '  TRACK 03 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n')
write("game-single.cue", 'FILE "game.bin" BINARY\n  TRACK 01 MODE2/2352\n'
      '    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n'
      f"    INDEX 00 {msf(D1)}\n    INDEX 01 {msf(D1 + PAUSE)}\n  TRACK 03 AUDIO\n"
      f"    INDEX 00 {msf(D1 + PAUSE + A2)}\n    INDEX 01 {msf(D1 + 2 * PAUSE + A2)}\n")
write("game.toc", 'CD_ROM_XA\n\nTRACK MODE2_RAW\nDATAFILE "game (Track 1).bin"\n\n'
      'TRACK AUDIO\nFILE "game (Track 2).bin" SWAP 0\nSTART 00:02:00\n\n'
      'TRACK AUDIO\nFILE "game (Track 3).bin" SWAP 0\nSTART 00:02:00\n')

# CloneCD: the .img from LBA 0, the .sub written here from the Red Book Q
# layout as docs/image-format.md describes it (pause: P on, relative time
# counting down to 0 on its last sector).


def crc16(data):
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) if c & 0x8000 else c << 1
            c &= 0xFFFF
    return bytes([(~c >> 8) & 0xFF, ~c & 0xFF])


def qmsf(frames):
    return bytes([bcd(frames // 4500), bcd(frames // 75 % 60), bcd(frames % 75)])


open("game.img", "wb").write(bytes(track1) + g2 + g3)
s2, s3 = D1 + PAUSE, D1 + 2 * PAUSE + A2
leadout = s3 + A3
with open("game.sub", "wb") as f:
    for lba in range(leadout):
        if lba < D1:
            ctl, tno, idx, rel, p = 4, 1, 1, lba, 0
        elif lba < s2:
            ctl, tno, idx, rel, p = 0, 2, 0, s2 - 1 - lba, 0xFF
        elif lba < s2 + A2:
            ctl, tno, idx, rel, p = 0, 2, 1, lba - s2, 0
        elif lba < s3:
            ctl, tno, idx, rel, p = 0, 3, 0, s3 - 1 - lba, 0xFF
        else:
            ctl, tno, idx, rel, p = 0, 3, 1, lba - s3, 0
        q = bytes([ctl << 4 | 1, bcd(tno), bcd(idx)]) + qmsf(rel) + b"\0" + qmsf(lba + 150)
        f.write(bytes([p] * 12) + q + crc16(q) + bytes(72))
with open("game.ccd", "w") as f:
    f.write("[CloneCD]\nVersion=3\n[Disc]\nTocEntries=6\nSessions=1\nDataTracksScrambled=0\n"
            "CDTextLength=0\n[Session 1]\nPreGapMode=2\nPreGapSubC=0\n")
    def pm(lba): return ((lba + 150) // 4500, (lba + 150) // 75 % 60, (lba + 150) % 75)
    entries = [(0xA0, 4, (1, 0x20, 0)), (0xA1, 0, (3, 0, 0)), (0xA2, 0, pm(leadout)),
               (1, 4, pm(0)), (2, 0, pm(s2)), (3, 0, pm(s3))]
    for n, (point, ctl, (m, s, fr)) in enumerate(entries):
        f.write(f"[Entry {n}]\nSession=1\nPoint=0x{point:02x}\nADR=0x01\nControl=0x{ctl:02x}\n"
                f"TrackNo=0\nAMin=0\nASec=0\nAFrame=0\nALBA=-150\nZero=0\nPMin={m}\nPSec={s}\n"
                f"PFrame={fr}\nPLBA={(m * 60 + s) * 75 + fr - 150}\n")
    f.write(f"[TRACK 1]\nMODE=2\nINDEX 1=0\n[TRACK 2]\nMODE=0\nINDEX 0={D1}\nINDEX 1={s2}\n"
            f"[TRACK 3]\nMODE=0\nINDEX 0={s2 + A2}\nINDEX 1={s3}\n")
shape("game", "redump-cue", "game-redump.cue")
shape("game", "single-bin-cue", "game-single.cue")
shape("game", "cdrdao-toc", "game.toc")
shape("game", "clonecd", "game.ccd")

with open("shapes.txt", "w") as f:
    f.write("\n".join(shapes) + "\n")
# What the tests check the images against: per disc the tracks (LBA of
# index 1, pause, length, mode, control, ISRC, index 2), lead-out, MCN and the
# CD-Text per block as the sheets give it.


def tracks(*t):
    return [dict(zip(("start", "pause", "length", "mode", "control", "isrc", "index2"), x))
            for x in t]


def block(language, charset, disc, tracks_text, genre=None):
    return {"language": language, "charset": charset, "disc": disc, "tracks": tracks_text,
            "genre": genre}


album_disc = dict(TEXT_DISC, UPC_EAN=UPC)
facts = {
    "album": {"tracks": tracks((0, 150, T1, "audio", 0, ISRC1, None),
                               (T1 + G2, G2, T2, "audio", 1, None, None),
                               (T1 + G2 + T2 + G3, G3, T3, "audio", 0, None,
                                T1 + G2 + T2 + G3 + 75)),
              "leadout": T1 + G2 + T2 + G3 + T3, "mcn": MCN,
              "cdtext": [block(9, "ISO-8859-1", album_disc, TEXT_TRACKS, [0x17, GENRE])]},
    "jp": {"tracks": tracks((0, 150, J1, "audio", 0, None, None),
                            (J1, 0, J2, "audio", 0, None, None)),
           "leadout": J1 + J2, "mcn": None,
           "cdtext": [block(0x69, "MS-JIS", JP_DISC, JP_TRACKS)]},
    "bil": {"tracks": tracks((0, 150, J1, "audio", 0, None, None),
                             (J1, 0, J2, "audio", 0, None, None)),
            "leadout": J1 + J2, "mcn": None,
            "cdtext": [block(9, "ISO-8859-1", *BIL["EN"]), block(0x0F, "ISO-8859-1", *BIL["FR"])]},
    "enja": {"tracks": tracks((0, 150, J1, "audio", 0, None, None),
                              (J1, 0, J2, "audio", 0, None, None)),
             "leadout": J1 + J2, "mcn": None,
             "cdtext": [block(9, "ISO-8859-1", *ENJA["EN"]), block(0x69, "MS-JIS", *ENJA["JA"])]},
    "game": {"tracks": tracks((0, 150, D1, "mode2", 4, None, None),
                              (s2, PAUSE, A2, "audio", 0, None, None),
                              (s3, PAUSE, A3, "audio", 0, None, None)),
             "leadout": leadout, "mcn": None, "cdtext": [], "bad_edc_lba": BAD,
             "data_track": "game (Track 1).bin"},
}
with open("facts.json", "w") as f:
    json.dump(facts, f, ensure_ascii=False, indent=1)
