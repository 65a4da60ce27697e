#!/usr/bin/env python3
"""Writes format_cases.txt: tensors and the text TensorFlow prints for them (str(tensor)).

TensorFlow is not needed: str(tf_tensor) is
    "tf.Tensor(%s, shape=%s, dtype=%s)" % (text, shape, dtype_name)
where text is str(tensor.numpy()), preceded by a newline when it has several lines, and shape is
TensorShape's text: (), (3,), (2, 3). This script builds that string from numpy's str().

Run from this directory:  python3 gen_format_cases.py  (needs numpy; records its version).

File format, one record per case:
    case <name>
    dtype <float32|float64|int32|int64|bool>
    shape <dims...>
    values <v...>            (floats as Python repr of the exact value, or nan/inf/-inf;
                              bools as 0/1)
    expect <number of lines>
    <that many lines of expected text>
"""
import os

import numpy as np

rng = np.random.default_rng(20240607)
cases = []


def add(name, values, dtype, shape=None):
    a = np.array(values, dtype=dtype)
    if shape is not None:
        a = a.reshape(shape)
    cases.append((name, a))


# scalars (numpy prints the scalar: all shortest digits)
add("scalar_f32", 3.5, np.float32)
add("scalar_f32_one", 1.0, np.float32)
add("scalar_f32_tenth", 0.1, np.float32)
add("scalar_f64_third", 1 / 3, np.float64)
add("scalar_f64_big", 1e20, np.float64)
add("scalar_f64_1e16", 1e16, np.float64)
add("scalar_f64_below_1e16", 9999999999999998.0, np.float64)
add("scalar_f32_small", 1e-5, np.float32)
add("scalar_f32_1e-4", 1e-4, np.float32)
add("scalar_f64_1e-4", 1e-4, np.float64)
add("scalar_f64_negzero", -0.0, np.float64)
add("scalar_f64_nan", float("nan"), np.float64)
add("scalar_f32_neginf", float("-inf"), np.float32)
add("scalar_f64_min_subnormal", 5e-324, np.float64)
add("scalar_f64_1.5e-7", -1.5e-7, np.float64)
add("scalar_i32", 3, np.int32)
add("scalar_i64_min", -(2**63), np.int64)
add("scalar_bool_true", True, np.bool_)
add("scalar_bool_false", False, np.bool_)

# float vectors and matrices, positional
add("f32_2x2", [[1, 2], [3, 4]], np.float32)
add("f32_halves", [1.5, 2.25], np.float32)
add("f32_tenths", [0.1, 0.2, 0.3], np.float32)
add("f64_tenths", [0.1, 0.2, 0.30000000000000004], np.float64)
add("f64_mixed_signs", [-1.5, 3.0, 0.0, -0.0], np.float64)
add("f64_thirds", [1 / 3, 2 / 3, 1.0], np.float64)
add("f64_cut_rounding", [0.123456785, 0.5, 2.000000005, 0.999999999], np.float64)
add("f64_large_positional", [12345678.123456789, 1.0e7, 99999999.0], np.float64)
add("f32_1e-4_boundary", [1e-4, 2e-4], np.float32)
add("f64_1e-4_boundary", [1e-4, 2e-4], np.float64)
add("f32_ratio_1000", [1.0, 1000.0], np.float32)
add("f32_ratio_1001", [1.0, 1001.0], np.float32)
add("f32_below_1e6", [999999.0, 1000.0], np.float32)
add("f32_1e6", [1e6, 1e5], np.float32)
add("f64_1e6", [1e6, 1e5], np.float64)
add("f64_negative_wide", [-123.456, 0.5, 7.0], np.float64)
add("f32_integral", [1.0, 2.5, -3.0], np.float32)
add("f64_zeros", [0.0, 0.0, 0.0], np.float64)
add("f32_col", [[1.5], [-2.0], [30.25]], np.float32)

