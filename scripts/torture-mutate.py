#!/usr/bin/env python3
"""Hostile image files for scripts/torture.sh, made from valid samples by byte mutations.

    torture-mutate.py SEED OUT-DIR COUNT SAMPLE...

Writes COUNT files into OUT-DIR, named NN-KIND-SAMPLE (the sample's extension kept, so that
the name says what the bytes claim to be). The same SEED and samples give the same files:
a failing round can be made again from the seed torture.sh prints.
"""
import os
import random
import struct
import sys
import zlib

SIGNATURES = {
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "gif": b"GIF89a",
    "webp": b"RIFF\x00\x10\x00\x00WEBPVP8 ",
    "tiff-le": b"II*\x00\x08\x00\x00\x00",
    "tiff-be": b"MM\x00*\x00\x00\x00\x08",
    "bmp": b"BM",
    "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp", "tiff-le": "tif",
              "tiff-be": "tif", "bmp": "bmp", "heic": "heic"}


def truncate(rng, data):
    return data[:rng.randrange(1, max(2, len(data)))]


def flip(rng, data, header_only=False):
    out = bytearray(data)
    span = min(len(out), 512) if header_only else len(out)
    for _ in range(rng.randint(1, 24)):
        out[rng.randrange(span)] ^= 1 << rng.randrange(8)
    return bytes(out)


def splice(rng, data, other):
    return data[:rng.randrange(1, len(data))] + other[rng.randrange(len(other)):]


def huge(rng):
    return rng.choice([0, 1, 0x7FFF, 0xFFFF, 0x10000, 1_000_000, 0x7FFFFFFF, 0xFFFFFFFF])


def bomb(rng, data):
    """Huge (or zero) dimensions patched into the header, checksums kept valid where there are."""
    out = bytearray(data)
    w, h = huge(rng), huge(rng)
    if out.startswith(b"\x89PNG") and out[12:16] == b"IHDR":
        struct.pack_into(">II", out, 16, w, h)
        struct.pack_into(">I", out, 29, zlib.crc32(bytes(out[12:29])))
    elif out.startswith(b"GIF8"):
        struct.pack_into("<HH", out, 6, w & 0xFFFF, h & 0xFFFF)
        i = 13 + (3 << ((out[10] & 7) + 1) if out[10] & 0x80 else 0)
        while i < len(out) and out[i] == 0x21:  # extensions: label, then sub-blocks
            i += 2
            while i < len(out) and out[i]:
                i += out[i] + 1
            i += 1
        if i + 9 < len(out) and out[i] == 0x2C:
            struct.pack_into("<HH", out, i + 5, w & 0xFFFF, h & 0xFFFF)
    elif out.startswith(b"BM") and len(out) > 26:
        struct.pack_into("<ii", out, 18, w & 0x7FFFFFFF, -(h & 0x7FFFFFFF) if rng.random() < 0.5 else h & 0x7FFFFFFF)
    elif out.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(out) and out[i] == 0xFF:
            marker, length = out[i + 1], struct.unpack_from(">H", out, i + 2)[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                struct.pack_into(">HH", out, i + 5, h & 0xFFFF, w & 0xFFFF)
                break
            i += 2 + length
    elif out.startswith(b"RIFF") and out[8:12] == b"WEBP":
        j = out.find(b"\x9d\x01\x2a")
        if j > 0 and j + 7 <= len(out):
            struct.pack_into("<HH", out, j + 3, w & 0x3FFF, h & 0x3FFF)
        j = out.find(b"VP8X")
        if j > 0 and j + 18 <= len(out):
            out[j + 12:j + 15] = ((w - 1) & 0xFFFFFF).to_bytes(3, "little")
            out[j + 15:j + 18] = ((h - 1) & 0xFFFFFF).to_bytes(3, "little")
        j = out.find(b"VP8L")
        if j > 0 and j + 13 <= len(out):
            # After the 0x2f signature: 14 bits of width - 1, 14 of height - 1, alpha, version.
            bits = struct.unpack_from("<I", out, j + 9)[0]
            struct.pack_into("<I", out, j + 9, (bits & 0xF0000000) | ((h - 1) & 0x3FFF) << 14 | (w - 1) & 0x3FFF)
    elif out[:4] in (b"II*\x00", b"MM\x00*"):
        e = "<" if out[0] == 0x49 else ">"
        ifd = struct.unpack_from(e + "I", out, 4)[0]
        if ifd + 2 <= len(out):
            n = struct.unpack_from(e + "H", out, ifd)[0]
            for k in range(n):
                at = ifd + 2 + 12 * k
                if at + 12 > len(out):
                    break
                tag = struct.unpack_from(e + "H", out, at)[0]
                if tag in (256, 257):
                    struct.pack_into(e + "HHII", out, at, tag, 4, 1, w if tag == 256 else h)
    else:  # HEIF: every image spatial extent ('ispe': version and flags, width, height)
        j = out.find(b"ispe")
        while j > 0 and j + 16 <= len(out):
            struct.pack_into(">II", out, j + 8, w, h)
            j = out.find(b"ispe", j + 4)
    return bytes(out)


def main():
    seed, folder, count, samples = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    blobs = {path: open(path, "rb").read() for path in samples}
    kinds = ["truncated", "flipped", "header-flipped", "garbage", "zero", "bomb", "spliced", "bomb-truncated"]
    for n in range(count):
        path = rng.choice(samples)
        data, kind = blobs[path], rng.choice(kinds)
        name = os.path.basename(path)
        if kind == "truncated":
            data = truncate(rng, data)
        elif kind == "flipped":
            data = flip(rng, data)
        elif kind == "header-flipped":
            data = flip(rng, data, header_only=True)
        elif kind == "garbage":
            sig = rng.choice(sorted(SIGNATURES))
            data, name = SIGNATURES[sig] + rng.randbytes(rng.choice([0, 1, 7, 100, 4096, 65536])), "random." + EXTENSIONS[sig]
        elif kind == "zero":
            data = b""
        elif kind == "bomb":
            data = bomb(rng, data)
        elif kind == "spliced":
            data = splice(rng, data, blobs[rng.choice(samples)])
        else:
            data = truncate(rng, bomb(rng, data))
        with open(os.path.join(folder, "%02d-%s-%s" % (n, kind, name)), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
