package dev.isthmus.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Copying tensor data: {@code MemorySegment.copy} between heap-backed float segments (what
 * isthmus tensors are, see {@code Buffers}) against {@code System.arraycopy} of the same arrays
 * and a plain loop. The arraycopy baseline is the one the bandwidth ratios of the other groups
 * divide by, so this group shows whether going through segments costs anything by itself.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class CopyBench {
  /** Number of floats copied per operation. */
  @Param("1048576")
  public int size;

  private float[] src;
  private float[] dst;
  private MemorySegment srcSeg;
  private MemorySegment dstSeg;

  /** Fills the source with non-trivial values; the segments view the same arrays. */
  @Setup
  public void setup() {
    src = new float[size];
    dst = new float[size];
    for (int i = 0; i < size; i++) {
      src[i] = (i % 1000) * 0.001f - 0.5f;
    }
    srcSeg = MemorySegment.ofArray(src);
    dstSeg = MemorySegment.ofArray(dst);
  }

  /** Segment to segment copy of {@code size} floats (2 streams: one read, one write). */
  @Benchmark
  public MemorySegment segmentCopy() {
    MemorySegment.copy(srcSeg, ValueLayout.JAVA_FLOAT, 0, dstSeg, ValueLayout.JAVA_FLOAT, 0, size);
    return dstSeg;
  }

  /** {@code System.arraycopy} of the same {@code size} floats: the bandwidth yardstick. */
  @Benchmark
  public float[] baselineArraycopy() {
    System.arraycopy(src, 0, dst, 0, size);
    return dst;
  }

  /** An element-by-element Java loop (C2 may auto-vectorize it). */
  @Benchmark
  public float[] baselineLoop() {
    float[] s = src;
    float[] d = dst;
    int n = size;
    for (int i = 0; i < n; i++) {
      d[i] = s[i];
    }
    return d;
  }
}
