"""Times numpy equivalents of isthmus benchmarks, for the numpy column of ./isthmus bench.

Usage: python3 numpy_baseline.py [--repeat R] [--threads T] CASE...
CASE is add1 (add of two 1-element arrays); exp:N, tanh:N, add:N, sum:N, uniform:N, normal:N,
ones:N, less:N, where:N, cast:N (N float32 elements); matmul:N, transpose:N, gather:N (N x N
float32; gather takes N random rows), matmul64:N (N x N float64) or concat:N (two N x N float32
along axis 0). Prints "# numpy VERSION" then one "CASE<TAB>NANOSECONDS" line per
case: the median over R timeit repeats of the time per call.
BLAS runs T threads (default 1, as isthmus on one thread). A case may end in @T (matmul:2048@2)
to say which thread count it was measured with; it must then match --threads, since OpenBLAS
reads its thread count once, when numpy loads: each thread count needs its own process.
Exit status 3 means numpy is not installed, 2 a bad command line.
"""
import os
import statistics
import sys
import timeit


def blas_threads(argv):
    """The --threads value of the command line (1 when absent), before numpy is imported."""
    for i, a in enumerate(argv[:-1]):
        if a == "--threads" and argv[i + 1].isdigit() and int(argv[i + 1]) > 0:
            return argv[i + 1]
    return "1"


# Must be set before numpy loads its BLAS.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = blas_threads(sys.argv[1:])
# OpenBLAS picks its kernels for the CPU it runs on unless these override it (a core type forced
# to an older one, or a smaller L2 than the CPU has); numpy is measured as it runs by default.
for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(var, None)

try:
    import numpy as np
except ImportError:
    print("numpy is not installed for " + sys.executable, file=sys.stderr)
    sys.exit(3)


SIZED = ("exp", "tanh", "add", "sum", "matmul", "matmul64", "transpose", "concat", "gather", "uniform",
         "normal", "ones", "less", "where", "cast")


def check(case, threads):
    """Raises ValueError unless `case` is one this script knows, measured with `threads`."""
    base, at, t = case.partition("@")
    if at and t != str(threads):
        raise ValueError("case %r asks for %s BLAS threads but this process has %d (--threads)"
                         % (case, t, threads))
    name, _, arg = base.partition(":")
    if name == "add1" and not arg:
        return
    if name in SIZED and arg.isdigit() and int(arg) > 0:
        return
    raise ValueError("unknown case %r (expected add1, or %s:N, optionally @T)"
                     % (case, "/".join(SIZED)))


def workload(case):
    """Returns a no-argument function doing the case's operation once, on prepared data."""
    name, _, arg = case.partition("@")[0].partition(":")
    rng = np.random.default_rng(42)
    if name == "add1":
        a = np.array([1.5], dtype=np.float32)
        b = np.array([2.25], dtype=np.float32)
        return lambda: a + b  # allocates its result, as eager isthmus does
    n = int(arg)
    if name in ("exp", "tanh"):
        x = rng.uniform(-4, 4, n).astype(np.float32)
        out = np.empty_like(x)
        f = getattr(np, name)
        return lambda: f(x, out=out)
    if name == "add":
        a = rng.standard_normal(n, dtype=np.float32)
        b = rng.standard_normal(n, dtype=np.float32)
        out = np.empty_like(a)
        return lambda: np.add(a, b, out=out)
    if name == "sum":
        a = rng.standard_normal(n, dtype=np.float32)
        return lambda: a.sum()
    if name in ("matmul", "matmul64"):
        t = np.float32 if name == "matmul" else np.float64
        a = rng.standard_normal((n, n), dtype=t)
        b = rng.standard_normal((n, n), dtype=t)
        out = np.empty((n, n), dtype=t)
        return lambda: np.matmul(a, b, out=out)
    if name == "transpose":
        a = rng.standard_normal((n, n), dtype=np.float32)
        return lambda: np.transpose(a).copy()  # transpose is a view; copy() moves the data
    if name == "concat":
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        out = np.empty((2 * n, n), dtype=np.float32)
        return lambda: np.concatenate((a, b), axis=0, out=out)
    if name == "gather":
        a = rng.standard_normal((n, n), dtype=np.float32)
        idx = rng.integers(0, n, n, dtype=np.int32)
        out = np.empty((n, n), dtype=np.float32)
        return lambda: np.take(a, idx, axis=0, out=out)
    if name == "uniform":
        out = np.empty(n, dtype=np.float32)
        return lambda: rng.random(n, dtype=np.float32, out=out)
    if name == "normal":
        out = np.empty(n, dtype=np.float32)
        return lambda: rng.standard_normal(n, dtype=np.float32, out=out)
    if name == "ones":
        return lambda: np.ones(n, dtype=np.float32)  # allocates, as Ops.ones does
    if name == "less":
        a = rng.uniform(-1000, 1000, n).astype(np.float32)
        b = rng.uniform(-1000, 1000, n).astype(np.float32)
        out = np.empty(n, dtype=np.bool_)
        return lambda: np.less(a, b, out=out)
    if name == "where":
        c = rng.random(n) < 0.5
        a = rng.uniform(-1000, 1000, n).astype(np.float32)
        b = rng.uniform(-1000, 1000, n).astype(np.float32)
        return lambda: np.where(c, a, b)  # no out=: allocates
    if name == "cast":
        a = rng.uniform(-1000, 1000, n).astype(np.float32)
        return lambda: a.astype(np.int32)  # allocates
    raise ValueError("unknown case " + case)


def time_ns(fn, repeat):
    """Median over `repeat` runs of the time per call, each run long enough (>= 0.2 s)."""
    fn()  # warm up caches and lazy initialisation
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e9


def main(argv):
    repeat = 7
    threads = 1
    cases = []
    i = 0
    try:
        while i < len(argv):
            if argv[i] in ("--repeat", "--threads"):
                v = int(argv[i + 1])
                if v < 1:
                    raise ValueError("%s must be at least 1" % argv[i])
                if argv[i] == "--repeat":
                    repeat = v
                else:
                    threads = v
                i += 2
            else:
                cases.append(argv[i])
                i += 1
        for case in cases:
            check(case, threads)  # reject bad cases before spending time on good ones
    except (ValueError, IndexError) as e:
        print(e, file=sys.stderr)
        sys.exit(2)
    print("# numpy " + np.__version__, flush=True)
    for case in cases:
        print("%s\t%.6g" % (case, time_ns(workload(case), repeat)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
