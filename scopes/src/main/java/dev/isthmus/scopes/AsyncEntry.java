package dev.isthmus.scopes;

import dev.isthmus.InternalException;
import dev.isthmus.IsthmusException;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Pending;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One op in an async executor's log, and the producer its pending outputs wait for: its inputs
 * until it runs, then its results or its error (published with release stores, read with
 * acquire loads).
 */
final class AsyncEntry implements Pending {
  private static final VarHandle RESULTS;
  private static final VarHandle FAILURE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RESULTS = l.findVarHandle(AsyncEntry.class, "results", Tensor[].class);
      FAILURE = l.findVarHandle(AsyncEntry.class, "failure", IsthmusException.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final AsyncExecutor executor;
  final long seq;
  final OpDef op;
  Tensor[] inputs; // dropped once the op ran
  final Attrs attrs;
  final TensorSpec[] specs; // the dispatch-time specs; null when the op's shapes are dynamic
  final StackTraceElement site; // null unless the op can fail (see fallible)
  @SuppressWarnings("unused") // accessed through RESULTS
  private Tensor[] results;
  @SuppressWarnings("unused") // accessed through FAILURE
  private IsthmusException failure;

  AsyncEntry(AsyncExecutor executor, long seq, OpDef op, Tensor[] inputs, Attrs attrs,
      TensorSpec[] specs, StackTraceElement site) {
    this.executor = executor;
    this.seq = seq;
    this.op = op;
    this.inputs = inputs;
    this.attrs = attrs;
    this.specs = specs;
    this.site = site;
  }

  /** The op, its inputs as they reached the kernel, and where it was issued. */
  String provenance() {
    StringBuilder sb = new StringBuilder("[[async op ").append(op.name()).append(" #")
        .append(seq);
    Tensor[] ins = inputs;
    if (ins != null && ins.length > 0) {
      sb.append(" (inputs ");
      for (int i = 0; i < ins.length; i++) {
        sb.append(i > 0 ? ", " : "").append(ins[i] == null ? "null" : describe(ins[i]));
      }
      sb.append(")");
    }
    sb.append(", issued at ").append(site != null ? site.toString()
        : "an unrecorded call site: call sites are recorded for ops whose kernels can fail; "
            + "run with -Disthmus.async.callSites=all to record every op's");
    return sb.append("]]").toString();
  }

  private static String describe(Tensor t) {
    Pending p = Tensors.pendingOf(t);
    return t.dtype().numpyName() + (p == null || p.shapeExact() ? t.shape().toString() : "");
  }

  void complete(Tensor[] outs) {
    inputs = null; // let the inputs go as soon as the op ran
    RESULTS.setRelease(this, outs);
  }

  void fail(IsthmusException x) {
    inputs = null;
    FAILURE.setRelease(this, x);
  }

  @Override
  public Tensor await(int index) {
    Tensor[] r = (Tensor[]) RESULTS.getAcquire(this);
    if (r != null) {
      return r[index];
    }
    if (FAILURE.getAcquire(this) == null) {
      executor.awaitCompleted(seq);
      r = (Tensor[]) RESULTS.getAcquire(this);
      if (r != null) {
        return r[index];
      }
    }
    IsthmusException f = (IsthmusException) FAILURE.getAcquire(this);
    throw f != null ? AsyncErrors.rethrown(f)
        : new InternalException("async op " + op.name() + " ended without a result");
  }

  @Override
  public boolean shapeExact() {
    return specs != null;
  }
}
