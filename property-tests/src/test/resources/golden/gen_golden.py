#!/usr/bin/env python3
"""Writes the golden files that GoldenValuesTest checks isthmus against.

Run from anywhere:  python3 gen_golden.py
It needs numpy only (no TensorFlow), and writes binary.txt, reduce.txt, shape.txt, matmul.txt,
creation.txt, unary.txt and nn.txt next to itself. The Java test reads only those files.

Every expected value follows TensorFlow 2's semantics; inputs are chosen where numpy and
TensorFlow agree (notes at the cases that needed care). Floating references are computed in
float64 and rounded once to the output dtype; the Java test compares them with per-op
tolerances. Python's math module supplies what numpy lacks (erfc, for GELU).

File format: '#' starts a comment line; one case per block:
    case <id>
    op <name>                     the Ops method, e.g. reduceSum
    attr <name> <type> <values>   type: int, ints (zero or more), bool, float, str, dtype
    in <dtype> [d0,d1,...] <values>    one line per input, in order ([] is a scalar)
    out <dtype> [d0,d1,...] <values>   one line per output, in order
    end
Values are space-separated: floats as float.hex without the mantissa's trailing zeros (an
exact round trip; Java's Double.parseDouble reads them) or nan, inf, -inf;
integers in decimal; bools as 0 or 1.
"""

import math
import os
import sys
from decimal import Decimal, getcontext

import numpy as np

SEED = 20240611
rng = np.random.default_rng(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
F32, F64, I32, I64, BOOL = np.float32, np.float64, np.int32, np.int64, np.bool_
FLOATS = (F32, F64)
NAMES = {F32: "float32", F64: "float64", I32: "int32", I64: "int64", BOOL: "bool"}


class DType:
    """An attribute that names a dtype."""

    def __init__(self, t):
        self.name = NAMES[t]


# ------------------------------------------------------------------------------------- writing

def fmt(x, t):
    if t in FLOATS:
        v = float(x)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        h = v.hex()  # e.g. 0x1.8000000000000p+1; drop the mantissa's trailing zeros
        mant, exp = h.split("p")
        return mant.rstrip("0").rstrip(".") + "p" + exp
    if t is BOOL:
        return "1" if x else "0"
    return str(int(x))


def tensor(kind, a):
    a = np.asarray(a)
    t = {np.dtype(k): k for k in NAMES}[a.dtype]
    dims = "[" + ",".join(str(d) for d in a.shape) + "]"
    vals = " ".join(fmt(x, t) for x in a.reshape(-1))
    return f"{kind} {NAMES[t]} {dims}" + (" " + vals if vals else "")


def attr(name, v):
    if isinstance(v, DType):
        return f"attr {name} dtype {v.name}"
    if isinstance(v, (bool, np.bool_)):
        return f"attr {name} bool {'true' if v else 'false'}"
    if isinstance(v, (int, np.integer)):
        return f"attr {name} int {int(v)}"
    if isinstance(v, float):
        return f"attr {name} float {fmt(v, F64)}"
    if isinstance(v, str):
        return f"attr {name} str {v}"
    flat = np.asarray(v, dtype=np.int64).reshape(-1)
    return f"attr {name} ints" + "".join(f" {int(x)}" for x in flat)


class Golden:
    """The cases of one file."""

    def __init__(self, name, title):
        self.name, self.title, self.blocks, self.ids = name, title, [], set()

    def case(self, cid, op, inputs, outputs, **attrs):
        assert cid not in self.ids, cid
        self.ids.add(cid)
        lines = [f"case {cid}", f"op {op}"]
        lines += [attr(k, v) for k, v in attrs.items()]
        lines += [tensor("in", x) for x in inputs]
        lines += [tensor("out", y) for y in (outputs if isinstance(outputs, list) else [outputs])]
        self.blocks.append("\n".join(lines + ["end"]))

    def write(self):
        head = (f"# {self.title}\n# Written by gen_golden.py (numpy {np.__version__}, "
                f"seed {SEED}); do not edit by hand.\n")
        with open(os.path.join(HERE, self.name), "w") as f:
            f.write(head + "\n" + "\n\n".join(self.blocks) + "\n")
        print(f"{self.name}: {len(self.blocks)} cases")


# ------------------------------------------------------------------------------------- inputs

def awkward(t, n, scale=3.0):
    """n values of dtype t: random ones with zeros, signed zeros, large and small magnitudes."""
    if t in FLOATS:
        big, small = (1e30, 1e-30) if t is F32 else (1e300, 1e-300)
        base = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, big, -big, small, -small]
        v = np.concatenate([base, rng.normal(0, scale, max(0, n - len(base)))])[:n]
    else:
        lo, hi = (-2**31, 2**31 - 1) if t is I32 else (-2**63, 2**63 - 1)
        base = [0, 1, -1, 7, -7, hi, lo]
        rand = rng.integers(-1000, 1000, max(0, n - len(base)))
        v = np.concatenate([np.array(base, dtype=np.int64), rand])[:n]
    return rng.permutation(np.asarray(v, dtype=t))


def specials(t):
    """NaN and infinities, for ops where numpy and TensorFlow agree on them."""
    return np.array([np.nan, np.inf, -np.inf], dtype=t)


def normal(t, shape, scale=1.0):
    return np.asarray(rng.normal(0, scale, shape), dtype=t)


def ints(t, shape, lo=-20, hi=20):
    return np.asarray(rng.integers(lo, hi, shape, endpoint=True), dtype=t)


def f64(a):
    return np.asarray(a, dtype=F64)


def tag(t):
    return {F32: "f32", F64: "f64", I32: "i32", I64: "i64", BOOL: "bool"}[t]


np.seterr(all="ignore")  # overflow, NaN and division by zero are part of the cases


# ------------------------------------------------------------------------------------- binary

