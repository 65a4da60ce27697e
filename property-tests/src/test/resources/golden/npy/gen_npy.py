#!/usr/bin/env python3
"""Writes the .npy/.npz golden files that NpyGoldenTest reads, and the Jazzer seed inputs.

Run from anywhere:  python3 gen_npy.py
It needs numpy only, and writes next to itself:
  - <dtype>_<C|F>_<le|be|na>_v<1|2|3>.npy: every dtype x memory order x byte order x format
    version, written by numpy itself (np.lib.format.write_array with an explicit version);
  - scalar_*.npy, empty_*.npy: rank 0 and zero-size arrays, written by np.save;
  - crafted_*.npy: legal files numpy reads but never writes ('=' byte order, fortran_order True
    on a 1-D or empty array, Python 2's "3L" integers, bool bytes other than 0 and 1, an old
    16-byte aligned header): each built by hand here, then checked by np.load before it is kept;
  - arrays.npz (np.savez) and arrays_compressed.npz (np.savez_compressed);
  - manifest.txt: what each file holds (the Java test compares against it, never runs Python).
It also copies a few of the same files as seeds for the fuzz tests in core
(core/src/test/resources/dev/isthmus/NpyFuzzTestInputs/<method>/).

manifest.txt: one line per array:
    <file>[:<npz key>] <dtype> [d0,d1,...] <same|-> <values...>
values in logical row-major order: floats as their raw IEEE bits in hex (NaN payloads and -0.0
exact), integers in decimal, bools 0/1. 'same' marks a file that is exactly what np.save writes
for that array on a little-endian machine: Tensor.toNpy must reproduce it byte for byte there.
"""

import os
import struct

import numpy as np

SEED = 20240611
rng = np.random.default_rng(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", "..", ".."))
SEEDS = os.path.join(ROOT, "core", "src", "test", "resources", "dev", "isthmus",
                     "NpyFuzzTestInputs")
NAMES = {"f4": "float32", "f8": "float64", "i4": "int32", "i8": "int64", "b1": "bool"}
lines = []


def values(kind, shape):
    n = int(np.prod(shape))
    if kind in ("f4", "f8"):
        t = np.float32 if kind == "f4" else np.float64
        fi = np.finfo(t)
        special = [np.nan, np.inf, -np.inf, -0.0, 0.0, fi.max, -fi.max, fi.tiny,
                   fi.smallest_subnormal, -fi.smallest_subnormal, 1.0, -1.5]
        v = np.concatenate([special, rng.normal(0, 100, max(0, n - len(special)))])[:n]
        a = np.asarray(v, dtype=t)
        if n > 0 and kind == "f4":  # a NaN with a payload: bits must survive untouched
            a.view(np.uint32)[0] = 0x7FC00001
        return a.reshape(shape)
    if kind in ("i4", "i8"):
        t = np.int32 if kind == "i4" else np.int64
        ii = np.iinfo(t)
        special = [ii.min, ii.max, 0, -1, 1, 0x01020304]
        v = np.concatenate([np.array(special, dtype=np.int64),
                            rng.integers(-10**6, 10**6, max(0, n - len(special)))])[:n]
        return np.asarray(v, dtype=t).reshape(shape)
    return (rng.integers(0, 2, n) == 1).reshape(shape)


def fmt(a):
    flat = np.asarray(a).ravel(order="C")
    if a.dtype.kind == "f":
        u = np.uint32 if a.dtype.itemsize == 4 else np.uint64
        w = 8 if a.dtype.itemsize == 4 else 16
        return [format(int(x), f"0{w}x") for x in flat.astype(a.dtype.newbyteorder("=")).view(u)]
    if a.dtype.kind == "b":
        return ["1" if x else "0" for x in flat]
    return [str(int(x)) for x in flat]


def record(name, a, same):
    name_dtype = NAMES[{"f": "f", "i": "i", "b": "b"}[a.dtype.kind] + str(a.dtype.itemsize)]
    dims = "[" + ",".join(str(d) for d in a.shape) + "]"
    lines.append(" ".join([name, name_dtype, dims, "same" if same else "-"] + fmt(a)))


def write(name, a, version, same=False):
    with open(os.path.join(HERE, name), "wb") as f:
        np.lib.format.write_array(f, a, version=version)
    back = np.load(os.path.join(HERE, name))
    assert back.dtype == a.dtype and back.shape == a.shape
    assert back.tobytes() == a.tobytes()
    record(name, a, same)


def crafted(name, header, data, expect, align=64):
    """A file built by hand: preamble, header text padded to `align`, data; np.load must agree."""
    h = header.encode("latin1")
    pad = align - (10 + len(h) + 1) % align
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h) + pad + 1) + h + b" " * pad + b"\n"
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        f.write(blob + data)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns about Python 2 headers
        back = np.load(path)
    assert back.shape == expect.shape, name
    if expect.dtype.kind == "b":
        assert np.array_equal(back, expect), name
    else:  # compare bits (NaN != NaN)
        native = expect.dtype.newbyteorder("=")
        assert back.astype(native).tobytes() == expect.astype(native).tobytes(), name
    record(name, expect, False)


