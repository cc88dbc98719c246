#!/usr/bin/env python3
"""ONNX models for the ONNX frontend's lit tests, built with python3-onnx.

  onnx_models.py require             exit 1 with the reason unless onnx and
                                     NumPy import
  onnx_models.py network NAME DIR SEED
                                     DIR/NAME.onnx, a small network of that
                                     shape (alexnet, vgg, features, global)
                                     with random weights; DIR/x.npy an NCHW
                                     input; DIR/expected.npy its output
                                     computed here by NumPy in float64 from
                                     ONNX's definitions; and the same network
                                     as a spec, DIR/NAME.yaml, whose weights
                                     (BatchNormalization folded, filters
                                     K x FH x FW x C, dense weights M x D in
                                     NHWC order) are .npy files, with
                                     DIR/x_nhwc.npy its input
  onnx_models.py errors DIR          one model per refusal the tests check
  onnx_models.py compare A.npy B.npy RTOL ATOL [nhwc-to-nchw]
                                     |a - b| <= ATOL + RTOL * |b| for every
                                     element (B transposed from NHWC first if
                                     asked); exit 1 otherwise
  onnx_models.py mutants TOOL MODEL COUNT SEED DIR
                                     runs `TOOL <mutant> --emit=cnn` on COUNT
                                     copies of MODEL with random bytes
                                     changed or cut, and counts exit
                                     statuses: 0 (imported), 1 (refused),
                                     anything else (a crash)
"""
import os
import subprocess
import sys

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:
    sys.exit("the ONNX tests need python3-onnx and python3-numpy for %s "
             "(%s): install them (scripts/setup.sh does)"
             % (sys.executable, error))

OPSET = 13


# ---------------------------------------------------------------------------
# NumPy reference of ONNX's operators (NCHW, float64)
# ---------------------------------------------------------------------------