def binary(g):
    # add, sub, mul, div: IEEE arithmetic in the dtype, so numpy's float32 result is the exact
    # answer; with broadcasting ([3,8] against [8], [2,1,5] against [4,1]) and NaN/Inf.
    for t in FLOATS:
        x = rng.permutation(np.concatenate([awkward(t, 21), specials(t)])).reshape(3, 8)
        y = rng.permutation(np.concatenate([awkward(t, 6), specials(t)[:2]]))
        a = awkward(t, 10).reshape(2, 1, 5)
        b = np.concatenate([awkward(t, 3), specials(t)[2:]]).reshape(4, 1)
        for op, f in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                      ("div", np.true_divide)):
            g.case(f"{op}/{tag(t)}/row", op, [x, y], f(x, y))
            g.case(f"{op}/{tag(t)}/outer", op, [a, b], f(a, b))
            g.case(f"{op}/{tag(t)}/scalar", op, [x, np.asarray(-0.75, t)], f(x, t(-0.75)))
        # tf.math.squared_difference: (x - y) * (x - y), two roundings in the dtype, as numpy.
        g.case(f"squaredDifference/{tag(t)}", "squaredDifference", [a, b],
               np.square(np.subtract(a, b)))
    for t in (I32, I64):
        x = awkward(t, 12).reshape(3, 4)
        y = np.asarray([3, -5, 1, 7], dtype=t)
        for op, f in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply)):
            g.case(f"{op}/{tag(t)}/wraps", op, [x, y], f(x, y))  # two's complement, as TF
        g.case(f"squaredDifference/{tag(t)}", "squaredDifference", [x % 1000, y],
               np.square(np.subtract(x % 1000, y)))
        # TF2's true division of integers: both cast to float64, so 1/0 = inf and 0/0 = NaN.
        n = np.asarray([7, -7, 0, 1, -1, 5, np.iinfo(t).max, np.iinfo(t).min], dtype=t)
        d = np.asarray([[2], [-3], [0]], dtype=t)
        g.case(f"div/{tag(t)}/true_division", "div", [n, d], np.true_divide(n, d))
        assert np.true_divide(n, d).dtype == F64

    # floorDiv, floorMod with negative operands. Integers: numpy's floor_divide and mod are
    # TF's FloorDiv and FloorMod (Python's // and %). Floats: TF's FloorDiv is floor(x / y) and
    # FloorMod is fmod moved to the divisor's sign; numpy's floor_divide can differ from
    # floor(x / y) by one (np.floor_divide(1, 0.1) is 9), so the assert keeps those out.
    for t in (I32, I64):
        x = np.asarray([7, -7, 7, -7, 0, 1, -1, 13, -13, 100, -100, np.iinfo(t).max], dtype=t)
        y = np.asarray([[2], [-2], [3], [-5], [1]], dtype=t)
        g.case(f"floorDiv/{tag(t)}", "floorDiv", [x, y], np.floor_divide(x, y))
        g.case(f"floorMod/{tag(t)}", "floorMod", [x, y], np.mod(x, y))
    for t in FLOATS:
        x = np.asarray([7, -7, 7.5, -7.5, 0, 1, -1, 0.25, -0.25, 1e6 + 0.5, -3.75, 13], dtype=t)
        y = np.asarray([[2], [-2], [0.5], [-1.5], [3], [np.inf], [-np.inf]], dtype=t)
        fd = np.floor_divide(x, y[:5])
        assert np.array_equal(fd, np.floor(np.true_divide(x, y[:5]))), fd
        g.case(f"floorDiv/{tag(t)}", "floorDiv", [x, y[:5]], fd)
        # an infinite divisor: fmod(x, inf) = x, moved to the divisor's sign when nonzero.
        g.case(f"floorMod/{tag(t)}", "floorMod", [x, y], np.mod(x, y))

    # pow: C's pow, as numpy's power: 0^-2 = inf, (-0.5)^0.5 = NaN, 1^NaN = 1, NaN^0 = 1.
    for t in FLOATS:
        x = np.asarray([-2, -0.5, 0, 0.5, 1, 2, 10, 1.1, np.nan, np.inf, -np.inf, 3], dtype=t)
        y = np.asarray([[-2], [0.5], [3], [0], [np.nan], [-1.5], [np.inf], [25]], dtype=t)
        want = np.asarray(np.power(f64(x), f64(y)), dtype=t)
        g.case(f"pow/{tag(t)}", "pow", [x, y], want)
        z = awkward(t, 8, 2.0)
        e = np.asarray(rng.uniform(-3, 3, 8), dtype=t)
        g.case(f"pow/{tag(t)}/random", "pow", [np.abs(z), e],
               np.asarray(np.power(f64(np.abs(z)), f64(e)), dtype=t))
    for t in (I32, I64):
        x = np.asarray([-3, -2, -1, 0, 1, 2, 5, 7], dtype=t)
        y = np.asarray([[0], [1], [2], [3], [13], [40]], dtype=t)
        g.case(f"pow/{tag(t)}", "pow", [x, y], np.power(x, y))  # wraps, as TF

    # maximum, minimum: NaN in either operand gives NaN (numpy and TF 2). No signed-zero pairs:
    # which zero max(-0, +0) returns is not something TF promises.
    for t in FLOATS:
        x = np.asarray([1, -1, np.nan, 0, np.inf, -np.inf, 2.5, np.nan, -7, 3], dtype=t)
        y = np.asarray([[np.nan], [0.5], [-np.inf], [2.5]], dtype=t)
        g.case(f"maximum/{tag(t)}", "maximum", [x, y], np.maximum(x, y))
        g.case(f"minimum/{tag(t)}", "minimum", [x, y], np.minimum(x, y))
    for t in (I32, I64):
        x, y = awkward(t, 12).reshape(3, 4), awkward(t, 4)
        g.case(f"maximum/{tag(t)}", "maximum", [x, y], np.maximum(x, y))
        g.case(f"minimum/{tag(t)}", "minimum", [x, y], np.minimum(x, y))

    # atan2(x, y): the angle of (y, x); signed zeros and infinities matter here.
    for t in FLOATS:
        pts = [(0, 1), (0, -1), (-0.0, -1), (1, 0), (-1, 0), (0, 0), (-0.0, -0.0), (0, -0.0),
               (1, 1), (-1, -1), (np.inf, 1), (1, -np.inf), (np.inf, np.inf),
               (-np.inf, -np.inf), (np.nan, 1), (1e-30, 1e30), (3, -4), (-2.5, 0.5)]
        x = np.asarray([p[0] for p in pts], dtype=t)
        y = np.asarray([p[1] for p in pts], dtype=t)
        g.case(f"atan2/{tag(t)}", "atan2", [x, y], np.asarray(np.arctan2(f64(x), f64(y)), t))
        u, v = normal(t, (3, 4), 5), normal(t, (4,), 5)
        g.case(f"atan2/{tag(t)}/broadcast", "atan2", [u, v],
               np.asarray(np.arctan2(f64(u), f64(v)), t))

    # comparisons: NaN compares false, except !=.
    cmp = (("equal", np.equal), ("notEqual", np.not_equal), ("less", np.less),
           ("lessEqual", np.less_equal), ("greater", np.greater),
           ("greaterEqual", np.greater_equal))
    for t in FLOATS + (I32, I64):
        if t in FLOATS:
            x = np.asarray([1, 2, np.nan, -np.inf, 0, -0.0, 3, np.inf, 2, -1, 5, np.nan], t)
            y = np.asarray([2, np.nan, -0.0, np.inf], t)
        else:
            x = np.asarray([1, 2, 3, np.iinfo(t).min, 0, -5, 3, np.iinfo(t).max, 2, -1, 5, 4], t)
            y = np.asarray([2, 3, 0, np.iinfo(t).max], t)
        x = x.reshape(3, 4)
        for op, f in cmp:
            g.case(f"{op}/{tag(t)}", op, [x, y], f(x, y))
    p = np.asarray([True, False, True, False]).reshape(2, 2)
    q = np.asarray([True, False])
    g.case("equal/bool", "equal", [p, q], np.equal(p, q))
    g.case("logicalAnd", "logicalAnd", [p, q], np.logical_and(p, q))
    g.case("logicalOr", "logicalOr", [p, q.reshape(2, 1)], np.logical_or(p, q.reshape(2, 1)))
    g.case("logicalNot", "logicalNot", [p], np.logical_not(p))

    # where (SelectV2): condition, x and y broadcast together.
    c = np.asarray([[True], [False]])
    for t in (F32, F64, I32, I64, BOOL):
        x = awkward(t, 6).reshape(2, 3) if t is not BOOL else np.ones((2, 3), bool)
        y = awkward(t, 3) if t is not BOOL else np.asarray([False, True, False])
        g.case(f"where/{tag(t)}", "where", [c, x, y], np.where(c, x, y))
    c3 = np.asarray([True, False, False, True, True, False]).reshape(2, 1, 3)
    x, y = normal(F32, (4, 1)), normal(F32, (2, 4, 3))
    g.case("where/f32/three_way", "where", [c3, x, y], np.where(c3, x, y))

    # cast: float to int truncates toward zero (in range, no NaN: out-of-range is undefined in
    # TF); float64 to float32 rounds to nearest even and overflows to inf; INT64 to INT32 keeps
    # the low 32 bits; to bool is x != 0 (NaN is true); bool to number is 0 or 1.
    fl = [0.0, -0.0, 0.4, 0.5, 0.99, 1.0, -0.4, -0.5, -0.99, -1.5, 2.5, 1e9, -1e9, 123456.7]
    for src in FLOATS:
        for dst in (I32, I64):
            x = np.asarray(fl, dtype=src)
            g.case(f"cast/{tag(src)}_{tag(dst)}", "cast", [x], x.astype(dst), dtype=DType(dst))
    x = np.asarray([1e300, -1e300, 1e-300, 0.1, 1 / 3, 16777217.0, 3.4028235677973366e38,
                    np.nan, np.inf, -0.0, 1.401298464324817e-45, 7.006492321624085e-46], F64)
    g.case("cast/f64_f32", "cast", [x], x.astype(F32), dtype=DType(F32))
    x = normal(F32, 8, 100)
    g.case("cast/f32_f64", "cast", [x], x.astype(F64), dtype=DType(F64))
    x = np.asarray([0, 1, -1, 16777217, 2**31 - 1, -2**31, 123456789, 16777219], I32)
    g.case("cast/i32_f32", "cast", [x], x.astype(F32), dtype=DType(F32))
    g.case("cast/i32_i64", "cast", [x], x.astype(I64), dtype=DType(I64))
    x = np.asarray([0, 1, -1, 2**31, 2**32 + 5, -2**31 - 1, 2**63 - 1, -2**63, 2**53 + 1], I64)
    g.case("cast/i64_i32", "cast", [x], x.astype(I32), dtype=DType(I32))
    g.case("cast/i64_f64", "cast", [x], x.astype(F64), dtype=DType(F64))
    g.case("cast/i64_bool", "cast", [x], x.astype(BOOL), dtype=DType(BOOL))
    x = np.asarray([0.0, -0.0, 1e-45, np.nan, -np.inf, 2.0], F32)
    g.case("cast/f32_bool", "cast", [x], x.astype(BOOL), dtype=DType(BOOL))
    b = np.asarray([True, False, True])
    for dst in (F32, F64, I32, I64):
        g.case(f"cast/bool_{tag(dst)}", "cast", [b], b.astype(dst), dtype=DType(dst))

    # clipByValue: max(min(x, hi), lo); scalar, same-shape and broadcast bounds.
    for t in FLOATS:
        x = np.concatenate([awkward(t, 10), [np.inf, -np.inf]]).astype(t).reshape(3, 4)
        lo, hi = np.asarray(-1.5, t), np.asarray(2.25, t)
        g.case(f"clipByValue/{tag(t)}/scalar", "clipByValue", [x, lo, hi], np.clip(x, lo, hi))
        lo2 = normal(t, (3, 4)) - 1
        hi2 = lo2 + np.abs(normal(t, (3, 4)))
        g.case(f"clipByValue/{tag(t)}/same_shape", "clipByValue", [x, lo2, hi2],
               np.clip(x, lo2, hi2))
    x = awkward(I32, 12).reshape(3, 4)
    lo, hi = np.asarray([-5, 0, -1000, 7], I32), np.asarray([5, 0, 1000, 7], I32)
    g.case("clipByValue/i32/broadcast", "clipByValue", [x, lo, hi], np.clip(x, lo, hi))


