package dev.isthmus.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A Keras-style progress line per epoch:
 * {@code Epoch 3/10 [==============================] 45/45 - 0.3s 7ms/step - loss: 0.1234 -
 * accuracy: 0.9652}. On a terminal it is redrawn in place after each step; otherwise only the
 * finished line is printed, once per epoch.
 */
final class ProgressBar {
  static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean tty;
  private final String prefix;
  private final int total;
  private long lastDraw;

  ProgressBar(PrintStream out, boolean tty, String prefix, int total) {
    this.out = out;
    this.tty = tty;
    this.prefix = prefix;
    this.total = total;
  }

  /** Redraws the unfinished line on a terminal (at most every 50 ms); else nothing. */
  void update(int done, double loss, double accuracy) {
    long now = System.nanoTime();
    if (!tty || now - lastDraw < 50_000_000L) {
      return;
    }
    lastDraw = now;
    out.print("\r" + prefix + " " + bar(done, total) + " " + done + "/" + total
        + metrics(loss, accuracy));
    out.flush();
  }

  /** Prints the finished line ({@code steps} done in {@code seconds}). */
  void finish(int steps, double seconds, double loss, double accuracy) {
    out.println((tty ? "\r" : "") + line(prefix, steps, total, seconds, loss, accuracy));
    out.flush();
  }

  /** The finished line of an epoch. */
  static String line(String prefix, int done, int total, double seconds, double loss,
      double accuracy) {
    return prefix + " " + bar(done, total) + " " + done + "/" + total
        + String.format(Locale.ROOT, " - %.1fs %.0fms/step", seconds,
            1e3 * seconds / Math.max(1, done))
        + metrics(loss, accuracy);
  }

  private static String metrics(double loss, double accuracy) {
    return String.format(Locale.ROOT, " - loss: %.4f - accuracy: %.4f", loss, accuracy);
  }

  /** {@code [=========>....................]}, all {@code =} when done. */
  static String bar(int done, int total) {
    int filled = total <= 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
    StringBuilder sb = new StringBuilder(WIDTH + 2).append('[');
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '=' : i == filled ? '>' : '.');
    }
    return sb.append(']').toString();
  }
}
