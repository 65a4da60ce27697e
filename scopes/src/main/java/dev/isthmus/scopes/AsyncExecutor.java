package dev.isthmus.scopes;

import dev.isthmus.Executor;
import dev.isthmus.InternalException;
import dev.isthmus.IsthmusException;
import dev.isthmus.ResourceExhaustedException;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Pending;
import dev.isthmus.internal.Recording;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The async scope's executor (docs/SCOPES.md, asyncScope): an ordered op log per thread,
 * drained by one consumer virtual thread.
 *
 * <p>The issuing thread validates each op (its shape rule runs at once, so a shape error is
 * thrown where the op was called), makes pending output tensors, appends the op to a lock-free
 * queue and returns. The consumer runs ops one at a time in issue order, which gives data
 * dependencies and the issue order of stateful ops by construction. The first failure is
 * recorded; every op after it is cancelled with that same error, and ops issued once the
 * issuing thread can see it fail at dispatch. At most {@code maxInFlight} ops wait at any time:
 * the issuing thread parks when the log is full.
 */
final class AsyncExecutor implements ExecutionContext, Executor {
  private static final boolean ALL_CALL_SITES =
      "all".equals(System.getProperty("isthmus.async.callSites"));

  private static final int SPINS = 2_000;

  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
  private final Thread owner;
  private final Thread consumer;
  private final int maxInFlight;
  private long issued; // written by the owner only
  private volatile long completed;
  private volatile boolean consumerParked;
  private volatile boolean shutdown;
  private volatile boolean held;
  private volatile IsthmusException error;

  AsyncExecutor(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.owner = Thread.currentThread();
    this.consumer = Thread.ofVirtual().name("isthmus-async-" + owner.getName()).unstarted(this::drain);
    consumer.start();
  }

  // ---------------------------------------------------------------- issuing side