# ----------------------------------------------------------------------------------- reductions

def exact_sum(x, axes, t, keep):
    """The sum in float64 with math.fsum (correctly rounded), then rounded to t."""
    moved = np.moveaxis(f64(x), axes, list(range(len(axes))))
    k = int(np.prod([x.shape[a] for a in axes]))
    flat = moved.reshape(k, -1)
    s = np.asarray([math.fsum(flat[:, j]) for j in range(flat.shape[1])])
    rest = [d for i, d in enumerate(x.shape) if i not in axes]
    out = s.reshape(rest)
    if keep:
        out = np.expand_dims(out, tuple(axes))
    return np.asarray(out, dtype=t)


def reductions(g):
    axis_sets = [(), (0,), (1,), (2,), (-1,), (0, 2), (1, 2), (0, 1, 2)]
    for t in FLOATS:
        x = normal(t, (2, 3, 4), 10)
        for axes in axis_sets:
            norm = tuple(sorted(a % 3 for a in axes)) if axes else (0, 1, 2)
            name = "".join(str(a) for a in axes) or "all"
            for keep in (False, True):
                k = "_keep" if keep else ""
                # sum and mean: references from math.fsum (exact, rounded once); the Java test
                # allows the error bound of any summation order.
                s = exact_sum(x, list(norm), t, keep)
                g.case(f"reduceSum/{tag(t)}/{name}{k}", "reduceSum", [x], s,
                       axes=list(axes), keepDims=keep)
                n = x.size // max(1, s.size)
                g.case(f"reduceMean/{tag(t)}/{name}{k}", "reduceMean", [x],
                       np.asarray(exact_sum(x, list(norm), F64, keep) / n, dtype=t),
                       axes=list(axes), keepDims=keep)
                g.case(f"reduceMax/{tag(t)}/{name}{k}", "reduceMax", [x],
                       np.max(x, axis=norm, keepdims=keep), axes=list(axes), keepDims=keep)
                g.case(f"reduceMin/{tag(t)}/{name}{k}", "reduceMin", [x],
                       np.min(x, axis=norm, keepdims=keep), axes=list(axes), keepDims=keep)
        # magnitudes far apart, with cancellation: 1e8 + 1 - 1e8 may lose the 1 in float32; the
        # Java test allows what any summation order may lose (n u sum|x|), no more.
        big = 1e8 if t is F32 else 1e17
        m = np.asarray([[big, 1, -big, 1e-8, 3.5], [1e-30, -2, 0.5 * big, -0.25, 7]], dtype=t)
        for ax in ((), (0,), (1,)):
            norm = ax or (0, 1)
            name = "".join(map(str, ax)) or "all"
            g.case(f"reduceSum/{tag(t)}/magnitudes_{name}", "reduceSum", [m],
                   exact_sum(m, list(norm), t, False), axes=list(ax), keepDims=False)
            cnt = int(np.prod([m.shape[a] for a in norm]))
            g.case(f"reduceMean/{tag(t)}/magnitudes_{name}", "reduceMean", [m],
                   np.asarray(exact_sum(m, list(norm), F64, False) / cnt, dtype=t),
                   axes=list(ax), keepDims=False)
        # prod of values near 1 (no overflow); reference in float64 rounded once.
        p = np.asarray(rng.uniform(0.5, 2.0, (3, 5)) * rng.choice([-1, 1], (3, 5)), dtype=t)
        p[2, 1] = 0
        for axes in [(), (0,), (1,), (-1,)]:
            norm = tuple(a % 2 for a in axes) if axes else (0, 1)
            name = "".join(str(a) for a in axes) or "all"
            for keep in (False, True):
                g.case(f"reduceProd/{tag(t)}/{name}{'_keep' if keep else ''}", "reduceProd", [p],
                       np.asarray(np.prod(f64(p), axis=norm, keepdims=keep), dtype=t),
                       axes=list(axes), keepDims=keep)
        # NaN and infinities: max/min propagate NaN (TF 2.4+, numpy); sums meet inf - inf.
        z = np.asarray([[1, np.nan, 3, -2], [np.inf, 1, -5, 0], [np.inf, -np.inf, 2, 2],
                        [-np.inf, 4, 4, 1]], dtype=t)
        for op, f in (("reduceMax", np.max), ("reduceMin", np.min), ("reduceSum", np.sum)):
            for ax in (0, 1):
                g.case(f"{op}/{tag(t)}/special_{ax}", op, [z], f(z, axis=ax), axes=[ax],
                       keepDims=False)
    # integers: sums and products wrap; the mean sums in int64 and truncates toward zero (TF).
    for t in (I32, I64):
        x = ints(t, (3, 4), -50, 50)
        x[0, 0], x[0, 1] = np.iinfo(t).max, 5
        for axes in [(), (0,), (1,), (0, 1)]:
            norm = axes or (0, 1)
            name = "".join(str(a) for a in axes) or "all"
            for keep in (False, True):
                kw = dict(axes=list(axes), keepDims=keep)
                k = "_keep" if keep else ""
                g.case(f"reduceSum/{tag(t)}/{name}{k}", "reduceSum", [x],
                       np.sum(x, axis=norm, keepdims=keep, dtype=t), **kw)
                g.case(f"reduceProd/{tag(t)}/{name}{k}", "reduceProd", [x],
                       np.prod(x, axis=norm, keepdims=keep, dtype=t), **kw)
                g.case(f"reduceMax/{tag(t)}/{name}{k}", "reduceMax", [x],
                       np.max(x, axis=norm, keepdims=keep), **kw)
                g.case(f"reduceMin/{tag(t)}/{name}{k}", "reduceMin", [x],
                       np.min(x, axis=norm, keepdims=keep), **kw)
        m = ints(t, (3, 5), -9, 9)
        for axes in [(), (0,), (1,)]:
            norm = axes or (0, 1)
            s = np.sum(m.astype(I64), axis=norm)
            cnt = m.size // s.size
            trunc = [(abs(int(v)) // cnt) * (1 if v >= 0 else -1) for v in s.reshape(-1)]
            mean = np.asarray(trunc, dtype=t).reshape(s.shape)
            g.case(f"reduceMean/{tag(t)}/{''.join(map(str, axes)) or 'all'}", "reduceMean",
                   [m], mean, axes=list(axes), keepDims=False)
    # all, any
    b = rng.random((3, 4)) < 0.6
    b[0, :] = True
    b[1, :] = False
    for axes in [(), (0,), (1,), (-1,)]:
        norm = tuple(a % 2 for a in axes) if axes else (0, 1)
        name = "".join(str(a) for a in axes) or "all"
        for keep in (False, True):
            k = "_keep" if keep else ""
            g.case(f"reduceAll/{name}{k}", "reduceAll", [b], np.all(b, axis=norm, keepdims=keep),
                   axes=list(axes), keepDims=keep)
            g.case(f"reduceAny/{name}{k}", "reduceAny", [b], np.any(b, axis=norm, keepdims=keep),
                   axes=list(axes), keepDims=keep)

    # argMax, argMin: INT64; the first index on ties, the first NaN if any (numpy's rule).
    for t in FLOATS + (I32, I64):
        x = ints(t, (3, 4, 5), -3, 3)  # small range: many ties
        if t in FLOATS:
            x[0, 1, 2] = np.nan
            x[2, 3, 0] = np.nan
            x[1, 0, 4] = -np.inf
        for axis in (0, 1, 2, -1):
            g.case(f"argMax/{tag(t)}/{axis}", "argMax", [x],
                   np.argmax(x, axis=axis).astype(I64), axis=axis)
            g.case(f"argMin/{tag(t)}/{axis}", "argMin", [x],
                   np.argmin(x, axis=axis).astype(I64), axis=axis)
    g.case("argMax/bool", "argMax", [b], np.argmax(b, axis=1).astype(I64), axis=1)

    # softmax, logSoftmax: float64 reference from the float32/float64 logits, rounded once.
    def softmax(x, axis):
        x = f64(x)
        m = np.max(x, axis=axis, keepdims=True)
        e = np.exp(x - m)
        return e / np.sum(e, axis=axis, keepdims=True)

    def log_softmax(x, axis):
        x = f64(x)
        m = np.max(x, axis=axis, keepdims=True)
        return (x - m) - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))

    for t in FLOATS:
        x = normal(t, (4, 6), 3)
        x[1] += t(1000)  # large logits: only a stable softmax gets these
        x[2, 3] = -np.inf  # a masked logit: probability 0
        x[3] = np.asarray([0, 0, 0, 0, 0, 20], t)
        for axis in (-1, 0, 1):
            g.case(f"softmax/{tag(t)}/{axis}", "softmax", [x],
                   np.asarray(softmax(x, axis), dtype=t), axis=axis)
            g.case(f"logSoftmax/{tag(t)}/{axis}", "logSoftmax", [x],
                   np.asarray(log_softmax(x, axis), dtype=t), axis=axis)
        y = normal(t, (2, 3, 5), 2)
        g.case(f"softmax/{tag(t)}/rank3_axis1", "softmax", [y],
               np.asarray(softmax(y, 1), dtype=t), axis=1)
        g.case(f"logSoftmax/{tag(t)}/rank3_axis1", "logSoftmax", [y],
               np.asarray(log_softmax(y, 1), dtype=t), axis=1)