def out_size(size, kernel, stride, before, after, ceil):
    span = size + before + after - kernel
    return (-(-span // stride) if ceil else span // stride) + 1


def conv(x, w, b, strides, pads):
    """pads: ONNX's [h_begin, w_begin, h_end, w_end]."""
    n, c, h, wd = x.shape
    k, _, kh, kw = w.shape
    ho = out_size(h, kh, strides[0], pads[0], pads[2], False)
    wo = out_size(wd, kw, strides[1], pads[1], pads[3], False)
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    y = np.zeros((n, k, ho, wo))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + strides[0] * (ho - 1) + 1:strides[0],
                       j:j + strides[1] * (wo - 1) + 1:strides[1]]
            y += np.einsum("nchw,kc->nkhw", patch, w[:, :, i, j])
    if b is not None:
        y += b[None, :, None, None]
    return y


def pool(x, kernel, strides, pads, ceil, kind, count_include_pad=False):
    n, c, h, wd = x.shape
    ho = out_size(h, kernel[0], strides[0], pads[0], pads[2], ceil)
    wo = out_size(wd, kernel[1], strides[1], pads[1], pads[3], ceil)
    # Room for the ceil overhang past the end padding.
    extra_h = max(0, (ho - 1) * strides[0] + kernel[0] - h - pads[0] - pads[2])
    extra_w = max(0, (wo - 1) * strides[1] + kernel[1] - wd - pads[1] - pads[3])
    widths = ((0, 0), (0, 0), (pads[0], pads[2] + extra_h),
              (pads[1], pads[3] + extra_w))
    inside = np.pad(np.ones((h, wd)), widths[2:])
    padded_region = np.pad(np.ones((h + pads[0] + pads[2],
                                    wd + pads[1] + pads[3])),
                           ((0, extra_h), (0, extra_w)))
    if kind == "max":
        xp = np.pad(x, widths, constant_values=-np.inf)
    else:
        xp = np.pad(x, widths)
    y = np.zeros((n, c, ho, wo))
    for oy in range(ho):
        for ox in range(wo):
            ys, xs = oy * strides[0], ox * strides[1]
            window = xp[:, :, ys:ys + kernel[0], xs:xs + kernel[1]]
            if kind == "max":
                y[:, :, oy, ox] = window.max(axis=(2, 3))
            else:
                counted = padded_region if count_include_pad else inside
                count = counted[ys:ys + kernel[0], xs:xs + kernel[1]].sum()
                y[:, :, oy, ox] = window.sum(axis=(2, 3)) / count
    return y


def batchnorm(x, scale, bias, mean, var, eps):
    shape = (1, -1, 1, 1)
    return (scale.reshape(shape) * (x - mean.reshape(shape)) /
            np.sqrt(var.reshape(shape) + eps) + bias.reshape(shape))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------
# A network written once, emitted three ways: ONNX, NumPy, spec
# ---------------------------------------------------------------------------

class Network:
    def __init__(self, name, shape, rng):
        self.name = name
        self.shape = shape
        self.rng = rng
        self.nodes = []
        self.initializers = []
        self.layers = []      # the spec's layers
        self.weights = {}     # spec weight files: name -> array
        self.value = "x"
        self.counter = 0
        self.x = rng.uniform(-1, 1, shape)
        self.y = self.x.astype(np.float32).astype(np.float64)
        self.pending = None   # a spec conv/dense awaiting BN or bias

    def fresh(self, stem):
        self.counter += 1
        return "%s%d" % (stem, self.counter)

    def const(self, name, array):
        array = np.asarray(array, dtype=np.float32)
        self.initializers.append(numpy_helper.from_array(array, name))
        return array.astype(np.float64)

    def node(self, op, inputs, name, **attrs):
        out = name + "_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name,
                                           **attrs))
        self.value = out
        return out

    def flush(self):
        if self.pending:
            layer, weight, bias = self.pending
            self.weights[layer["name"] + ".weight"] = weight
            if bias is not None:
                self.weights[layer["name"] + ".bias"] = bias
                layer["biases"] = layer["name"] + ".bias.npy"
            else:
                layer["bias"] = False
            layer["weights"] = layer["name"] + ".weight.npy"
            self.layers.append(layer)
            self.pending = None

    def conv(self, filters, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
             bias=True, auto_pad=None):
        self.flush()
        name = self.fresh("conv")
        c = self.y.shape[1]
        fan_in = c * kernel[0] * kernel[1]
        w = self.const(name + "_W", self.rng.uniform(
            -1, 1, (filters, c) + tuple(kernel)) * np.sqrt(3.0 / fan_in))
        inputs = [self.value, name + "_W"]
        b = None
        if bias:
            b = self.const(name + "_B", self.rng.uniform(-0.1, 0.1, filters))
            inputs.append(name + "_B")
        attrs = {"kernel_shape": list(kernel), "strides": list(strides)}
        if auto_pad:
            attrs["auto_pad"] = auto_pad
            h, wd = self.y.shape[2:]
            pads = [0, 0, 0, 0]
            for axis, size in enumerate((h, wd)):
                out = -(-size // strides[axis])
                total = max(0, (out - 1) * strides[axis] + kernel[axis] - size)
                small, large = total // 2, total - total // 2
                first = small if auto_pad == "SAME_UPPER" else large
                pads[axis], pads[axis + 2] = first, total - first
        else:
            attrs["pads"] = list(pads)
        self.node("Conv", inputs, name, **attrs)
        self.y = conv(self.y, w, b, strides, pads)
        layer = {"type": "conv", "name": name, "filters": filters,
                 "size": list(kernel), "stride": list(strides),
                 "padding": [pads[0], pads[2], pads[1], pads[3]],
                 "rounding": "floor"}
        self.pending = [layer, w.transpose(0, 2, 3, 1).copy(), b]

    def batchnorm(self, eps=1e-5):
        name = self.fresh("bn")
        c = self.y.shape[1]
        scale = self.const(name + "_scale", self.rng.uniform(0.5, 1.5, c))
        bias = self.const(name + "_bias", self.rng.uniform(-0.5, 0.5, c))
        mean = self.const(name + "_mean", self.rng.uniform(-0.5, 0.5, c))
        var = self.const(name + "_var", self.rng.uniform(0.5, 2.0, c))
        self.node("BatchNormalization",
                  [self.value, name + "_scale", name + "_bias", name + "_mean",
                   name + "_var"], name, epsilon=eps)
        self.y = batchnorm(self.y, scale, bias, mean, var, eps)
        # The spec has no batch normalization: fold it into the conv.
        layer, weight, conv_bias = self.pending
        a = scale / np.sqrt(var + eps)
        weight = weight * a[:, None, None, None]
        base = conv_bias if conv_bias is not None else np.zeros(c)
        self.pending = [layer, weight, base * a + bias - mean * a]

    def channel_bias(self):
        """An Add of one constant per channel after a conv: its bias."""
        name = self.fresh("add")
        c = self.y.shape[1]
        bias = self.const(name + "_bias", self.rng.uniform(-0.5, 0.5,
                                                          (1, c, 1, 1)))
        self.node("Add", [self.value, name + "_bias"], name)
        self.y = self.y + bias
        layer, weight, conv_bias = self.pending
        base = conv_bias if conv_bias is not None else np.zeros(c)
        self.pending = [layer, weight, base + bias.reshape(-1)]

    def relu(self):
        self.flush()
        self.node("Relu", [self.value], self.fresh("relu"))
        self.y = np.maximum(self.y, 0)
        self.layers.append({"type": "relu"})

    def dropout(self):
        self.node("Dropout", [self.value], self.fresh("dropout"))

    def pool(self, kind, kernel, strides, pads=(0, 0, 0, 0), ceil=False,
             count_include_pad=False):
        self.flush()
        name = self.fresh(kind + "pool")
        attrs = {"kernel_shape": list(kernel), "strides": list(strides),
                 "pads": list(pads), "ceil_mode": int(ceil)}
        if kind == "avg":
            attrs["count_include_pad"] = int(count_include_pad)
        self.node("MaxPool" if kind == "max" else "AveragePool", [self.value],
                  name, **attrs)
        self.y = pool(self.y, kernel, strides, pads, ceil, kind,
                      count_include_pad)
        layer = {"type": kind + "pool", "size": list(kernel),
                 "stride": list(strides),
                 "padding": [pads[0], pads[2], pads[1], pads[3]],
                 "rounding": "ceil" if ceil else "floor"}
        if count_include_pad:
            layer["count_include_pad"] = True
        self.layers.append(layer)

    def global_average_pool(self):
        self.flush()
        self.node("GlobalAveragePool", [self.value], self.fresh("gap"))
        h, w = self.y.shape[2:]
        self.y = self.y.mean(axis=(2, 3), keepdims=True)
        self.layers.append({"type": "avgpool", "size": [h, w]})

    def flatten(self):
        self.flush()
        self.volume = self.y.shape[1:]
        self.node("Flatten", [self.value], self.fresh("flatten"), axis=1)
        self.y = self.y.reshape(self.y.shape[0], -1)
        self.layers.append({"type": "flatten"})

    def dense_weights_for_spec(self, weights):
        """M x D weights over ONNX's C,H,W features, reordered to NHWC's
        H,W,C order when they read a flattened volume."""
        if getattr(self, "volume", None) is not None:
            c, h, w = self.volume
            weights = weights.reshape(-1, c, h, w).transpose(0, 2, 3, 1)
            weights = weights.reshape(weights.shape[0], -1)
            self.volume = None
        return weights

    def gemm(self, units, trans_b=True, alpha=1.0, beta=1.0, bias=True):
        self.flush()
        name = self.fresh("fc")
        d = self.y.shape[1]
        b_shape = (units, d) if trans_b else (d, units)
        b = self.const(name + "_B", self.rng.uniform(-1, 1, b_shape) /
                       np.sqrt(d))
        inputs = [self.value, name + "_B"]
        c = None
        if bias:
            c = self.const(name + "_C", self.rng.uniform(-0.1, 0.1,
                                                         (1, units)))
            inputs.append(name + "_C")
        self.node("Gemm", inputs, name, alpha=alpha, beta=beta,
                  transB=int(trans_b))
        weights = alpha * (b if trans_b else b.T)
        self.y = self.y @ weights.T + (beta * c if bias else 0)
        layer = {"type": "dense", "name": name, "units": units}
        self.pending = [layer, self.dense_weights_for_spec(weights),
                        beta * c.reshape(-1) if bias else None]

    def matmul_add(self, units):
        self.flush()
        name = self.fresh("fc")
        d = self.y.shape[1]
        b = self.const(name + "_B", self.rng.uniform(-1, 1, (d, units)) /
                       np.sqrt(d))
        out = self.node("MatMul", [self.value, name + "_B"], name)
        c = self.const(name + "_bias", self.rng.uniform(-0.1, 0.1, units))
        self.node("Add", [out, name + "_bias"], name + "_add")
        self.y = self.y @ b + c
        layer = {"type": "dense", "name": name, "units": units}
        self.pending = [layer, self.dense_weights_for_spec(b.T), c]

    def softmax(self):
        self.flush()
        self.node("Softmax", [self.value], self.fresh("softmax"), axis=-1)
        self.y = softmax(self.y)
        self.layers.append({"type": "softmax"})

    def save(self, directory):
        self.flush()
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                           list(self.shape))],
            [helper.make_tensor_value_info(self.value, TensorProto.FLOAT,
                                           list(self.y.shape))],
            self.initializers)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)],
            producer_name="convforge-tests")
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(directory, self.name + ".onnx"))
        x32 = self.x.astype(np.float32)
        np.save(os.path.join(directory, "x.npy"), x32)
        np.save(os.path.join(directory, "x_nhwc.npy"),
                np.ascontiguousarray(x32.transpose(0, 2, 3, 1)))
        np.save(os.path.join(directory, "expected.npy"), self.y)
        for name, array in self.weights.items():
            np.save(os.path.join(directory, name + ".npy"),
                    np.ascontiguousarray(array, dtype=np.float32))
        n, c, h, w = self.shape
        lines = ["name: %s_spec" % self.name,
                 "input: {height: %d, width: %d, depth: %d, batch: %d}"
                 % (h, w, c, n), "layers:"]
        for layer in self.layers:
            fields = ", ".join("%s: %s" % (k, str(v).lower()
                                           if isinstance(v, bool) else v)
                               for k, v in layer.items())
            lines.append("  - {%s}" % fields)
        with open(os.path.join(directory, self.name + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


def build(name, seed):
    rng = np.random.default_rng(seed)
    if name == "alexnet":
        # The AlexNet shape, scaled down: 11x11 stride 4 with asymmetric
        # padding, folded batch norms (one on a conv without bias), ceil
        # pooling, SAME padding, then the classifier: Gemm (transB), ReLU,
        # Dropout, Gemm (B not transposed, alpha and beta), Softmax.
        net = Network(name, (1, 3, 63, 63), rng)
        net.conv(12, (11, 11), (4, 4), pads=(2, 1, 3, 2))
        net.batchnorm()
        net.relu()
        net.pool("max", (3, 3), (2, 2), ceil=True)
        net.conv(24, (5, 5), pads=(2, 2, 2, 2), bias=False)
        net.batchnorm(eps=1e-3)
        net.relu()
        net.pool("max", (3, 3), (2, 2))
        net.conv(32, (3, 3), auto_pad="SAME_UPPER")
        net.relu()
        net.flatten()
        net.gemm(64)
        net.relu()
        net.dropout()
        net.gemm(10, trans_b=False, alpha=0.5, beta=2.0)
        net.softmax()
    elif name == "vgg":
        # VGG's shape on a batch of two: 3x3 convolutions, asymmetric
        # padding, an average pool that excludes its padding, MatMul + Add.
        net = Network(name, (2, 3, 20, 20), rng)
        net.conv(8, (3, 3), pads=(1, 1, 1, 1))
        net.batchnorm()
        net.relu()
        net.conv(8, (3, 3), pads=(1, 1, 1, 1))
        net.relu()
        net.pool("max", (2, 2), (2, 2))
        net.conv(16, (3, 3), pads=(0, 1, 2, 1))
        net.relu()
        net.pool("avg", (3, 3), (2, 2), pads=(1, 1, 1, 1))
        net.flatten()
        net.matmul_add(32)
        net.relu()
        net.gemm(5)
        net.softmax()
    elif name == "features":
        # A 4-D output: returned in ONNX's NCHW layout.
        # The conv's bias is an Add of a (1, C, 1, 1) constant after it.
        net = Network(name, (1, 4, 9, 7), rng)
        net.conv(6, (3, 2), (2, 1), pads=(1, 0, 0, 1), bias=False)
        net.channel_bias()
        net.batchnorm()
        net.relu()
        net.pool("avg", (2, 2), (1, 1), pads=(1, 1, 0, 0),
                 count_include_pad=True)
    elif name == "global":
        # ResNet's head: global average pooling, flatten, Gemm, Softmax.
        net = Network(name, (1, 8, 6, 6), rng)
        net.conv(16, (3, 3), (2, 2), auto_pad="SAME_LOWER")
        net.relu()
        net.global_average_pool()
        net.flatten()
        net.gemm(7)
        net.softmax()
    else:
        sys.exit("unknown network " + name)
    return net


# ---------------------------------------------------------------------------
# Models the importer refuses
# ---------------------------------------------------------------------------

def save_model(directory, name, nodes, inputs, outputs, initializers=(),
               opset=OPSET, domains=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    imports = [helper.make_opsetid("", opset)]
    imports += [helper.make_opsetid(d, 1) for d in domains]
    model = helper.make_model(graph, opset_imports=imports)
    onnx.save(model, os.path.join(directory, name + ".onnx"))


def errors(directory):
    rng = np.random.default_rng(0)
    f32 = TensorProto.FLOAT

    def value(name, shape, elem=f32):
        return helper.make_tensor_value_info(name, elem, shape)

    def weights(name, shape, dtype=np.float32):
        return numpy_helper.from_array(
            rng.uniform(-1, 1, shape).astype(dtype), name)

    conv = helper.make_node("Conv", ["x", "W"], ["c"], name="conv1",
                            kernel_shape=[3, 3])
    save_model(directory, "unsupported-op",
               [conv, helper.make_node("LeakyRelu", ["c"], ["y"],
                                       name="act1")],
               [value("x", [1, 2, 5, 5])], [value("y", [1, 4, 3, 3])],
               [weights("W", (4, 2, 3, 3))])
    save_model(directory, "unnamed-node",
               [helper.make_node("Relu", ["x"], ["r"]),
                helper.make_node("Sigmoid", ["r"], ["y"])],
               [value("x", [1, 4])], [value("y", [1, 4])])
    save_model(directory, "dynamic-batch",
               [helper.make_node("Relu", ["x"], ["y"], name="relu1")],
               [value("x", ["N", 3, 8, 8])], [value("y", ["N", 3, 8, 8])])
    save_model(directory, "double-input",
               [helper.make_node("Relu", ["x"], ["y"], name="relu1")],
               [value("x", [1, 3], TensorProto.DOUBLE)],
               [value("y", [1, 3], TensorProto.DOUBLE)])
    save_model(directory, "f16-weights", [conv.__deepcopy__({})],
               [value("x", [1, 2, 5, 5])], [value("c", [1, 4, 3, 3])],
               [weights("W", (4, 2, 3, 3), np.float16)])
    save_model(directory, "weights-as-input", [conv.__deepcopy__({})],
               [value("x", [1, 2, 5, 5]), value("W", [4, 2, 3, 3])],
               [value("c", [1, 4, 3, 3])])
    save_model(directory, "pool-padding",
               [helper.make_node("MaxPool", ["x"], ["y"], name="pool1",
                                 kernel_shape=[3, 3], pads=[3, 0, 0, 0])],
               [value("x", [1, 1, 6, 6])], [value("y", [1, 1, 7, 4])])
    save_model(directory, "pool-dilations",
               [helper.make_node("MaxPool", ["x"], ["y"], name="pool1",
                                 kernel_shape=[2, 2], dilations=[2, 2])],
               [value("x", [1, 1, 6, 6])], [value("y", [1, 1, 4, 4])])
    save_model(directory, "bad-auto-pad",
               [helper.make_node("Conv", ["x", "W"], ["y"], name="conv1",
                                 auto_pad="SAME")],
               [value("x", [1, 2, 5, 5])], [value("y", [1, 4, 5, 5])],
               [weights("W", (4, 2, 3, 3))])
    save_model(directory, "conv3d",
               [helper.make_node("Conv", ["x", "W"], ["y"], name="conv1")],
               [value("x", [1, 2, 5, 5, 5])], [value("y", [1, 4, 3, 3, 3])],
               [weights("W", (4, 2, 3, 3, 3))])
    save_model(directory, "matrix-bias",
               [helper.make_node("Gemm", ["x", "B", "C"], ["y"], name="fc1")],
               [value("x", [2, 3])], [value("y", [2, 4])],
               [weights("B", (3, 4)), weights("C", (2, 4))])
    save_model(directory, "training-batchnorm",
               [helper.make_node("BatchNormalization",
                                 ["x", "s", "b", "m", "v"], ["y"], name="bn1",
                                 training_mode=1)],
               [value("x", [1, 2, 3, 3])], [value("y", [1, 2, 3, 3])],
               [weights(n, (2,)) for n in "sbmv"], opset=15)
    save_model(directory, "custom-domain",
               [helper.make_node("Gelu", ["x"], ["y"], name="gelu1",
                                 domain="com.example")],
               [value("x", [1, 4])], [value("y", [1, 4])],
               domains=["com.example"])
    save_model(directory, "wrong-output-shape",
               [helper.make_node("Flatten", ["x"], ["y"], name="flat1")],
               [value("x", [1, 3, 2, 2])], [value("y", [1, 10])])
    external = weights("W", (4, 2, 3, 3))
    external.ClearField("raw_data")
    external.data_location = TensorProto.EXTERNAL
    entry = external.external_data.add()
    entry.key, entry.value = "location", "conv1.bin"
    save_model(directory, "external-data", [conv.__deepcopy__({})],
               [value("x", [1, 2, 5, 5])], [value("c", [1, 4, 3, 3])],
               [external])
    save_model(directory, "two-outputs",
               [helper.make_node("MaxPool", ["x"], ["y", "i"], name="pool1",
                                 kernel_shape=[2, 2])],
               [value("x", [1, 1, 4, 4])],
               [value("y", [1, 1, 3, 3]),
                value("i", [1, 1, 3, 3], TensorProto.INT64)])
    # Not models: a cut model, bytes that do not parse, an empty file, and
    # a YAML spec under the .onnx extension.
    good = os.path.join(directory, "unsupported-op.onnx")
    with open(good, "rb") as f:
        data = f.read()
    with open(os.path.join(directory, "truncated.onnx"), "wb") as f:
        f.write(data[:len(data) // 2])
    with open(os.path.join(directory, "garbage.onnx"), "wb") as f:
        f.write(bytes([0xff, 0xff, 0xff, 0xff]) + bytes(range(256)))
    open(os.path.join(directory, "empty.onnx"), "wb").close()
    with open(os.path.join(directory, "text.onnx"), "w") as f:
        f.write("name: net\ninput: {size: 8, depth: 3}\nlayers:\n"
                "  - {type: relu}\n")


# ---------------------------------------------------------------------------
# Comparison and mutants
# ---------------------------------------------------------------------------

def compare(argv):
    a = np.load(argv[0]).astype(np.float64)
    b = np.load(argv[1]).astype(np.float64)
    rtol, atol = float(argv[2]), float(argv[3])
    if len(argv) > 4 and argv[4] == "nhwc-to-nchw":
        b = b.transpose(0, 3, 1, 2)
    if a.shape != b.shape:
        print("shapes differ: %s and %s" % (a.shape, b.shape))
        return 1
    excess = np.abs(a - b) - (atol + rtol * np.abs(b))
    worst = int(np.argmax(excess))
    ok = bool(np.all(excess <= 0)) and np.all(np.isfinite(a))
    print("%d values, shape %s, max |difference| %.3g (tolerance %g + %g "
          "* |expected|): %s" % (a.size, "x".join(map(str, a.shape)),
                                 np.max(np.abs(a - b)), atol, rtol,
                                 "ok" if ok else "FAILED at %d: %r vs %r" % (
                                     worst, a.flat[worst], b.flat[worst])))
    return 0 if ok else 1


def mutants(argv):
    tool, model, count, seed, directory = (argv[0], argv[1], int(argv[2]),
                                           int(argv[3]), argv[4])
    rng = np.random.default_rng(seed)
    with open(model, "rb") as f:
        data = bytearray(f.read())
    statuses = {}
    crashes = []
    for i in range(count):
        mutant = bytearray(data)
        if i % 4 == 3:
            mutant = mutant[:int(rng.integers(1, len(mutant)))]
        else:
            # The nodes come first in the file and the graph's inputs and
            # outputs last, around the weights' bytes: most changes go
            # there.
            for _ in range(int(rng.integers(1, 8))):
                region = int(rng.integers(0, 4))
                if region == 0:
                    position = int(rng.integers(0, len(mutant)))
                elif region in (1, 2):
                    position = int(rng.integers(0, min(len(mutant), 700)))
                else:
                    position = len(mutant) - 1 - int(
                        rng.integers(0, min(len(mutant), 300)))
                mutant[position] = int(rng.integers(0, 256))
        path = os.path.join(directory, "mutant%d.onnx" % i)
        with open(path, "wb") as f:
            f.write(mutant)
        status = subprocess.run([tool, path, "--emit=cnn", "-o", os.devnull],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode
        statuses[status] = statuses.get(status, 0) + 1
        if status not in (0, 1):
            crashes.append("%s (status %d)" % (path, status))
        else:
            os.remove(path)
    print("%d mutants: %d imported, %d refused, %d crashed" % (
        count, statuses.get(0, 0), statuses.get(1, 0), len(crashes)))
    for crash in crashes:
        print("crash:", crash)
    return 0 if not crashes else 1


def main(argv):
    command = argv[1]
    if command == "require":
        print("onnx", onnx.__version__, "numpy", np.__version__)
        return 0
    if command == "network":
        os.makedirs(argv[3], exist_ok=True)
        build(argv[2], int(argv[4])).save(argv[3])
        return 0
    if command == "errors":
        os.makedirs(argv[2], exist_ok=True)
        errors(argv[2])
        return 0
    if command == "compare":
        return compare(argv[2:])
    if command == "mutants":
        return mutants(argv[2:])
    sys.exit("unknown command " + command)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
