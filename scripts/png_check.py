"""Decodes PNG files with the standard library only (zlib) and reports whether each is a
valid, non-uniform image. Used by scripts/check-report.sh: a report page that renders blank,
or a plot file that is truncated or a single flat colour, must fail the check.

Usage: png_check.py FILE...   (exit 0 all good, 1 otherwise; one line per file)
"""

import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def decode(path):
    """Returns (width, height, bytes per pixel, list of unfiltered rows)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG (bad signature)")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        raise ValueError("missing IHDR or IDAT")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or interlace != 0 or colour not in CHANNELS:
        # Only what plotters and Chromium write is decoded; anything else is only checked
        # for a valid header and compressed stream.
        zlib.decompress(b"".join(idat))
        return width, height, 0, []
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError("pixel data has the wrong size")
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:
            row = bytearray((a + b) & 255 for a, b in zip(row, prev))
        elif f == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 255
        elif f != 0:
            raise ValueError(f"bad filter type {f} in row {y}")
        rows.append(bytes(row))
        prev = row
    return width, height, bpp, rows


def check(path):
    width, height, bpp, rows = decode(path)
    if width == 0 or height == 0:
        return f"empty image {width}x{height}"
    if not rows:
        return None
    first = rows[0][:bpp]
    # Fraction of rows that are not one flat colour equal to the top-left pixel.
    busy = sum(1 for r in rows if r != first * width)
    if busy == 0:
        return f"uniform image ({width}x{height}, every pixel {first.hex()})"
    return None


def main():
    bad = 0
    for path in sys.argv[1:]:
        try:
            problem = check(path)
        except (OSError, ValueError, zlib.error) as e:
            problem = str(e)
        if problem:
            bad += 1
            print(f"FAIL {path}: {problem}")
        else:
            print(f"ok   {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