# ---------------------------------------------------------------------------------------- shape

def strided_index(shape, begin, end, strides, bm=0, em=0, ellipsis=0, new=0, shrink=0):
    """tf.strided_slice's arguments as a numpy index (TF's strided_slice is Python slicing)."""
    idx = []
    for i in range(len(begin)):
        if ellipsis >> i & 1:
            idx.append(Ellipsis)
        elif new >> i & 1:
            idx.append(None)
        elif shrink >> i & 1:
            idx.append(begin[i])
        else:
            idx.append(slice(None if bm >> i & 1 else begin[i], None if em >> i & 1 else end[i],
                             strides[i]))
    return tuple(idx)


def shape_ops(g):
    for t in (F32, F64, I32, I64, BOOL):
        x = np.arange(24).reshape(2, 3, 4)
        x = x.astype(t) if t is not BOOL else (x % 3 == 0)
        if t in FLOATS:
            x = normal(t, (2, 3, 4), 4)
            x[0, 1, 2] = np.nan
            x[1, 2, 3] = -np.inf
            x[0, 0, 0] = -0.0
        for perm in [(2, 0, 1), (1, 0, 2), (0, 1, 2), ()]:
            want = np.transpose(x, perm or None)
            g.case(f"transpose/{tag(t)}/{''.join(map(str, perm)) or 'reverse'}", "transpose",
                   [x], want, perm=list(perm))
        g.case(f"reshape/{tag(t)}", "reshape", [x], x.reshape(4, 6), shape=[4, -1])
        y = x[:, :2, :] if t is BOOL else np.asarray(x[:, :2, :] + 1, dtype=t)
        g.case(f"concat/{tag(t)}/axis1", "concat", [x, y, x], np.concatenate([x, y, x], axis=1),
               axis=1)
        g.case(f"concat/{tag(t)}/axis-1", "concat", [x, x[:, :, :1]],
               np.concatenate([x, x[:, :, :1]], axis=-1), axis=-1)
        for axis in (0, 2, 3, -1):
            g.case(f"stack/{tag(t)}/{axis}", "stack", [x, x[::-1], x], np.stack(
                [x, x[::-1], x], axis=axis), axis=axis)
        g.case(f"split/{tag(t)}/num", "split", [x], np.split(x, 2, axis=2), numSplit=2, axis=2)
        g.case(f"split/{tag(t)}/sizes", "split", [x], np.split(x, [1, 1, 3], axis=-1),
               sizeSplits=[1, 0, 2, -1], axis=-1)
        g.case(f"slice/{tag(t)}", "slice", [x], x[1:2, 1:, 0:3], begin=[1, 1, 0], size=[1, -1, 3])
        for k, (b, e, s, masks) in enumerate([
                ([1, 2, 3], [0, 0, 0], [-1, -1, -1], {}),
                ([0, -1, 3], [2, -4, 0], [1, -2, -2], {}),
                ([0, 0, 0], [2, 0, 0], [1, -1, -3], {"bm": 6, "em": 6}),
                ([1, 0, 0], [1, 3, 4], [1, 1, 1], {}),  # empty
                ([1, 0, -2], [2, 3, 100], [1, 2, 1], {"shrink": 1}),
                ([0, 0, 0], [0, 2, 0], [1, 1, -1], {"ellipsis": 1, "new": 4, "em": 4}),
                ([5, -100, 10], [-100, 100, -100], [-1, 1, -4], {}),
        ]):
            want = x[strided_index(x.shape, b, e, s, **masks)]
            g.case(f"stridedSlice/{tag(t)}/{k}", "stridedSlice", [x], want, begin=b, end=e,
                   strides=s, beginMask=masks.get("bm", 0), endMask=masks.get("em", 0),
                   ellipsisMask=masks.get("ellipsis", 0), newAxisMask=masks.get("new", 0),
                   shrinkAxisMask=masks.get("shrink", 0))
        for it in (I32, I64):
            ind = np.asarray([[2, 0], [1, 1], [0, 2]], dtype=it)
            g.case(f"gather/{tag(t)}/axis1_{tag(it)}", "gather", [x, ind],
                   np.take(x, ind, axis=1), axis=1)
        ind = np.asarray([1, 0, 1, 1], dtype=I32)
        g.case(f"gather/{tag(t)}/axis0", "gather", [x, ind], np.take(x, ind, axis=0), axis=0)
        g.case(f"gather/{tag(t)}/axis-1", "gather", [x, np.asarray(3, I64)],
               np.take(x, 3, axis=-1), axis=-1)
        g.case(f"tile/{tag(t)}", "tile", [x[:, :2, :3]], np.tile(x[:, :2, :3], (2, 1, 3)),
               multiples=[2, 1, 3])
        g.case(f"broadcastTo/{tag(t)}", "broadcastTo", [x[:, :1, :]],
               np.broadcast_to(x[:, :1, :], (3, 2, 5, 4)), shape=[3, 2, 5, 4])
        pads = [[1, 0], [2, 1], [0, 3]]
        if t is not BOOL:
            c = -2.5 if t in FLOATS else 9.0
            g.case(f"pad/{tag(t)}/constant", "pad", [x],
                   np.pad(x, pads, mode="constant", constant_values=t(c)), paddings=pads,
                   constantValue=c)
        mpads = [[1, 1], [2, 0], [0, 3]]
        g.case(f"pad/{tag(t)}/reflect", "pad", [x], np.pad(x, mpads, mode="reflect"),
               paddings=mpads, mode="REFLECT")
        spads = [[2, 1], [3, 3], [1, 4]]
        g.case(f"pad/{tag(t)}/symmetric", "pad", [x], np.pad(x, spads, mode="symmetric"),
               paddings=spads, mode="SYMMETRIC")
    g.case("pad/bool/zeros", "pad", [np.asarray([[True, False]])],
           np.pad(np.asarray([[True, False]]), [[1, 0], [0, 2]]), paddings=[[1, 0], [0, 2]],
           constantValue=0.0)

    # oneHot: indices outside [0, depth) (including -1) give rows of offValue.
    ind = np.asarray([[0, 2, -1], [3, 1, 7]], dtype=I32)
    for t, on, off, axis in [(F32, 1.0, 0.0, -1), (F64, 5.0, -0.5, 0), (I32, 3.0, -1.0, 1),
                             (I64, 1.0, 0.0, 2), (BOOL, 1.0, 0.0, -1)]:
        depth = 4
        hot = (np.arange(depth) == ind[..., None])  # [2, 3, depth]
        want = np.where(hot, on, off).astype(t) if t is not BOOL else hot
        want = np.moveaxis(want, -1, axis if axis >= 0 else 2)
        g.case(f"oneHot/{tag(t)}/axis{axis}", "oneHot", [ind], want, depth=depth, onValue=on,
               offValue=off, axis=axis, dtype=DType(t))
    g.case("oneHot/default_i64", "oneHot", [np.asarray([1, 0, 5], I64)],
           np.asarray([[0, 1, 0], [1, 0, 0], [0, 0, 0]], F32), depth=3)


