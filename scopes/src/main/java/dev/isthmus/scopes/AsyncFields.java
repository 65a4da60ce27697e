package dev.isthmus.scopes;

/**
 * The async executor's fields, grouped by which thread writes them and padded apart so the two
 * never share a cache line (false sharing would cost a cache miss per op on each side): the
 * issuing thread's own state, the consumer's progress counter, and the rarely written shared
 * state both read at every op. Padding by inheritance, because HotSpot lays a superclass's fields
 * out before its subclass's, and 8 longs (64 bytes) leave no gap another field could fill.
 */
@SuppressWarnings("unused")
final class AsyncFields {
  private AsyncFields() {}

  abstract static class Pad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
  }

  /** Written by the issuing thread at every op; read by it alone. */
  abstract static class Issuer extends Pad0 {
    /** The chunk being filled and its next free slot. */
    AsyncExecutor.Chunk tail;
    int tailIndex;
    /** Ops issued (the last one's number; ops are numbered from 1). */
    long issued;
    /** A recent value of {@code completed}: the issuing thread re-reads it only when this is old. */
    long completedSeen;
  }

  abstract static class Pad1 extends Issuer {
    long p10, p11, p12, p13, p14, p15, p16, p17;
  }

  /** Written by the consumer at every op. */
  abstract static class Progress extends Pad1 {
    /** The number of the last op that ran (or was cancelled). */
    volatile long completed;
  }

  abstract static class Pad2 extends Progress {
    long p20, p21, p22, p23, p24, p25, p26, p27;
  }

  /** Written rarely, read by both threads at every op. */
  abstract static class Shared extends Pad2 {
    /** The first error; ops after it are cancelled with it. */
    volatile dev.isthmus.IsthmusException error;
    /** True while the consumer is parked (or about to park): an issuer must unpark it. */
    volatile boolean parked;
    volatile boolean shutdown;
    volatile boolean held;
  }

  abstract static class Pad3 extends Shared {
    long p30, p31, p32, p33, p34, p35, p36, p37;
  }
}
