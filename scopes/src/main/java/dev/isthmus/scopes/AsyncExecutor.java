package dev.isthmus.scopes;

import dev.isthmus.Executor;
import dev.isthmus.FailedPreconditionException;
import dev.isthmus.InternalException;
import dev.isthmus.IsthmusException;
import dev.isthmus.ResourceExhaustedException;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Recording;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The async scope's executor (docs/SCOPES.md, asyncScope; docs/DESIGN.md, the async executor):
 * an ordered op log per thread, drained by one consumer virtual thread.
 *
 * <p>The issuing thread validates each op (its shape rule runs at once, so a shape error is
 * thrown where the op was called), makes pending output tensors, writes the op into the next
 * slot of the log and returns. The log is a chain of fixed-size chunks; a slot is written once,
 * with a release store and no fence, so issuing never waits for the consumer's cache, and the
 * consumer sees each op as soon as the store lands (ops start promptly; there is no batch to
 * fill first). The consumer runs ops one at a time in issue order, which gives data dependencies
 * and the issue order of stateful ops by construction. When the log is empty it spins for a
 * while (an issuer a few microseconds from its next op then never pays for a wake-up), then
 * parks; an issuer that sees it parked unparks it.
 *
 * <p>The first failure is recorded; every op after it is cancelled with that same error, and
 * ops issued once the issuing thread can see it fail at dispatch. At most {@code maxInFlight}
 * ops wait at any time: the issuing thread waits when the log is full.
 */
final class AsyncExecutor extends AsyncFields.Pad3 implements ExecutionContext, Executor {
  private static final boolean ALL_CALL_SITES =
      "all".equals(System.getProperty("isthmus.async.callSites"));