# --------------------------------------------------------------------------------------- matmul

def product(a, b, ta, tb):
    """op(a) @ op(b) with float64 math.fsum per element (exact products, one rounding)."""
    a = np.swapaxes(a, -1, -2) if ta else a
    b = np.swapaxes(b, -1, -2) if tb else b
    if a.dtype.kind == "i":
        return np.matmul(a, b)  # int32 wraps modulo 2^32 in any order, as TF
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(f64(a), batch + a.shape[-2:])
    b = np.broadcast_to(f64(b), batch + b.shape[-2:])
    out = np.empty(batch + (a.shape[-2], b.shape[-1]))
    for idx in np.ndindex(*out.shape):
        *bi, i, j = idx
        row, col = a[tuple(bi) + (i,)], b[tuple(bi) + (slice(None), j)]
        out[idx] = math.fsum(float(p) * float(q) for p, q in zip(row, col))
    return out


def matmul(g):
    for t in FLOATS:
        a, b = normal(t, (3, 5)), normal(t, (5, 4))
        for ta in (False, True):
            for tb in (False, True):
                x = a.T.copy() if ta else a
                y = b.T.copy() if tb else b
                g.case(f"matmul/{tag(t)}/2d_{int(ta)}{int(tb)}", "matmul", [x, y],
                       np.asarray(product(x, y, ta, tb), dtype=t), transposeA=ta, transposeB=tb)
        x, y = normal(t, (2, 1, 3, 4)), normal(t, (3, 4, 2))
        g.case(f"matmul/{tag(t)}/batch_broadcast", "matmul", [x, y],
               np.asarray(product(x, y, False, False), dtype=t), transposeA=False,
               transposeB=False)
        x, y = normal(t, (2, 4, 3)), normal(t, (5, 4))
        g.case(f"matmul/{tag(t)}/batch_transposed", "matmul", [x, y],
               np.asarray(product(x, y, True, True), dtype=t), transposeA=True, transposeB=True)
        x, y = normal(t, (1, 33)), normal(t, (33, 17))  # k and n past a vector's lanes
        g.case(f"matmul/{tag(t)}/wide", "matmul", [x, y],
               np.asarray(product(x, y, False, False), dtype=t), transposeA=False,
               transposeB=False)
        # magnitudes far apart: row 0 of x is large, column 1 of y tiny
        x, y = normal(t, (3, 4)), normal(t, (4, 3))
        x[0] *= t(1e4)
        y[:, 1] *= t(1e-4)
        g.case(f"matmul/{tag(t)}/magnitudes", "matmul", [x, y],
               np.asarray(product(x, y, False, False), dtype=t), transposeA=False,
               transposeB=False)
        x = normal(t, (2, 3))
        y = np.asarray([[np.nan, 1, 0], [np.inf, 0, np.inf], [1, 1, 0]], t)
        g.case(f"matmul/{tag(t)}/nan_inf", "matmul", [x, y],
               np.asarray(np.matmul(f64(x), f64(y)), dtype=t), transposeA=False,
               transposeB=False)
    a, b = ints(I32, (3, 4), -100, 100), ints(I32, (4, 2), -100, 100)
    a[0] = 2**30  # wraps
    g.case("matmul/i32/2d", "matmul", [a, b], product(a, b, False, False), transposeA=False,
           transposeB=False)
    x, y = ints(I32, (2, 3, 4)), ints(I32, (2, 3, 5))
    g.case("matmul/i32/batch_ta", "matmul", [x, y], product(x, y, True, False), transposeA=True,
           transposeB=False)


