#!/usr/bin/env python3
"""Real NumPy on both sides of convforge-run's .npy files (npy-numpy.test).

  npy_numpy.py require                 exit 1 with a clear message unless
                                       NumPy imports
  npy_numpy.py save SHAPE SEED OUT.npy [float32|float64|fortran]
                                       np.save standard-normal values
  npy_numpy.py check OUT.npy SHAPE PRINTED.txt
                                       np.load a --output, check its dtype and
                                       shape, and np.allclose its first values
                                       with the ones convforge-run printed
  npy_numpy.py conv-net DIR SEED       write DIR/net.yaml, a conv layer (and a
                                       ReLU) whose weights and biases are
                                       np.save'd .npy files, and DIR/x.npy
  npy_numpy.py conv-check DIR OUT.npy  compare OUT.npy with that network
                                       computed by NumPy in float64
"""
import sys

try:
    import numpy as np
except ImportError as error:
    sys.exit("npy-numpy.test needs NumPy for %s (%s): install python3-numpy "
             "(scripts/test.sh does)" % (sys.executable, error))

STRIDE, PAD = 2, 1


def parse_shape(text):
    return tuple(int(d) for d in text.split("x"))


def main(argv):
    command = argv[1]
    if command == "require":
        print("numpy", np.__version__)
        return 0
    if command == "save":
        x = np.random.default_rng(int(argv[3])).standard_normal(
            parse_shape(argv[2])).astype(np.float32)
        kind = argv[5] if len(argv) > 5 else "float32"
        if kind == "float64":
            x = x.astype(np.float64)
        elif kind == "fortran":
            x = np.asfortranarray(x)
        np.save(argv[4], x)
        return 0
    if command == "check":
        y = np.load(argv[2])
        printed = [line for line in open(argv[4]) if line.startswith("output: ")]
        assert len(printed) == 1, "no 'output:' line in " + argv[4]
        values = [float(v) for v in printed[0].split()[1:] if v != "..."]
        first = y.reshape(-1)[:len(values)]
        print("dtype", y.dtype, "shape", y.shape, "C order", y.flags.c_contiguous)
        print("expected shape", parse_shape(argv[3]))
        print("first %d values match: %s" % (
            len(values), np.allclose(first, values, rtol=1e-6, atol=0)))
        return 0
    if command == "conv-net":
        directory, rng = argv[2], np.random.default_rng(int(argv[3]))
        np.save(directory + "/w.npy",
                rng.standard_normal((4, 3, 3, 3)).astype(np.float32))  # KxFHxFWxD
        np.save(directory + "/b.npy", rng.standard_normal(4).astype(np.float32))
        np.save(directory + "/x.npy",
                rng.standard_normal((1, 9, 9, 3)).astype(np.float32))  # NHWC
        with open(directory + "/net.yaml", "w") as f:
            f.write("name: numpy_conv\n"
                    "input: {height: 9, width: 9, depth: 3}\n"
                    "layers:\n"
                    "  - {type: conv, filters: 4, size: 3, stride: %d, padding: %d,\n"
                    "     weights: w.npy, biases: b.npy}\n"
                    "  - {type: relu}\n" % (STRIDE, PAD))
        return 0
    if command == "conv-check":
        directory = argv[2]
        w = np.load(directory + "/w.npy").astype(np.float64)
        b = np.load(directory + "/b.npy").astype(np.float64)
        x = np.load(directory + "/x.npy").astype(np.float64)
        x = np.pad(x, ((0, 0), (PAD, PAD), (PAD, PAD), (0, 0)))
        k, fh, fw, _ = w.shape
        oh = (x.shape[1] - fh) // STRIDE + 1
        ow = (x.shape[2] - fw) // STRIDE + 1
        want = np.empty((1, oh, ow, k))
        for i in range(oh):
            for j in range(ow):
                patch = x[0, i * STRIDE:i * STRIDE + fh, j * STRIDE:j * STRIDE + fw, :]
                want[0, i, j, :] = np.tensordot(w, patch, axes=3) + b
        want = np.maximum(want, 0)
        got = np.load(argv[3])
        print("dtype", got.dtype, "shape", got.shape)
        print("matches NumPy:", got.shape == want.shape and
              bool(np.allclose(got, want, rtol=1e-5, atol=1e-5)))
        print("positive outputs:", int((want > 0).sum()))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