  @Override
  public Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs) {
    IsthmusException e = error;
    if (e != null) {
      throw AsyncErrors.rethrown(e); // fail fast with the recorded error (SCOPES.md rule 3)
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] != null && inputs[i].isSymbolic()) {
        throw new dev.isthmus.FailedPreconditionException(op.name() + ": input #" + i
            + " is the symbolic tensor '" + inputs[i].name() + "' of graph '"
            + inputs[i].op().graph().name() + "', which has no value while executing eagerly");
      }
    }
    TensorSpec[] specs = op.infer(inputs, attrs);
    boolean exact = !op.dynamicShape(attrs);
    boolean fallible = ALL_CALL_SITES || !(op.is(OpDef.Flag.ELEMENTWISE)
        || op.is(OpDef.Flag.REDUCTION) || op.is(OpDef.Flag.CONTRACTION));
    Entry en = new Entry(this, ++issued, op, inputs.clone(), attrs, specs.length, exact,
        fallible ? CallSites.userFrame() : null);
    Tensor[] outs = new Tensor[specs.length];
    for (int i = 0; i < outs.length; i++) {
      outs[i] = Tensors.pending(specs[i], en, i);
    }
    if (issued - completed > maxInFlight) {
      awaitCompleted(issued - maxInFlight / 2 - 1); // backpressure
    }
    queue.offer(en);
    if (consumerParked) {
      LockSupport.unpark(consumer);
    }
    Recording.record(op, inputs, attrs, outs);
    return outs;
  }

  @Override
  public boolean executingEagerly() {
    return true;
  }

  @Override
  public boolean isAsync() {
    return true;
  }

  /** How many ops were issued and have not run yet. */
  long inFlight() {
    return issued - completed;
  }

  @Override
  public void waitForPending() {
    awaitCompleted(issued);
    IsthmusException e = error;
    if (e != null) {
      throw AsyncErrors.rethrown(e);
    }
  }

  @Override
  public void clearError() {
    awaitCompleted(issued);
    error = null;
  }

  /** Waits for everything issued, forgets the error and returns it (null if none). */
  IsthmusException barrier() {
    awaitCompleted(issued);
    IsthmusException e = error;
    error = null;
    return e;
  }

  /** Stops the consumer thread once everything issued has run, and waits for it to end. */
  void shutdown() {
    awaitCompleted(issued);
    shutdown = true;
    LockSupport.unpark(consumer);
    boolean interrupted = false;
    while (true) {
      try {
        consumer.join();
        break;
      } catch (InterruptedException ie) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parks the calling thread until op {@code seq} has run. */
  void awaitCompleted(long seq) {
    if (completed >= seq) {
      return;
    }
    if (Thread.currentThread() == consumer) {
      throw new InternalException("the async consumer waited for an op it has not run yet");
    }
    Thread me = Thread.currentThread();
    waiters.add(me);
    try {
      while (completed < seq) {
        if (consumerParked) {
          LockSupport.unpark(consumer);
        }
        LockSupport.park(this);
      }
    } finally {
      waiters.remove(me);
    }
  }

  // ---------------------------------------------------------------- consumer side

  /**
   * For tests: the consumer takes no op until the returned scope closes, so ops are known to be
   * queued behind one another.
   */
  dev.isthmus.Scope hold() {
    held = true;
    return () -> {
      held = false;
      LockSupport.unpark(consumer);
    };
  }

  private void drain() {
    while (true) {
      while (held && !shutdown) {
        LockSupport.parkNanos(this, 100_000);
      }
      Entry e = queue.poll();
      if (e == null) {
        if (shutdown) {
          return;
        }
        // spin a little before parking: an issuing thread a few hundred ns away from its next
        // op then never pays for an unpark
        for (int i = 0; i < SPINS && queue.isEmpty() && !shutdown; i++) {
          Thread.onSpinWait();
        }
        if (!queue.isEmpty()) {
          continue;
        }
        consumerParked = true;
        if (queue.isEmpty() && !shutdown) {
          LockSupport.park(this);
        }
        consumerParked = false;
        continue;
      }
      run(e);
      completed = e.seq;
      if (!waiters.isEmpty()) {
        for (Thread w : waiters) {
          LockSupport.unpark(w);
        }
      }
    }
  }

  private void run(Entry e) {
    IsthmusException err = error;
    if (err != null) {
      e.fail(err); // cancelled: everything after the first error carries it
      return;
    }
    try {
      Tensor[] ins = new Tensor[e.inputs.length];
      for (int i = 0; i < ins.length; i++) {
        ins[i] = e.inputs[i] == null ? null : Tensors.resolve(e.inputs[i]);
      }
      e.inputs = null; // let the inputs go as soon as the op ran
      TensorSpec[] specs = e.op.infer(ins, e.attrs);
      e.complete(e.op.compute(ins, e.attrs, specs));
    } catch (IsthmusException x) {
      fail(e, x);
    } catch (OutOfMemoryError x) {
      fail(e, new ResourceExhaustedException(e.op.name() + ": out of memory", x));
    } catch (RuntimeException | StackOverflowError x) {
      fail(e, new InternalException(e.op.name() + ": " + x, x));
    }
  }

  private void fail(Entry e, IsthmusException x) {
    if (error != null) {
      e.fail(error); // already recorded (an input's error reaching this op)
      return;
    }
    IsthmusException deferred = AsyncErrors.withContext(x, e.provenance());
    if (error == null) {
      error = deferred;
    }
    e.fail(error);
  }

  /** One queued op; the pending outputs' producer. */
  static final class Entry implements Pending {
    final AsyncExecutor executor;
    final long seq;
    final OpDef op;
    Tensor[] inputs;
    final Attrs attrs;
    final boolean exact;
    final StackTraceElement site;
    private final String inputText;
    private volatile Tensor[] results;
    private volatile IsthmusException failure;

    Entry(AsyncExecutor executor, long seq, OpDef op, Tensor[] inputs, Attrs attrs, int outputs,
        boolean exact, StackTraceElement site) {
      this.executor = executor;
      this.seq = seq;
      this.op = op;
      this.inputs = inputs;
      this.attrs = attrs;
      this.exact = exact;
      this.site = site;
      this.inputText = site != null ? describe(inputs) : null;
    }

    private static String describe(Tensor[] ins) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < ins.length; i++) {
        sb.append(i > 0 ? ", " : "").append(ins[i] == null ? "null" : ins[i].dtype().numpyName());
      }
      return sb.toString();
    }

    String provenance() {
      return "[[async op " + op.name() + " #" + seq + (inputText != null ? " (inputs " + inputText
          + ")" : "") + ", issued at " + (site != null ? site.toString()
          : "an unrecorded call site: call sites are recorded for ops whose kernels can fail; "
              + "run with -Disthmus.async.callSites=all to record every op's") + "]]";
    }

    void complete(Tensor[] outs) {
      results = outs;
    }

    void fail(IsthmusException x) {
      failure = x;
      inputs = null;
    }

    @Override
    public Tensor await(int index) {
      Tensor[] r = results;
      if (r == null && failure == null) {
        executor.awaitCompleted(seq);
        r = results;
      }
      if (r == null) {
        IsthmusException f = failure;
        throw f != null ? AsyncErrors.rethrown(f) : new InternalException("async op " + op.name() + " ended without a result");
      }
      return r[index];
    }

    @Override
    public boolean shapeExact() {
      return exact;
    }
  }
}