# ------------------------------------------------------------------------------------- creation

def creation(g):
    # tf.range with whole numbers: INT32 when they fit; values start + i * delta.
    for start, limit, delta in [(0, 5, 1), (3, 18, 3), (10, -7, -4), (-3, 4, 2), (5, 5, 1)]:
        want = np.arange(start, limit, delta, dtype=I32)
        g.case(f"range/i32/{start}_{limit}_{delta}", "range", [], want, start=start,
               limit=limit, delta=delta)
    g.case("range/i64/big", "range", [], np.arange(2**40, 2**40 + 10, 3, dtype=I64),
           start=2**40, limit=2**40 + 10, delta=3)
    g.case("range/i64/dtype", "range", [], np.arange(-6, 6, 5, dtype=I64), start=-6,
           limit=6, delta=5, dtype=DType(I64))
    # float ranges: dyadic bounds, so every element is exact however it is computed
    # (numpy's arange and TF's range build them differently for other steps).
    for t in FLOATS:
        for start, limit, delta in [(3.0, 1.0, -0.5), (0.25, 2.0, 0.375), (-1.0, 1.5, 0.5)]:
            n = math.ceil((limit - start) / delta)
            want = np.asarray([start + i * delta for i in range(n)], dtype=t)
            g.case(f"range/{tag(t)}/{start}_{limit}_{delta}", "range", [], want, start=start,
                   limit=limit, delta=delta, dtype=DType(t))
    g.case("range/f64/int_bounds", "range", [], np.arange(0, 7, 2, dtype=F64), start=0,
           limit=7, delta=2, dtype=DType(F64))
    # tf.linspace: step (stop - start) / (num - 1); the last value is stop exactly.
    for t in FLOATS:
        for start, stop, num in [(0.0, 1.0, 11), (-3.0, 7.5, 8), (10.0, -2.0, 5), (2.5, 9.0, 1),
                                 (1e6, 1e6 + 1, 7), (-1.0, 1.0, 101)]:
            want = np.linspace(start, stop, num, dtype=F64)
            g.case(f"linspace/{tag(t)}/{start}_{stop}_{num}", "linspace", [],
                   np.asarray(want, dtype=t), start=start, stop=stop, num=num, dtype=DType(t))


# ---------------------------------------------------------------------------------------- unary

getcontext().prec = 50
SQRT2 = Decimal(2).sqrt()


