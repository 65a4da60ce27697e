package dev.isthmus.internal;

import dev.isthmus.Scope;

/**
 * Whether gradient tapes record on this thread. {@code initScope} and a tape's
 * {@code stopRecording()} pause recording; tapes ask {@link #paused()} before recording an op.
 * Pauses nest and are per thread.
 */
public final class Recording {
  private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);

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
}
