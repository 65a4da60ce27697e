package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatiosTest {
  @Test
  void medianIsTheMiddleNotTheMean() {
    assertEquals(2.0, Ratios.median(new double[] {100, 1, 2}));
    assertEquals(2.5, Ratios.median(new double[] {4, 1, 3, 2}));
    assertEquals(7.0, Ratios.median(new double[] {7}));
    assertTrue(Double.isNaN(Ratios.median(new double[0])));
    double[] xs = {3, 1, 2};
    Ratios.median(xs);
    assertEquals(3.0, xs[0], "the input is not sorted in place");
  }

  @Test
  void speedupIsBaselineOverMeasured() {
    assertEquals(8.0, Ratios.speedup(10, 80));
    assertEquals(0.5, Ratios.speedup(20, 10));
  }

  @Test
  void timeRatioIsMeasuredOverBaseline() {
    assertEquals(3.5, Ratios.timeRatio(35, 10));
    assertEquals(0.5, Ratios.timeRatio(10, 20));
  }

  @Test
  void bandwidthCountsStreams() {
    // 16M floats: an add (3 streams) in 15 ms moves as many bytes per second as a copy (2 streams)
    // in 10 ms.
    double n = 16 << 20;
    assertEquals(1.0, Ratios.bandwidthRatio(3, n, 15e6, 2, n, 10e6), 1e-12);
    // The same add in 10 ms is 1.5 times the copy's bandwidth.
    assertEquals(1.5, Ratios.bandwidthRatio(3, n, 10e6, 2, n, 10e6), 1e-12);
    // A sum (1 stream) must take half the copy's time to match its bandwidth.
    assertEquals(1.0, Ratios.bandwidthRatio(1, n, 5e6, 2, n, 10e6), 1e-12);
    assertEquals(0.9, Ratios.bandwidthRatio(1, n, 5e6 / 0.9, 2, n, 10e6), 1e-12);
    // 2 streams of 1M floats (8 MiB) in 1 ms: 8.388608 GB/s.
    assertEquals(8.388608, Ratios.gigabytesPerSecond(2, 1 << 20, 1e6), 1e-12);
  }

  @Test
  void gflopsIsFlopsPerNanosecond() {
    double n = 1024;
    assertEquals(2 * n * n * n / 1e8, Ratios.gflops(2 * n * n * n, 1e8), 1e-9); // 21.47 GFLOP/s
    assertEquals(4.0, Ratios.gflops(4000, 1000));
  }
}