def gelu(x):
    """Exact GELU, x/2 (1 + erf(x/sqrt 2)), in float64 for one value. Written as x/2 erfc(z),
    z = -x/sqrt 2 (the same function: 1 + erf(-z) = erfc(z)), because 1 + erf cancels in the
    negative tail. z is rounded once more than x, which in the tail costs about 2 z^2 ulps, so
    the rounding error of z is corrected with the first Taylor term of erfc."""
    if math.isnan(x) or math.isinf(x):
        return x if x > 0 or math.isnan(x) else math.nan  # -inf: no case uses it
    zd = -Decimal(x) / SQRT2
    z = float(zd)
    dz = float(zd - Decimal(z))
    e = math.erfc(z) - 2 / math.sqrt(math.pi) * math.exp(-z * z) * dz
    return 0.5 * x * e


def sigmoid(x):
    x = f64(x)
    e = np.exp(-np.abs(x))  # no overflow
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


UNARY = {
    # name: (float64 reference, range of the random values, extra inputs)
    "exp": (np.exp, 20, [88.7, 89.0, -87.5, -103.0, -110.0, 709.7, 710.0, -745.0, 1e-10]),
    "expm1": (np.expm1, 5, [1e-10, -1e-10, 1e-30, -50.0, 50.0, 88.8, 709.0]),
    "log": (np.log, None, [1.0, -1.0, 1e-45, 1e-310, 3.4e38, 1e300, 0.5, 2.0]),
    "log1p": (np.log1p, None, [-1.0, -1.5, -0.999, 1e-10, -1e-10, 1e30]),
    "sqrt": (np.sqrt, None, [-1.0, 1e-45, 2.0, 4.0, 1e300, 1e-320]),
    "rsqrt": (lambda x: 1 / np.sqrt(x), None, [-1.0, 4.0, 1e-40, 1e30, 0.25]),
    "square": (np.square, 100, [1e20, 1e-25, 1e200, 1e-170]),
    "reciprocal": (lambda x: 1 / x, 10, [1e-39, 3.0, 1e300, 1e-310]),
    "sin": (np.sin, 10, [1e4, -1e5, 3.14159265, 1e-20, 1e6, 100.0]),
    "cos": (np.cos, 10, [1e4, -1e5, 3.14159265, 1e-20, 1e6, 100.0]),
    "tanh": (np.tanh, 5, [-20.0, 20.0, 1e-10, 9.0, -9.0, 0.5, 1e-30]),
    "sigmoid": (sigmoid, 10, [-100.0, -50.0, 20.0, 50.0, 100.0, 1e-10, -88.0, -745.0, -700.0]),
    "relu": (lambda x: np.maximum(x, 0), 10, [1e30, -1e30]),
    "relu6": (lambda x: np.minimum(np.maximum(x, 0), 6), 10, [6.0, 6.5, 5.99, 1e30]),
    "elu": (lambda x: np.where(x < 0, np.expm1(x), x), 5, [-100.0, -1e-10, -20.0, 1e-10]),
    "gelu": (np.vectorize(gelu, otypes=[F64]), 5,
             [-10.0, -13.3, -13.6, -20.0, -30.0, -38.0, 10.0, 1e-20, -1e-20, 40.0]),
    "softplus": (lambda x: np.logaddexp(0, x), 20,
                 [-100.0, -1e-10, 14.0, 15.0, 16.0, 17.0, 40.0, 100.0, 1e30, -800.0]),
    "floor": (np.floor, 10, [-2.5, -0.5, 0.5, 2.5, 8388607.5, 4503599627370495.5, 1e30]),
    "ceil": (np.ceil, 10, [-2.5, -0.5, 0.5, 2.5, 8388607.5, 4503599627370495.5, 1e30]),
    # np.round is half to even, as TF's Round.
    "round": (np.round, 10, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -0.49, 0.49999997,
                             8388607.5, 4503599627370495.5, 1e30, 2.7, -2.7]),
    "sign": (np.sign, 10, [-3.0, 2.0, 1e-45, -1e-300]),
    "abs": (np.abs, 10, [1e30, -1e-30]),
    "neg": (np.negative, 10, [1e30, -1e-30]),
}
# Specials (NaN, Inf) each op takes, where numpy and TF agree. GELU(-inf) is left out: TF's
# formula gives NaN there and isthmus its limit, -0. relu6 takes no NaN: TF's Eigen
# max/min give no promise about it.
NO_NAN = {"relu6"}
NO_NEG_INF = {"gelu"}
INTEGRAL = {"neg": np.negative, "abs": np.abs, "sign": np.sign, "square": np.square,
            "relu": lambda x: np.maximum(x, 0), "relu6": lambda x: np.clip(x, 0, 6),
            "round": lambda x: x}
POSITIVE = {"log", "log1p", "sqrt", "rsqrt"}  # random values from a log-normal spread


def unary(g):
    for name, (ref, scale, extra) in UNARY.items():
        for t in FLOATS:
            if name in POSITIVE:
                r = np.exp(rng.normal(0, 4, 24))
            else:
                r = rng.uniform(-scale, scale, 24)
            sp = [0.0, -0.0, np.inf]
            sp += [] if name in NO_NEG_INF else [-np.inf]
            sp += [] if name in NO_NAN else [np.nan]
            x = np.asarray(np.concatenate([r, extra, sp]), dtype=t)  # float32 rounds the inputs
            x = rng.permutation(x)
            want = np.asarray(ref(f64(x)), dtype=t)  # float64 reference, rounded once
            g.case(f"{name}/{tag(t)}", name, [x], want)
            y = x[:24].reshape(2, 3, 4)
            g.case(f"{name}/{tag(t)}/rank3", name, [y], np.asarray(ref(f64(y)), dtype=t))
        if name in INTEGRAL:
            for t in (I32, I64):
                lo, hi = np.iinfo(t).min, np.iinfo(t).max
                root = 46341 if t is I32 else 3037000500  # its square wraps
                x = np.asarray([0, 1, -1, 5, 6, 7, -6, lo, hi, lo + 1, root, -root], dtype=t)
                g.case(f"{name}/{tag(t)}", name, [x], INTEGRAL[name](x))


# ------------------------------------------------------------------------------------------- nn

