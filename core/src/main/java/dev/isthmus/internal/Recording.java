package dev.isthmus.internal;

import dev.isthmus.Scope;
import dev.isthmus.Tensor;

/**
 * Gradient recording: the hook through which every executed or graph-recorded op reaches the
 * gradient tapes of its thread, and the pause that {@code initScope} (and nothing else in core)
 * uses. Pauses nest and are per thread. When no tape is open anywhere, recording costs one
 * volatile read per op.
 */
public final class Recording {
  /** What tapes implement: see {@code GradientTape}. */
  public interface Recorder {
    /** Called after {@code op} ran (or was added to a graph) on this thread, unless paused. */
    void record(OpDef op, Tensor[] inputs, Attrs attrs, Tensor[] outputs);
  }

  private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);
  private static volatile int openTapes; // over all threads: the fast path when zero
  private static volatile Recorder recorder;

  private Recording() {}

  /** True while any pause is open on this thread. */
  public static boolean paused() {
    return PAUSED.get()[0] > 0;
  }

  /** Pauses recording on this thread until the returned scope closes. */
  public static Scope pause() {
    int[] depth = PAUSED.get();
    depth[0]++;
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          depth[0]--;
        }
      }
    };
  }

  /** True when a tape is open (on some thread) and recording is not paused on this thread. */
  public static boolean active() {
    return openTapes > 0 && !paused();
  }

  /** Installs the tapes' recorder (once, by GradientTape). */
  public static void install(Recorder r) {
    recorder = r;
  }

  /** A tape opened (+1) or closed (-1) on some thread. */
  public static synchronized void tapesOpened(int delta) {
    openTapes += delta;
  }

  /** Passes an op to this thread's tapes when any tape is open and recording is not paused. */
  public static void record(OpDef op, Tensor[] inputs, Attrs attrs, Tensor[] outputs) {
    if (openTapes == 0) {
      return;
    }
    Recorder r = recorder;
    if (r != null && !paused()) {
      r.record(op, inputs, attrs, outputs);
    }
  }
}