def main():
    shape = (2, 3, 4)
    for kind in ("f4", "f8", "i4", "i8", "b1"):
        base = values(kind, shape)
        orders = ("le", "be") if kind != "b1" else ("na",)
        for bo in orders:
            char = {"le": "<", "be": ">", "na": "|"}[bo]
            a = base.astype(np.dtype(char + kind) if kind != "b1" else np.bool_)
            for mem in ("C", "F"):
                arr = np.ascontiguousarray(a) if mem == "C" else np.asfortranarray(a)
                for v in (1, 2, 3):
                    same = mem == "C" and bo in ("le", "na") and v == 1
                    write(f"{kind}_{mem}_{bo}_v{v}.npy", arr, (v, 0), same)
        np.save(os.path.join(HERE, f"scalar_{kind}.npy"), values(kind, ()))
        record(f"scalar_{kind}.npy", values_back(f"scalar_{kind}.npy"), True)
        np.save(os.path.join(HERE, f"empty_{kind}.npy"), values(kind, (0, 3)))
        record(f"empty_{kind}.npy", values_back(f"empty_{kind}.npy"), True)
    # a long axis, numpy's growth padding, rank 1
    np.save(os.path.join(HERE, "rank1_i8.npy"), np.arange(-5, 300, dtype=np.int64))
    record("rank1_i8.npy", values_back("rank1_i8.npy"), True)
    # Fortran order where only two of four axes are long
    a = np.asfortranarray(values("f8", (2, 1, 3, 1)))
    write("f8_F_le_v1_rank4.npy", a, (1, 0))

    f4 = values("f4", (2, 3))
    crafted("crafted_native_order.npy",
            "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3), }",
            f4.astype("=f4").tobytes(), f4)
    i4 = np.arange(5, dtype=np.int32)
    crafted("crafted_fortran_1d.npy",
            "{'descr': '<i4', 'fortran_order': True, 'shape': (5,), }",
            i4.astype("<i4").tobytes(), i4)
    crafted("crafted_fortran_empty.npy",
            "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 0), }",
            b"", np.zeros((3, 0)))
    i2 = np.arange(6, dtype=np.int32).reshape(2, 3)
    crafted("crafted_py2_long.npy",
            "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 3L), }",
            i2.astype("<i4").tobytes(), i2)
    crafted("crafted_bool_bytes.npy",
            "{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }",
            bytes([0, 1, 2, 255, 0]), np.array([False, True, True, True, False]))
    crafted("crafted_question_mark.npy",
            "{'shape': (2,), 'fortran_order': False, 'descr': '?'}",
            bytes([1, 0]), np.array([True, False]))
    i8 = np.arange(4, dtype=np.int64)
    crafted("crafted_align16.npy",
            "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }",
            i8.astype("<i8").tobytes(), i8, align=16)

    arrays = {"weights": values("f4", (3, 4)), "bias": values("f8", (4,)),
              "steps": np.asfortranarray(values("i8", (2, 3))).astype(">i8"),
              "mask": values("b1", (2, 2)), "count": np.int32(7), "none": np.zeros((0,), np.int32)}
    np.savez(os.path.join(HERE, "arrays.npz"), **arrays)
    np.savez_compressed(os.path.join(HERE, "arrays_compressed.npz"), **arrays)
    for archive in ("arrays.npz", "arrays_compressed.npz"):
        with np.load(os.path.join(HERE, archive)) as z:
            for k in z.files:
                record(f"{archive}:{k}", z[k], False)

    with open(os.path.join(HERE, "manifest.txt"), "w") as f:
        f.write(f"# Written by gen_npy.py (numpy {np.__version__}, seed {SEED}); do not edit.\n")
        f.write("\n".join(lines) + "\n")
    print(f"manifest.txt: {len(lines)} arrays")

    seeds = {
        "fromNpy": ("f4_C_le_v1.npy", "f8_F_be_v2.npy", "i4_F_le_v3.npy", "b1_C_na_v1.npy",
                    "scalar_i8.npy", "empty_f4.npy", "crafted_py2_long.npy",
                    "crafted_bool_bytes.npy", "arrays.npz"),
        "npzRead": ("arrays.npz", "arrays_compressed.npz", "f4_C_le_v1.npy"),
    }
    for method, names in seeds.items():
        out = os.path.join(SEEDS, method)
        os.makedirs(out, exist_ok=True)
        for name in names:
            with open(os.path.join(HERE, name), "rb") as src, \
                    open(os.path.join(out, name), "wb") as dst:
                dst.write(src.read())
        print(f"fuzz seeds: {out}")


def values_back(name):
    return np.load(os.path.join(HERE, name))


if __name__ == "__main__":
    main()
