#!/usr/bin/env python3
"""Writes the bad inputs of test/Tools/bad-inputs.test into a directory.

  bad_inputs.py OUTDIR

Without NumPy. Every file is named after its class (docs/Robustness.md has
the table): each <class>.npy is used both as --input of the network
good.yaml (1x4x4x1) and as the weights of w-<class>.yaml, whose conv layer
needs 2x3x3x1; each <class>.safetensors as the weights_file of
st-<class>.yaml, whose conv layer reads its 'conv1.weight' (2x3x3x1).
"""
import json
import math
import os
import struct
import sys

CONV_SHAPE = (2, 3, 3, 1)
INPUT_SHAPE = (1, 4, 4, 1)


def npy_header(descr="<f4", fortran=False, shape=CONV_SHAPE, version=1,
               text=None):
    if text is None:
        text = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
            descr, "True" if fortran else "False",
            "".join("%d, " % d for d in shape))
    preamble = 10 if version == 1 else 12
    while (preamble + len(text) + 1) % 64:
        text += " "
    text += "\n"
    length = struct.pack("<H" if version == 1 else "<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text.encode()


def count(shape):
    result = 1
    for d in shape:
        result *= d
    return result


def floats(values, fmt="<f"):
    return b"".join(struct.pack(fmt, v) for v in values)


def ramp(shape):
    return [((i * 7) % 11 - 5) / 8.0 for i in range(count(shape))]


def safetensors(tensors, raw_header=None):
    """tensors: name -> (dtype, shape, bytes)."""
    header, data = {}, b""
    for name, (dtype, shape, payload) in sorted(tensors.items()):
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = raw_header if raw_header is not None else json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def write(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main(directory):
    os.makedirs(directory, exist_ok=True)
    good_conv = floats(ramp(CONV_SHAPE))
    good_input = floats(ramp(INPUT_SHAPE))

    # Networks.
    write(directory, "good.yaml",
          b"input: {size: 4, depth: 1}\n"
          b"layers:\n  - {type: conv, name: conv1, filters: 2, size: 3}\n")
    write(directory, "truncated.yaml",
          b"input: {size: 4, depth: 1}\nlayers:\n  - {type: conv, name: c")
    write(directory, "empty.yaml", b"")
    write(directory, "garbage.mlir", b"\x00\xff\x13 this is not MLIR {{{\n")
    write(directory, "truncated.mlir",
          b"func.func @net(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {\n"
          b"  %0 = cnn.relu %x : (tensor<1x4x4x1xf32>) -> tensor<1x4x")
    # Brackets nested 10000 deep: MLIR's recursive parser would overflow
    # the stack.
    write(directory, "deep.mlir",
          b"func.func @net(%x: tensor<1xf32>) -> tensor<1xf32> {\n"
          b"  %0 = cnn.relu %x {a = " + b"[" * 10000 + b"]" * 10000 +
          b"} : (tensor<1xf32>) -> tensor<1xf32>\n"
          b"  return %0 : tensor<1xf32>\n}\n")
    # 17 MiB of spaces: a valid YAML document, but not a plausible spec.
    with open(os.path.join(directory, "huge.yaml"), "wb") as f:
        f.truncate(17 << 20)

    # .npy files (the spec nets/<name>.yaml reads <name>.npy as weights).
    npys = {
        "good": npy_header() + good_conv,
        "truncated-data": npy_header() + good_conv[:-5],
        "truncated-preamble": b"\x93NUMPY\x01",
        "corrupt-magic": b"\x89PNG\r\n\x1a\n" + good_conv,
        "corrupt-header": npy_header(text="{'descr': '<f4', 'shape': [2, 3]}")
                          + good_conv,
        "float64": npy_header("<f8") + floats(ramp(CONV_SHAPE), "<d"),
        "int32": npy_header("<i4") + b"\0" * 4 * count(CONV_SHAPE),
        "big-endian": npy_header(">f4") + floats(ramp(CONV_SHAPE), ">f"),
        "fortran": npy_header(fortran=True) + good_conv,
        "wrong-shape": npy_header(shape=(3, 3)) + floats(ramp((3, 3))),
        "nan": npy_header() + floats([math.nan] + ramp(CONV_SHAPE)[1:]),
        "inf": npy_header() + floats([math.inf] + ramp(CONV_SHAPE)[1:]),
        "empty": b"",
        # Version 2.0 with a header length of 4 GiB - 16 bytes.
        "huge-header": b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0)
                       + b"{'descr': '<f4', " + b" " * 64,
    }
    for name, data in npys.items():
        write(directory, name + ".npy", data)
        write(directory, "w-" + name + ".yaml",
              b"input: {size: 4, depth: 1}\nlayers:\n"
              b"  - {type: conv, name: conv1, filters: 2, size: 3, "
              b"bias: false, weights: " + name.encode() + b".npy}\n")
    # Inputs of good.yaml: the same classes, in the input's shape.
    write(directory, "input-good.npy",
          npy_header(shape=INPUT_SHAPE) + good_input)
    write(directory, "input-nan.npy", npy_header(shape=INPUT_SHAPE)
          + floats([math.nan] + ramp(INPUT_SHAPE)[1:]))

    # .safetensors files (the spec st-<name>.yaml uses <name>.safetensors).
    conv = ("F32", CONV_SHAPE, good_conv)
    sts = {
        "good": safetensors({"conv1.weight": conv}),
        "truncated": safetensors({"conv1.weight": conv})[:-10],
        "truncated-length": b"\x10\x00\x00",
        "corrupt-json": safetensors({}, raw_header=b'{"conv1.weight": {"dtype": "F32", '),
        "overlapping": safetensors({}, raw_header=json.dumps({
            "conv1.weight": {"dtype": "F32", "shape": [2, 3, 3, 1],
                             "data_offsets": [0, 72]},
            "other": {"dtype": "F32", "shape": [2], "data_offsets": [64, 72]},
        }).encode()) + good_conv,
        "float16": safetensors({"conv1.weight": ("F16", CONV_SHAPE,
                                                 b"\0" * 2 * count(CONV_SHAPE))}),
        "wrong-shape": safetensors({"conv1.weight": ("F32", (3, 3),
                                                     floats(ramp((3, 3))))}),
        "nan": safetensors({"conv1.weight": ("F32", CONV_SHAPE, floats(
            [math.nan] + ramp(CONV_SHAPE)[1:]))}),
        "empty": b"",
        # A header length of 1 TiB.
        "huge-header": struct.pack("<Q", 1 << 40) + b"{}      ",
        "npy-instead": npy_header() + good_conv,
    }
    for name, data in sts.items():
        write(directory, name + ".safetensors", data)
        write(directory, "st-" + name + ".yaml",
              b"input: {size: 4, depth: 1}\nweights_file: " + name.encode()
              + b".safetensors\nlayers:\n"
              b"  - {type: conv, name: conv1, filters: 2, size: 3, "
              b"bias: false}\n")

    # Specs naming files that are not there, or directories, or devices
    # (zero.npy is /dev/zero: endless).
    if not os.path.lexists(os.path.join(directory, "zero.npy")):
        os.symlink("/dev/zero", os.path.join(directory, "zero.npy"))
    os.makedirs(os.path.join(directory, "dir.npy"), exist_ok=True)
    os.makedirs(os.path.join(directory, "dir.safetensors"), exist_ok=True)
    for name, weights in [("missing", b"weights: missing.npy"),
                          ("dir", b"weights: dir.npy"),
                          ("device", b"weights: zero.npy")]:
        write(directory, "w-" + name + ".yaml",
              b"input: {size: 4, depth: 1}\nlayers:\n"
              b"  - {type: conv, name: conv1, filters: 2, size: 3, "
              b"bias: false, " + weights + b"}\n")
    for name, path in [("missing", b"missing.safetensors"),
                       ("dir", b"dir.safetensors"), ("device", b"/dev/zero")]:
        write(directory, "st-" + name + ".yaml",
              b"input: {size: 4, depth: 1}\nweights_file: " + path
              + b"\nlayers:\n  - {type: conv, name: conv1, filters: 2, "
              b"size: 3, bias: false}\n")

    # Resource limits: thousands of layers; absurd dimensions.
    write(directory, "many-layers.yaml",
          b"input: {size: 4, depth: 1}\nlayers:\n"
          + b"  - {type: relu}\n" * 5000)
    write(directory, "absurd.yaml",
          b"input: {height: 100000, width: 100000, depth: 3}\nlayers:\n"
          b"  - {type: conv, filters: 64, size: 3}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