def window(size, k, stride, dilation, same):
    """TensorFlow's output size and padding before along one axis (effective window e)."""
    e = (k - 1) * dilation + 1
    if same:
        out = -(-size // stride)
        return out, max((out - 1) * stride + e - size, 0) // 2
    out = (size - e + stride) // stride
    assert out >= 0, "the cases keep the window within the input"
    return out, 0


def conv_ref(x, f, strides, padding, dilations, depthwise):
    """Direct NHWC convolution in float64: math.fsum of each output's products (padded taps
    contribute nothing: the inputs are finite), rounded once to the input dtype. filter is
    [kh, kw, c, out_channels] (conv2d) or [kh, kw, c, multiplier] (depthwise)."""
    n, h, w, c = x.shape
    kh, kw, _, m = f.shape
    same = padding == "SAME"
    oh, pt = window(h, kh, strides[0], dilations[0], same)
    ow, pl = window(w, kw, strides[1], dilations[1], same)
    oc = c * m if depthwise else m
    out = np.zeros((n, oh, ow, oc))
    for b, i, j in np.ndindex(n, oh, ow):
        taps = []  # (input pixel's channels, filter tap [c, m])
        for u, v in np.ndindex(kh, kw):
            iy = i * strides[0] - pt + u * dilations[0]
            ix = j * strides[1] - pl + v * dilations[1]
            if 0 <= iy < h and 0 <= ix < w:
                taps.append((f64(x[b, iy, ix]), f64(f[u, v])))
        for o in range(oc):
            if depthwise:
                terms = [px[o // m] * fw[o // m, o % m] for px, fw in taps]
            else:
                terms = [px[ci] * fw[ci, o] for px, fw in taps for ci in range(c)]
            out[b, i, j, o] = math.fsum(float(t) for t in terms)
    return np.asarray(out, dtype=x.dtype)


def pool_ref(x, ksize, strides, padding, average):
    """Max or average over each window's elements inside the input (TensorFlow's SAME divides
    by their number), in float64 (math.fsum), rounded once."""
    n, h, w, c = x.shape
    same = padding == "SAME"
    oh, pt = window(h, ksize[0], strides[0], 1, same)
    ow, pl = window(w, ksize[1], strides[1], 1, same)
    out = np.zeros((n, oh, ow, c))
    for b, i, j, ch in np.ndindex(n, oh, ow, c):
        vals = [float(x[b, iy, ix, ch])
                for iy in range(i * strides[0] - pt, i * strides[0] - pt + ksize[0])
                for ix in range(j * strides[1] - pl, j * strides[1] - pl + ksize[1])
                if 0 <= iy < h and 0 <= ix < w]
        out[b, i, j, ch] = math.fsum(vals) / len(vals) if average else max(vals)
    return np.asarray(out, dtype=x.dtype)


def nn(g):
    for t in FLOATS:
        # conv2d: the hand case (1..9 with [[1, 2], [3, 4]]), then random shapes with strides,
        # dilations, both paddings, a 1x1 window and the 4-int form of the window attributes
        x = np.arange(1, 10, dtype=t).reshape(1, 3, 3, 1)
        f = np.asarray([1, 2, 3, 4], dtype=t).reshape(2, 2, 1, 1)
        for pad in ("VALID", "SAME"):
            g.case(f"conv2d/{tag(t)}/3x3_2x2_{pad}", "conv2d", [x, f],
                   conv_ref(x, f, [1, 1], pad, [1, 1], False), strides=[1, 1], padding=pad,
                   dilations=[1, 1])
        for name, xs, fs, st, pad, dil in [
                ("strided_same", (2, 5, 6, 3), (3, 2, 3, 4), [2, 1], "SAME", [1, 1]),
                ("dilated_valid", (1, 7, 7, 2), (3, 3, 2, 3), [1, 1], "VALID", [2, 2]),
                ("dilated_same", (1, 6, 5, 3), (2, 3, 3, 2), [1, 1], "SAME", [2, 1]),
                ("strided_valid", (1, 6, 5, 4), (2, 3, 4, 2), [3, 2], "VALID", [1, 1]),
                ("1x1", (2, 3, 4, 5), (1, 1, 5, 3), [1, 1], "SAME", [1, 1]),
                ("wide", (1, 4, 4, 17), (3, 3, 17, 9), [1, 1], "SAME", [1, 1])]:
            x, f = normal(t, xs), normal(t, fs)
            g.case(f"conv2d/{tag(t)}/{name}", "conv2d", [x, f],
                   conv_ref(x, f, st, pad, dil, False), strides=[1] + st + [1], padding=pad,
                   dilations=dil)
        # depthwise: multipliers 1 and 2, strides, dilations
        for name, xs, fs, st, pad, dil in [
                ("m2_strided_same", (1, 5, 5, 3), (3, 3, 3, 2), [2, 2], "SAME", [1, 1]),
                ("m1_dilated_valid", (2, 6, 5, 4), (2, 2, 4, 1), [1, 1], "VALID", [2, 2]),
                ("m3_same", (1, 4, 6, 9), (2, 3, 9, 3), [1, 1], "SAME", [1, 1])]:
            x, f = normal(t, xs), normal(t, fs)
            g.case(f"depthwiseConv2d/{tag(t)}/{name}", "depthwiseConv2d", [x, f],
                   conv_ref(x, f, st, pad, dil, True), strides=st, padding=pad, dilations=dil)
        # pooling: the hand cases, then random shapes; SAME's border windows average fewer
        x = np.arange(1, 17, dtype=t).reshape(1, 4, 4, 1)
        g.case(f"maxPool/{tag(t)}/4x4_2x2", "maxPool", [x], pool_ref(x, [2, 2], [2, 2], "VALID",
               False), ksize=[2, 2], strides=[2, 2], padding="VALID")
        x = np.arange(1, 10, dtype=t).reshape(1, 3, 3, 1)
        g.case(f"avgPool/{tag(t)}/3x3_same", "avgPool", [x], pool_ref(x, [3, 3], [1, 1], "SAME",
               True), ksize=[3, 3], strides=[1, 1], padding="SAME")
        for name, xs, k, st, pad in [("same", (2, 5, 7, 3), [3, 3], [2, 2], "SAME"),
                                     ("valid", (1, 6, 6, 10), [2, 3], [2, 1], "VALID"),
                                     ("same_1x4", (1, 3, 7, 2), [1, 4], [1, 3], "SAME")]:
            x = normal(t, xs, 3)
            for op, avg in (("maxPool", False), ("avgPool", True)):
                g.case(f"{op}/{tag(t)}/{name}", op, [x], pool_ref(x, k, st, pad, avg), ksize=k,
                       strides=st, padding=pad)


def main():
    files = [("binary.txt", "Elementwise binary ops, comparisons, where, cast and clip.", binary),
             ("reduce.txt", "Reductions, argMax/argMin, softmax and logSoftmax.", reductions),
             ("shape.txt", "Shape and movement ops.", shape_ops),
             ("matmul.txt", "Matrix products.", matmul),
             ("creation.txt", "range and linspace.", creation),
             ("unary.txt", "Elementwise unary ops.", unary),
             ("nn.txt", "Convolution and pooling (NHWC).", nn)]
    for name, title, fill in files:
        g = Golden(name, title)
        fill(g)
        g.write()


if __name__ == "__main__":
    sys.exit(main())
