package dev.isthmus.examples;

import dev.isthmus.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The UCI optical digits (8x8 images, 10 classes) from the class path, as tensors, and a
 * stratified train/test split. See {@code data/README.md} next to the CSV for its source and
 * licence.
 */
final class DigitsData {
  /** The resource, relative to this class. */
  static final String RESOURCE = "data/digits.csv.gz";
  /** Pixels per image (8 x 8). */
  static final int PIXELS = 64;
  /** Digit classes. */
  static final int CLASSES = 10;

  private DigitsData() {}

  /** Images as rows of 64 pixels scaled from 0..16 to [0, 1], and their labels 0..9. */
  record Digits(float[] pixels, long[] labels) {
    int size() {
      return labels.length;
    }

    /** The images {@code float32[n, 64]}. */
    Tensor x() {
      return Tensor.of(pixels, labels.length, PIXELS);
    }

    /** The labels {@code int64[n]}. */
    Tensor y() {
      return Tensor.of(labels, labels.length);
    }

    /** The rows at {@code rows}, in that order. */
    Digits select(int[] rows) {
      float[] p = new float[rows.length * PIXELS];
      long[] l = new long[rows.length];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(pixels, rows[i] * PIXELS, p, i * PIXELS, PIXELS);
        l[i] = labels[rows[i]];
      }
      return new Digits(p, l);
    }
  }

  /** Train and test parts of a split. */
  record Split(Digits train, Digits test) {}

  /** Reads all 1797 images of the committed CSV (64 pixel values, then the label, per line). */
  static Digits load() {
    try (InputStream raw = DigitsData.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
      }
      return parse(new GZIPInputStream(raw));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  static Digits parse(InputStream in) throws IOException {
    List<float[]> rows = new ArrayList<>();
    List<Long> labels = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != PIXELS + 1) {
        throw new IllegalStateException(RESOURCE + " line " + lineNo + ": " + f.length
            + " fields; expected " + (PIXELS + 1));
      }
      float[] px = new float[PIXELS];
      for (int i = 0; i < PIXELS; i++) {
        int v = Integer.parseInt(f[i].trim());
        if (v < 0 || v > 16) {
          throw new IllegalStateException(RESOURCE + " line " + lineNo + ": pixel " + v
              + "; expected 0..16");
        }
        px[i] = v / 16f;
      }
      int label = Integer.parseInt(f[PIXELS].trim());
      if (label < 0 || label >= CLASSES) {
        throw new IllegalStateException(RESOURCE + " line " + lineNo + ": label " + label);
      }
      rows.add(px);
      labels.add((long) label);
    }
    float[] pixels = new float[rows.size() * PIXELS];
    long[] l = new long[rows.size()];
    for (int i = 0; i < l.length; i++) {
      System.arraycopy(rows.get(i), 0, pixels, i * PIXELS, PIXELS);
      l[i] = labels.get(i);
    }
    return new Digits(pixels, l);
  }

  /**
   * A stratified split: of each class, a seeded random {@code testFraction} (rounded) goes to
   * the test part, the rest to training; both parts keep the data's order.
   */
  static Split split(Digits all, double testFraction, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] isTest = new boolean[all.size()];
    for (int c = 0; c < CLASSES; c++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.labels()[i] == c) {
          rows.add(i);
        }
      }
      for (int i = rows.size() - 1; i > 0; i--) { // Fisher-Yates
        int j = rng.nextInt(i + 1);
        Integer t = rows.get(i);
        rows.set(i, rows.get(j));
        rows.set(j, t);
      }
      long nTest = Math.round(rows.size() * testFraction);
      for (int i = 0; i < nTest; i++) {
        isTest[rows.get(i)] = true;
      }
    }
    int nTest = 0;
    for (boolean b : isTest) {
      nTest += b ? 1 : 0;
    }
    int[] train = new int[all.size() - nTest];
    int[] test = new int[nTest];
    for (int i = 0, a = 0, b = 0; i < all.size(); i++) {
      if (isTest[i]) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new Split(all.select(train), all.select(test));
  }
}
