"""numpy's first call of one op in this (fresh) process, for isthmus's cold-start harness.

usage: python3 coldstart_numpy.py OP
prints: coldstart OP FIRST_NS SECOND_NS INPUTS_NS IMPORT_NS ELEMENTS
The inputs match ColdStartOps (same shapes and values); numpy is imported (timed apart), the
inputs are built, then the op's first and second calls are timed with perf_counter_ns. Exit 3
without numpy, 2 for an unknown op.
"""
import sys
import time

t_import = time.perf_counter_ns()
try:
    import numpy as np
except ImportError:
    sys.exit(3)
t_import = time.perf_counter_ns() - t_import

SIDE = 256


def floats(*shape):
    n = 1
    for d in shape:
        n *= d
    i = np.arange(n, dtype=np.int64)
    return (((i * 37) % 101) / np.float32(25) - np.float32(2)).astype(np.float32).reshape(shape)


def mask():
    i = np.arange(SIDE * SIDE, dtype=np.int64)
    return ((i * 7) % 3 == 0).reshape(SIDE, SIDE)


def labels(n):
    return ((np.arange(n, dtype=np.int32) * 7) % 10).astype(np.int32)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def conv2d_same(x, f):
    # tf.nn.conv2d, stride 1, SAME, NHWC / HWIO: zero padding, sliding windows, one tensordot
    kh, kw = f.shape[0], f.shape[1]
    p = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    w = np.lib.stride_tricks.sliding_window_view(p, (kh, kw), axis=(1, 2))  # N,H,W,C,kh,kw
    return np.tensordot(w, f, axes=([4, 5, 3], [0, 1, 2]))


def max_pool_2x2(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


OPS = {
    "add": (lambda: (floats(SIDE, SIDE), floats(SIDE, SIDE)), lambda a, b: np.add(a, b)),
    "sub": (lambda: (floats(SIDE, SIDE), floats(SIDE, SIDE)), lambda a, b: np.subtract(a, b)),
    "mul": (lambda: (floats(SIDE, SIDE), floats(SIDE, SIDE)), lambda a, b: np.multiply(a, b)),
    "matmul": (lambda: (floats(128, 128), floats(128, 128)), lambda a, b: np.matmul(a, b)),
    "relu": (lambda: (floats(SIDE, SIDE),), lambda x: np.maximum(x, np.float32(0))),
    "sigmoid": (lambda: (floats(SIDE, SIDE),), lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (lambda: (floats(SIDE, SIDE),), lambda x: np.tanh(x)),
    "exp": (lambda: (floats(SIDE, SIDE),), lambda x: np.exp(x)),
    "softmax": (lambda: (floats(SIDE, SIDE),), softmax),
    "reduceSum": (lambda: (floats(SIDE, SIDE),), lambda x: x.sum(axis=1)),
    "reduceMean": (lambda: (floats(SIDE, SIDE),), lambda x: x.mean()),
    "argMax": (lambda: (floats(SIDE, SIDE),), lambda x: x.argmax(axis=1)),
    "reshape": (lambda: (floats(SIDE, SIDE),), lambda x: x.reshape(-1)),
    # TensorFlow's transpose materialises; numpy's is a view, so copy it
    "transpose": (lambda: (floats(SIDE, SIDE),), lambda x: np.ascontiguousarray(x.T)),
    "concat": (lambda: (floats(SIDE, SIDE), floats(SIDE, SIDE)),
               lambda a, b: np.concatenate([a, b], axis=0)),
    "cast": (lambda: (floats(SIDE, SIDE),), lambda x: x.astype(np.int32)),
    "where": (lambda: (mask(), floats(SIDE, SIDE), floats(SIDE, SIDE)),
              lambda c, a, b: np.where(c, a, b)),
    "conv2d": (lambda: (floats(8, 32, 32, 16), floats(3, 3, 16, 32)), conv2d_same),
    "maxPool": (lambda: (floats(8, 32, 32, 16),), max_pool_2x2),
    "oneHot": (lambda: (labels(4096),), lambda i: np.eye(10, dtype=np.float32)[i]),
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in OPS:
        print("usage: coldstart_numpy.py OP (one of %s)" % ", ".join(OPS), file=sys.stderr)
        sys.exit(2)
    name = sys.argv[1]
    make, call = OPS[name]
    t0 = time.perf_counter_ns()
    args = make()
    t1 = time.perf_counter_ns()
    first = call(*args)
    t2 = time.perf_counter_ns()
    second = call(*args)
    t3 = time.perf_counter_ns()
    assert first.size == second.size
    print("coldstart %s %d %d %d %d %d" % (name, t2 - t1, t3 - t2, t1 - t0, t_import, first.size))


main()
