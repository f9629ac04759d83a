#!/usr/bin/python3
"""Writes a CloneCD image set (clone.ccd, clone.img, clone.sub) in the current
directory from a.pcm (track 1) and c.pcm (track 2, after a 2 s pause), with
the subchannel written here from the Red Book Q layout, R-W filled with a
pattern, and the Q CRC of LBA 100 broken on purpose. Environment: A and C,
the two tracks' lengths in sectors."""
import os
A, C = int(os.environ["A"]), int(os.environ["C"])
def bcd(v): return (v // 10) << 4 | v % 10
def msf(f): return bytes([bcd(f // 4500), bcd(f // 75 % 60), bcd(f % 75)])
def crc(data):
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) if c & 0x8000 else c << 1
            c &= 0xFFFF
    return bytes([(~c >> 8) & 0xFF, ~c & 0xFF])
img = open("a.pcm", "rb").read().ljust(A * 2352, b"\0") + bytes(150 * 2352) + \
      open("c.pcm", "rb").read().ljust(C * 2352, b"\0")
open("clone.img", "wb").write(img)
t2 = A + 150
with open("clone.sub", "wb") as f:
    for lba in range(A + 150 + C):
        if lba < A: tno, idx, rel, p = 1, 1, lba, 0
        elif lba < t2: tno, idx, rel, p = 2, 0, t2 - 1 - lba, 0xFF
        else: tno, idx, rel, p = 2, 1, lba - t2, 0
        q = bytes([0x01, bcd(tno), bcd(idx)]) + msf(rel) + b"\0" + msf(lba + 150)
        q += crc(q)
        if lba == 100: q = q[:10] + bytes([q[10] ^ 0xFF, q[11]])
        rw = bytes((lba * 7 + i) & 0x3F for i in range(72))
        f.write(bytes([p] * 12) + q + rw)
with open("clone.ccd", "w") as f:
    f.write("[CloneCD]\nVersion=3\n[Disc]\nTocEntries=5\nSessions=1\nDataTracksScrambled=0\n"
            "CDTextLength=0\n[Session 1]\nPreGapMode=0\nPreGapSubC=0\n")
    # As CloneCD writes them: A0 PMin = first track, PSec = disc type; A1
    # PMin = last track; A2 and the tracks: the address, PLBA = MSF - 150.
    def pmsf(lba): return ((lba + 150) // 4500, (lba + 150) // 75 % 60, (lba + 150) % 75)
    for n, (point, pm, plba) in enumerate(((0xa0, (1, 0, 0), None), (0xa1, (2, 0, 0), None),
                                           (0xa2, pmsf(A + 150 + C), A + 150 + C),
                                           (1, pmsf(0), 0), (2, pmsf(t2), t2))):
        if plba is None:
            plba = (pm[0] * 60 + pm[1]) * 75 + pm[2] - 150
        f.write(f"[Entry {n}]\nSession=1\nPoint=0x{point:02x}\nADR=0x01\nControl=0x00\n"
                f"TrackNo=0\nAMin=0\nASec=0\nAFrame=0\nALBA=-150\nZero=0\nPMin={pm[0]}\n"
                f"PSec={pm[1]}\nPFrame={pm[2]}\nPLBA={plba}\n")
    f.write(f"[TRACK 1]\nMODE=0\nINDEX 1=0\n[TRACK 2]\nMODE=0\nINDEX 0={A}\nINDEX 1={t2}\n")