  /** Slots per chunk of the log. */
  static final int CHUNK = 256;
  /** Slots per cache line (compressed references): the consumer clears consumed slots by line. */
  private static final int LINE = 16;
  /**
   * How long an idle consumer spins before parking: it adapts, within these bounds, to how long
   * the log recently stayed empty. After an idle spell of t ns that ended within the maximum,
   * the next spin lasts 2t (so a steady issuer, such as a training loop doing host work between
   * steps, finds the consumer awake); after a longer one it is quartered (so a scope left idle,
   * or a machine with more busy threads than cores, soon stops spinning).
   */
  private static final long SPIN_MAX_NANOS = 100_000;
  private static final long SPIN_MIN_NANOS = 1_000;
  private static final long SPIN_FIRST_NANOS = 20_000;
  /**
   * A waiting thread spins while the consumer makes progress, at most {@code WAIT_SPIN_NANOS}
   * in all, and parks after {@code WAIT_STALL_NANOS} without progress (one long op, or a
   * consumer that is not running): spinning pays only when both threads hold a core.
   */
  private static final long WAIT_SPIN_NANOS = 50_000;
  private static final long WAIT_STALL_NANOS = 10_000;
  /** After announcing it parks, how long the consumer still watches the log (see idle). */
  private static final long GRACE_NANOS = 2_000;
  /** A parked waiter re-checks the consumer's progress this often even if nobody unparks it. */
  private static final long WAITER_PARK_NANOS = 1_000_000;
  /** A parked consumer re-checks the log this often even if nobody unparks it. */
  private static final long PARK_NANOS = 10_000_000;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(AsyncEntry[].class);
  private static final VarHandle WAKE_AT;
  private static final VarHandle PARKED;
  private static final VarHandle COMPLETED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      WAKE_AT = l.findVarHandle(AsyncFields.Shared.class, "wakeAt", long.class);
      PARKED = l.findVarHandle(AsyncFields.Shared.class, "parked", boolean.class);
      COMPLETED = l.findVarHandle(AsyncFields.Progress.class, "completed", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A thread parked until op {@code seq} has run. */
  private record Waiter(Thread thread, long seq) {}

  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final Thread owner;
  private final Thread consumer;
  private final int maxInFlight;

  AsyncExecutor(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.owner = Thread.currentThread();
    Chunk first = new Chunk();
    this.tail = first;
    this.consumer = Thread.ofVirtual().name("isthmus-async-" + owner.getName())
        .unstarted(() -> drain(first));
    consumer.start();
  }

  /** One piece of the log: {@value #CHUNK} slots, each written once, and the next piece. */
  static final class Chunk {
    final AsyncEntry[] slots = new AsyncEntry[CHUNK];
    volatile Chunk next;
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
        throw new FailedPreconditionException(op.name() + ": input #" + i
            + " is the symbolic tensor '" + inputs[i].name() + "' of graph '"
            + inputs[i].op().graph().name() + "', which has no value while executing eagerly");
      }
    }
    TensorSpec[] specs = op.infer(inputs, attrs);
    boolean dynamic = op.dynamicShape(attrs);
    // counted as issued only once appended: a barrier waits for every op counted
    long seq = issued + 1;
    AsyncEntry en = new AsyncEntry(this, seq, op, inputs.clone(), attrs, dynamic ? null : specs,
        fallible(op) ? CallSites.userFrame() : null);
    Tensor[] outs = new Tensor[specs.length];
    for (int i = 0; i < outs.length; i++) {
      outs[i] = Tensors.pending(specs[i], en, i);
    }
    if (seq - completedSeen > maxInFlight) {
      backpressure(seq);
    }
    append(en);
    issued = seq;
    Recording.record(op, inputs, attrs, outs);
    return outs;
  }

  /**
   * Ops whose kernels can fail once their inputs passed the shape rule record the user's call
   * site (a stack walk, about a microsecond); elementwise ops, reductions, contractions and
   * creation ops cannot (but for running out of memory), and skip it.
   */
  private static boolean fallible(OpDef op) {
    return ALL_CALL_SITES || !(op.is(OpDef.Flag.ELEMENTWISE) || op.is(OpDef.Flag.REDUCTION)
        || op.is(OpDef.Flag.CONTRACTION) || op.is(OpDef.Flag.CREATION));
  }

  /**
   * Before op {@code seq} is appended: waits until at most half the bound is in flight,
   * re-reading the consumer's progress.
   */
  private void backpressure(long seq) {
    completedSeen = completed;
    if (seq - completedSeen > maxInFlight) {
      awaitCompleted(seq - maxInFlight / 2 - 1);
      completedSeen = completed;
    }
  }

  /** Writes {@code en} into the log's next slot and wakes the consumer if it sleeps. */
  private void append(AsyncEntry en) {
    Chunk t = tail;
    int i = tailIndex;
    if (i == CHUNK) {
      Chunk n = new Chunk();
      t.next = n;
      tail = t = n;
      i = 0;
    }
    SLOTS.setRelease(t.slots, i, en);
    tailIndex = i + 1;
    wakeConsumer();
  }

  /**
   * Unparks the consumer if it is parked. Whoever clears {@code parked} unparks it, so a stream
   * of ops issued while it wakes up costs one unpark, not one each.
   */
  private void wakeConsumer() {
    if (parked && PARKED.compareAndSet(this, true, false)) {
      LockSupport.unpark(consumer);
    }
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
    tail = null; // pending tensors kept after the scope keep this executor, not the last chunk
  }

  /** Waits until op {@code seq} has run: spins briefly, then parks. */
  void awaitCompleted(long seq) {
    if (completed >= seq) {
      return;
    }
    Thread me = Thread.currentThread();
    if (me == consumer) {
      throw new InternalException("the async consumer waited for an op it has not run yet");
    }
    // the fence orders this thread's slot writes before its read of parked (see idle)
    VarHandle.fullFence();
    wakeConsumer();
    // spin while ops complete (a batch of small ops ends within microseconds); park when the
    // consumer is stuck in one long op, or not running at all
    long last = completed;
    long start = System.nanoTime();
    long since = start;
    while (last < seq) {
      Thread.onSpinWait();
      long c = completed;
      long now = System.nanoTime();
      if (c != last) {
        last = c;
        since = now;
      } else if (now - since > WAIT_STALL_NANOS || now - start > WAIT_SPIN_NANOS) {
        parkUntil(me, seq);
        return;
      }
    }
  }

  private void parkUntil(Thread me, long seq) {
    Waiter w = new Waiter(me, seq);
    waiters.add(w);
    lowerWakeAt(seq); // a full fence: the consumer's next check of wakeAt sees this waiter
    boolean interrupted = false;
    try {
      while (completed < seq) {
        wakeConsumer();
        LockSupport.parkNanos(this, WAITER_PARK_NANOS);
        // waits are not interruptible (the ops run anyway); keep the flag for later, but clear
        // it meanwhile, or park would return at once and this loop would spin
        interrupted |= Thread.interrupted();
      }
    } finally {
      waiters.remove(w);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void lowerWakeAt(long seq) {
    long cur;
    do {
      cur = wakeAt;
    } while (seq < cur && !WAKE_AT.compareAndSet(this, cur, seq));
  }

  /**
   * Unparks the waiters whose op has run (op {@code done} just did) and lowers {@code wakeAt}
   * to the others' smallest. Reset first, then scan: a waiter adding itself meanwhile is either
   * seen by the scan or lowers {@code wakeAt} after the reset.
   */
  private void wakeWaiters(long done) {
    wakeAt = Long.MAX_VALUE;
    for (Waiter w : waiters) {
      if (w.seq <= done) {
        LockSupport.unpark(w.thread);
      } else {
        lowerWakeAt(w.seq);
      }
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

  private void drain(Chunk first) {
    Chunk c = first;
    int i = 0;
    long spin = SPIN_FIRST_NANOS;
    while (true) {
      while (held && !shutdown) {
        LockSupport.parkNanos(this, 100_000);
      }
      if (i == CHUNK) {
        Chunk n = c.next;
        if (n == null) {
          spin = idle(c, i, spin);
          if (spin < 0) {
            return;
          }
          continue;
        }
        c = n;
        i = 0;
      }
      AsyncEntry e = (AsyncEntry) SLOTS.getAcquire(c.slots, i);
      if (e == null) {
        spin = idle(c, i, spin);
        if (spin < 0) {
          return;
        }
        continue;
      }
      run(e);
      i++;
      if ((i & (LINE - 1)) == 0) {
        // the issuer has moved past this line: let go of its entries (and their results)
        java.util.Arrays.fill(c.slots, i - LINE, i, null);
      }
      // a release store, not a fence per op: a waiter that raced with it is woken at the next
      // op or when the consumer idles (which fences first), or by its own timed park
      COMPLETED.setRelease(this, e.seq);
      if (e.seq >= wakeAt) {
        wakeWaiters(e.seq);
      }
    }
  }

  /** True when the log has something at slot {@code i} of {@code c} (or a next chunk). */
  private static boolean available(Chunk c, int i) {
    return i == CHUNK ? c.next != null : SLOTS.getAcquire(c.slots, i) != null;
  }

  /**
   * Waits for the log to grow past slot {@code i} of {@code c}: spins for up to {@code spin} ns
   * (reading the slot every few pauses, not in a tight loop, so the issuer's writes to the same
   * line are rarely contended), then parks. Returns the next spin budget, or -1 when the
   * executor shut down instead.
   *
   * <p>Parking: the consumer sets {@code parked}, fences, and watches the log for
   * {@link #GRACE_NANOS} more. An issuer writes its slot with a release store and then reads
   * {@code parked} without a fence, so it may read false just as the consumer parks; its store
   * is still in its store buffer then and lands within nanoseconds, inside the grace period. A
   * thread about to wait fences first (awaitCompleted), and the timed park bounds any delay
   * the grace period would miss.
   */
  private long idle(Chunk c, int i, long spin) {
    VarHandle.fullFence();
    long done = completed;
    if (done >= wakeAt) {
      wakeWaiters(done);
    }
    long start = System.nanoTime();
    long now;
    do {
      for (int k = 0; k < 16; k++) {
        Thread.onSpinWait();
      }
      now = System.nanoTime();
      if (available(c, i)) {
        return nextSpin(spin, now - start);
      }
      if (shutdown) {
        return available(c, i) ? spin : -1;
      }
    } while (now - start < spin);
    // park: announce it, fence (the volatile store), look again; re-announce after every wake-up
    // since an issuer clears the flag when it unparks
    try {
      while (true) {
        parked = true;
        long announced = System.nanoTime();
        while (System.nanoTime() - announced < GRACE_NANOS) {
          if (available(c, i) || shutdown || held) {
            return nextSpin(spin, System.nanoTime() - start); // the caller sees why
          }
          Thread.onSpinWait();
        }
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    } finally {
      parked = false;
    }
  }

  /** The spin budget after an idle spell of {@code idled} ns under budget {@code spin}. */
  private static long nextSpin(long spin, long idled) {
    if (idled <= SPIN_MAX_NANOS) {
      return Math.min(SPIN_MAX_NANOS, Math.max(spin, 2 * idled));
    }
    return Math.max(SPIN_MIN_NANOS, spin / 4);
  }

  private void run(AsyncEntry e) {
    IsthmusException err = error;
    if (err != null) {
      e.fail(err); // cancelled: everything after the first error carries it
      return;
    }
    Tensor[] ins = e.inputs; // the executor's own copy: resolved in place
    try {
      for (int i = 0; i < ins.length; i++) {
        if (ins[i] != null) {
          ins[i] = Tensors.resolve(ins[i]);
        }
      }
      // the shape rule ran at dispatch on the same shapes; only dynamic shapes need it again
      TensorSpec[] specs = e.specs != null ? e.specs : e.op.infer(ins, e.attrs);
      e.complete(e.op.compute(ins, e.attrs, specs));
    } catch (IsthmusException x) {
      fail(e, x);
    } catch (OutOfMemoryError x) {
      fail(e, new ResourceExhaustedException(e.op.name() + ": out of memory", x));
    } catch (RuntimeException | Error x) {
      // a kernel's bug (an assertion, a stack overflow) is this op's error, not the consumer's
      // death: a dead consumer would leave every waiting thread waiting forever
      fail(e, new InternalException(e.op.name() + ": " + x, x));
    }
  }

  private void fail(AsyncEntry e, IsthmusException x) {
    if (error == null) {
      error = AsyncErrors.withContext(x, e.provenance());
    }
    e.fail(error); // an input's error reaching this op is the recorded one already
  }
}
