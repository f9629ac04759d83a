#!/usr/bin/python3
"""An independent reader of raw DAO-96 images for the tests (written from
the standards and docs/image-format.md, sharing no code with librawburn):
sectors, the Q of each, the CD-Text packs of the lead-in with their CRC
checked, the packs decoded to text, data sectors descrambled.

    python3 discimage.py cdtext IMAGE      # prints the CD-Text as JSON
"""
import json
import sys

SECTOR = 2448
FIRST_LBA = -22650


class Image:
    def __init__(self, path):
        self.f = open(path, "rb")
        self.f.seek(0, 2)
        self.sectors = self.f.tell() // SECTOR

    def sector(self, lba):
        self.f.seek((lba - FIRST_LBA) * SECTOR)
        return self.f.read(SECTOR)

    def main(self, lba):
        return self.sector(lba)[:2352]


def q_of(sector):
    q = bytearray(12)
    for n in range(96):
        if sector[2352 + n] >> 6 & 1:
            q[n // 8] |= 0x80 >> (n % 8)
    return bytes(q)


def crc16(data):
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) if c & 0x8000 else c << 1
            c &= 0xFFFF
    return bytes([(~c >> 8) & 0xFF, ~c & 0xFF])


def packs_of(sector):
    """The four 18-byte packs of a lead-in sector's R-W (6 bits a byte,
    no interleave)."""
    sym = [b & 0x3F for b in sector[2352:]]
    data = bytearray()
    for i in range(0, 96, 4):
        v = sym[i] << 18 | sym[i + 1] << 12 | sym[i + 2] << 6 | sym[i + 3]
        data += bytes([v >> 16, v >> 8 & 255, v & 255])
    return [bytes(data[18 * k:18 * k + 18]) for k in range(4)]


def leadin_packs(img):
    """Every distinct pack of the lead-in by (block, sequence number); the
    count of packs whose CRC is wrong."""
    packs, bad, seen = {}, 0, 0
    for lba in range(FIRST_LBA, -150):
        for p in packs_of(img.sector(lba)):
            if p[0] < 0x80:
                continue
            seen += 1
            if crc16(p[:16]) != p[16:]:
                bad += 1
                continue
            key = (p[3] >> 4 & 7, p[2])
            if key in packs and packs[key] != p:
                raise SystemExit(f"two different packs with block/sequence {key}")
            packs[key] = p
    return packs, bad, seen


FIELDS = {0x80: "TITLE", 0x81: "PERFORMER", 0x82: "SONGWRITER", 0x83: "COMPOSER",
          0x84: "ARRANGER", 0x85: "MESSAGE", 0x86: "DISC_ID", 0x8E: "UPC_EAN"}
CHARSETS = {0x00: "latin-1", 0x01: "ascii", 0x80: "cp932"}


def decode(packs):
    """{block: {"language", "charset", "genre", "text": {field: [disc, t1, …]}}}"""
    out = {}
    for blk in sorted({k[0] for k in packs}):
        ps = [packs[k] for k in sorted(packs) if k[0] == blk]
        size = b"".join(p[4:16] for p in ps if p[0] == 0x8F)
        if len(size) != 36:
            raise SystemExit(f"block {blk}: {len(size) // 12} size information packs")
        charset, first, last = size[0], size[1], size[2]
        b = {"language": size[28 + blk], "charset": charset, "first": first, "last": last,
             "genre": None, "text": {}, "counts": list(size[4:20]), "last_seq": list(size[20:28])}
        for t in sorted({p[0] for p in ps}):
            tp = [p for p in ps if p[0] == t]
            b["counts_seen"] = b.get("counts_seen", {})
            b["counts_seen"][t] = len(tp)
            stream = b"".join(p[4:16] for p in tp)
            if t == 0x87:
                b["genre"] = [stream[0] << 8 | stream[1], stream[2:].split(b"\0")[0].decode()]
                continue
            if t not in FIELDS:
                continue
            dbcc = tp[0][3] & 0x80
            width = 2 if dbcc else 1
            recs, cur, i = [], b"", 0
            while i + width <= len(stream):
                ch = stream[i:i + width]
                i += width
                if ch == b"\0" * width:
                    recs.append(cur)
                    cur = b""
                else:
                    cur += ch
            enc = "ascii" if t in (0x86, 0x8E) else CHARSETS[0x80 if dbcc else charset]
            texts = []
            for r in recs[:1 + last - first + 1]:
                if r == (b"\t\t" if dbcc else b"\t") and texts:  # TAB: the previous
                    texts.append(texts[-1])
                else:
                    texts.append(r.decode(enc))
            b["text"][FIELDS[t]] = texts
        out[blk] = b
    return out


def _scramble_table():
    """ECMA-130 Annex B: the 15-bit LFSR x^15 + x + 1, seed 1, LSB first."""
    out, reg = bytearray(), 1
    for _ in range(12, 2352):
        byte = 0
        for bit in range(8):
            byte |= (reg & 1) << bit
            fb = (reg ^ (reg >> 1)) & 1
            reg = (reg >> 1) | (fb << 14)
        out.append(byte)
    return bytes(out)


SCRAMBLE = _scramble_table()


def descramble(sector):
    """Bytes 12..2351 XOR the sequence (scrambling is its own inverse)."""
    body = int.from_bytes(sector[12:2352], "little") ^ int.from_bytes(SCRAMBLE, "little")
    return sector[:12] + body.to_bytes(2340, "little") + sector[2352:]


if __name__ == "__main__" and sys.argv[1] == "cdtext":
    img = Image(sys.argv[2])
    packs, bad, seen = leadin_packs(img)
    print(json.dumps({"bad_crc": bad, "seen": seen, "packs": len(packs),
                      "blocks": decode(packs)}, ensure_ascii=False))
