package dev.isthmus.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Keras's progress bar for one epoch, as {@code model.fit} prints it: a line
 * {@code Epoch 3/10}, then
 * {@code 44/44 [==============================] - 0.3s 7ms/step - loss: 0.1234 - accuracy: 0.9652}.
 * On a terminal the bar is redrawn in place as steps finish (with the time left, as Keras's
 * {@code ETA}); otherwise only the finished line is printed.
 */
final class ProgressBar {
  static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean tty;
  private final int total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  /** Prints the epoch's heading ({@code title}, e.g. {@code Epoch 3/10}) at once. */
  ProgressBar(PrintStream out, boolean tty, String title, int total) {
    this.out = out;
    this.tty = tty;
    this.total = total;
    out.println(title);
    out.flush();
  }

  /** Redraws the unfinished line on a terminal (at most every 50 ms); else nothing. */
  void update(int done, double loss, double accuracy) {
    long now = System.nanoTime();
    if (!tty || drawn && now - lastDraw < 50_000_000L) {
      return;
    }
    drawn = true;
    lastDraw = now;
    double elapsed = (now - start) / 1e9;
    double eta = done <= 0 ? 0 : elapsed / done * Math.max(0, total - done);
    out.print("\r" + count(done, total) + " " + bar(done, total)
        + String.format(Locale.ROOT, " - ETA: %.1fs", eta) + metrics(loss, accuracy));
    out.flush();
  }

  /** Prints the finished line ({@code steps} done in {@code seconds}). */
  void finish(int steps, double seconds, double loss, double accuracy) {
    // on a terminal, overwrite the last redraw, which may be longer than the finished line
    out.println((tty ? "\r\033[K" : "") + line(steps, total, seconds, loss, accuracy));
    out.flush();
  }

  /** The finished line of an epoch. */
  static String line(int done, int total, double seconds, double loss, double accuracy) {
    return count(done, total) + " " + bar(done, total)
        + String.format(Locale.ROOT, " - %.1fs %.0fms/step", seconds,
            1e3 * seconds / Math.max(1, done))
        + metrics(loss, accuracy);
  }

  /** {@code done/total}, {@code done} padded to the width of {@code total} as Keras does. */
  static String count(int done, int total) {
    String t = Integer.toString(total);
    return String.format(Locale.ROOT, "%" + t.length() + "d/%s", done, t);
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