# scientific
add("f64_sci_small", [1e-5, 1.5], np.float64)
add("f64_sci_3digit_exp", [1e-100, 1.0], np.float64)
add("f64_sci_big", [1e8, 1.0], np.float64)
add("f32_sci_mixed", [1e-5, -2.5e3, 3.25], np.float32)
add("f64_sci_cut", [1 / 3 * 1e-10, 1.0, 2.0 / 3.0], np.float64)
add("f64_subnormals", [5e-324, 1e-323], np.float64)
add("f64_sci_zero", [0.0, 1e-9, 1.0], np.float64)
add("f64_sci_nan", [float("nan"), 1e-5], np.float64)

# non-finite
add("f64_nan_inf", [1.5, float("nan"), float("-inf")], np.float64)
add("f32_all_nan", [float("nan"), float("nan")], np.float32)
add("f64_inf_only", [float("inf"), float("-inf")], np.float64)
add("f32_inf_small", [float("inf"), 0.5, 2.0], np.float32)

# integers and bools
add("i32_vec", [1, -22, 333], np.int32)
add("i64_extremes", [-(2**63), 2**63 - 1, 0], np.int64)
add("i32_2x3", [[1, 2, 3], [40, 50, 60]], np.int32)
add("bool_vec", [True, False, True], np.bool_)
add("bool_all_true", [True, True], np.bool_)
add("bool_2x2", [[True, False], [False, False]], np.bool_)

# empty
add("f32_empty", [], np.float32, (0,))
add("i32_empty_2x0", [], np.int32, (2, 0))

# wrapping at 75 columns
add("f64_arange30", np.arange(30.0), np.float64)
add("i64_arange100", np.arange(100), np.int64)
add("f32_random40", rng.standard_normal(40), np.float32)
add("f64_random_3x12", rng.standard_normal(36), np.float64, (3, 12))
add("i32_wide_2x30", rng.integers(-1000, 1000, 60), np.int32, (2, 30))

# higher ranks
add("f32_2x3x4", np.arange(24) / 7, np.float32, (2, 3, 4))
add("i32_2x2x2x2", np.arange(16), np.int32, (2, 2, 2, 2))
add("f64_1x1x1", [2.5], np.float64, (1, 1, 1))

# summarised (more than 1000 elements)
add("f32_1001", np.arange(1001) / 3, np.float32)
add("i32_40x40", np.arange(1600), np.int32, (40, 40))
add("f64_10x10x11", rng.standard_normal(1100), np.float64, (10, 10, 11))
add("bool_2000", rng.integers(0, 2, 2000).astype(bool), np.bool_)
add("f32_3x400", rng.uniform(-5, 5, 1200), np.float32, (3, 400))
add("f64_1001_sci", np.concatenate([[1e-9], np.arange(1000.0)]), np.float64)
add("f32_summary_hidden_large", np.concatenate([[1.0, 2.0, 3.0], np.full(995, 1e9), [4.0, 5.0, 6.0]]),
    np.float32)


def shape_text(shape):
    if len(shape) == 1:
        return "(%d,)" % shape[0]
    return "(" + ", ".join(str(d) for d in shape) + ")"


def tf_str(a):
    text = str(a)
    if "\n" in text:
        text = "\n" + text
    return "tf.Tensor(%s, shape=%s, dtype=%s)" % (text, shape_text(a.shape), a.dtype.name)


def value_text(a):
    flat = a.reshape(-1)
    if a.dtype == np.bool_:
        return " ".join("1" if v else "0" for v in flat)
    if a.dtype.kind == "i":
        return " ".join(str(int(v)) for v in flat)
    return " ".join(repr(float(v)) for v in flat)


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "format_cases.txt"), "w") as out:
    out.write("# Written by gen_format_cases.py with numpy %s. Do not edit.\n" % np.__version__)
    for name, a in cases:
        expected = tf_str(a).split("\n")
        out.write("case %s\n" % name)
        out.write("dtype %s\n" % a.dtype.name)
        out.write("shape %s\n" % " ".join(str(d) for d in a.shape))
        out.write("values %s\n" % value_text(a))
        out.write("expect %d\n" % len(expected))
        for line in expected:
            out.write(line + "\n")
print("wrote %d cases" % len(cases))
