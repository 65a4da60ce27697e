package dev.isthmus.kernels;

/**
 * The taps of one output pixel's window, sorted into those inside the input (element offsets of
 * the input pixel's channels and of the filter tap's row) and those on padding (the filter row
 * only), in window order. The vector convolution and pooling loops collect them once per output
 * pixel, then run their channel loops over plain arrays with no bounds tests.
 */
final class ConvTaps {
  final long[] x;
  final long[] f;
  final long[] pad;
  int valid;
  int padded;

  ConvTaps(int taps) {
    x = new long[taps];
    f = new long[taps];
    pad = new long[taps];
  }

  /**
   * Collects the taps of output pixel (oy, ox) of the image starting at input element {@code xb},
   * for a filter of {@code [taps, channels]} rows starting at element {@code fb}.
   */
  void collect(ConvGeometry g, long oy, long ox, long xb, long fb) {
    long c = g.channels();
    valid = 0;
    padded = 0;
    for (long ky = 0; ky < g.kH(); ky++) {
      long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
      boolean rowInside = iy >= 0 && iy < g.inH();
      for (long kx = 0; kx < g.kW(); kx++) {
        long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
        long fe = fb + (ky * g.kW() + kx) * c;
        if (rowInside && ix >= 0 && ix < g.inW()) {
          x[valid] = xb + (iy * g.inW() + ix) * c;
          f[valid++] = fe;
        } else {
          pad[padded++] = fe;
        }
      }
    }
  }
}
