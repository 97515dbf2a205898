#!/usr/bin/env python3
"""Compares the tiny pipeline of scripts/gpu/check.sh run on a device with the same run on `cpu`; prints Markdown.

  compare.py losses CPU_METRICS_CSV DEVICE_METRICS_CSV COLUMN...   exit 1 if any value is outside the tolerance
  compare.py samples CPU_DIR DEVICE_DIR                            per-sample pixel differences (reported, exit 0)

Loss tolerance: |device - cpu| <= ATOL + RTOL * |cpu| per epoch and column. A handful of AdamW steps from the same seed
and data differ only by float summation order (different kernels), which stays far inside 2 %; a broken kernel does not.
Samples: `ilgpuvq sample` writes images, not codes, so equal codes are inferred from the decoded pixels: the same code map
decoded by two backends differs by at most a rounding step of the 8-bit PNG (max |diff| <= 2 of 255); a different code
anywhere changes a whole patch of pixels. Python standard library only (the GPU machine has no extra packages).
"""
import csv
import os
import struct
import sys
import zlib

ATOL = 1e-3
RTOL = 2e-2
SAME_PIXELS = 2


def losses(cpu_csv, dev_csv, columns):
    cpu, dev = read_csv(cpu_csv), read_csv(dev_csv)
    print(f"tolerance |device - cpu| <= {ATOL:g} + {RTOL:g}·|cpu|\n")
    print("| epoch | step | value | cpu | device | abs diff | within |")
    print("|---|---|---|---|---|---|---|")
    bad = 0
    if len(cpu) != len(dev):
        print(f"\nepochs differ: cpu {len(cpu)}, device {len(dev)}")
        bad += 1
    for c_row, d_row in zip(cpu, dev):
        for col in columns:
            c, d = float(c_row[col]), float(d_row[col])
            diff = abs(d - c)
            ok = diff <= ATOL + RTOL * abs(c)
            bad += not ok
            print(f"| {c_row['epoch']} | {c_row['step']} | {col} | {c:.6g} | {d:.6g} | {diff:.2e} | {'yes' if ok else '**NO**'} |")
    print()
    return 1 if bad else 0


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def samples(cpu_dir, dev_dir):
    names = sorted(n for n in os.listdir(cpu_dir) if n.endswith(".png"))
    print(f"equal codes inferred when max |pixel diff| <= {SAME_PIXELS} of 255\n")
    print("| sample | max abs diff | pixels differing by > 2 | codes |")
    print("|---|---|---|---|")
    same = 0
    for name in names:
        other = os.path.join(dev_dir, name)
        if not os.path.exists(other):
            print(f"| {name} | missing on device | | differ |")
            continue
        a, b = read_png(os.path.join(cpu_dir, name)), read_png(other)
        if len(a) != len(b):
            print(f"| {name} | sizes differ | | differ |")
            continue
        diffs = [abs(x - y) for x, y in zip(a, b)]
        worst = max(diffs) if diffs else 0
        far = sum(d > SAME_PIXELS for d in diffs)
        equal = worst <= SAME_PIXELS
        same += equal
        print(f"| {name} | {worst} | {far} of {len(diffs)} | {'equal' if equal else 'differ'} |")
    print(f"\n{same} of {len(names)} samples with equal codes\n")
    return same, len(names)


def read_png(path):
    """Samples of an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA) as one flat list of ints."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (bit depth {depth}, colour type {color}, interlace {interlace})")
    raw, stride, out, prev = zlib.decompress(idat), width * channels, [], [0] * (width * channels)
    for y in range(height):
        row = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        line = unfilter(row[0], list(row[1:]), prev, channels)
        out.extend(line)
        prev = line
    return out


def unfilter(kind, line, prev, bpp):
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "losses":
        sys.exit(losses(sys.argv[2], sys.argv[3], sys.argv[4:]))
    if len(sys.argv) == 4 and sys.argv[1] == "samples":
        samples(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(__doc__)
