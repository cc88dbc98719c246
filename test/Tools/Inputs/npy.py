#!/usr/bin/env python3
"""Minimal .npy tool for tests, without NumPy.

  npy.py random SHAPE SEED OUT.npy   write float32 values in [-1, 1)
  npy.py compare A.npy B.npy TOL     exit 1 unless the arrays have the same
                                     shape and |a - b| <= TOL * max(1, |b|)
  npy.py write DESCR FORTRAN SHAPE OUT.npy [COUNT]
                                     write a header with any dtype/order and
                                     COUNT float32 zeros (for error tests)
"""
import ast
import random
import struct
import sys


def header(descr, fortran, shape):
    text = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
        descr, "True" if fortran else "False",
        "".join("%d, " % d for d in shape))
    while (10 + len(text) + 1) % 64:
        text += " "
    text += "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x93NUMPY\x01\x00", path + ": not a version 1.0 .npy"
    length = struct.unpack("<H", data[8:10])[0]
    meta = ast.literal_eval(data[10:10 + length].decode())
    assert meta["descr"] == "<f4" and not meta["fortran_order"], path
    count = 1
    for d in meta["shape"]:
        count *= d
    values = struct.unpack("<%df" % count, data[10 + length:10 + length + 4 * count])
    return tuple(meta["shape"]), values


def main(argv):
    if argv[1] == "random":
        shape = [int(d) for d in argv[2].split("x")]
        rng = random.Random(int(argv[3]))
        count = 1
        for d in shape:
            count *= d
        values = [rng.uniform(-1.0, 1.0) for _ in range(count)]
        with open(argv[4], "wb") as f:
            f.write(header("<f4", False, shape))
            f.write(struct.pack("<%df" % count, *values))
        return 0
    if argv[1] == "compare":
        shape_a, a = read(argv[2])
        shape_b, b = read(argv[3])
        tolerance = float(argv[4])
        if shape_a != shape_b:
            print("shapes differ: %s vs %s" % (shape_a, shape_b))
            return 1
        worst = max((abs(x - y) / max(1.0, abs(y)) for x, y in zip(a, b)),
                    default=0.0)
        print("%d values, max rel error %.3g" % (len(a), worst))
        return 0 if worst <= tolerance else 1
    if argv[1] == "write":
        shape = [int(d) for d in argv[4].split("x")] if argv[4] else []
        count = int(argv[6]) if len(argv) > 6 else 0
        with open(argv[5], "wb") as f:
            f.write(header(argv[2], argv[3] == "1", shape))
            f.write(b"\0" * 4 * count)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
