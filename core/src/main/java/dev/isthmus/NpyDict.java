package dev.isthmus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the Python literal that a {@code .npy} header holds: one dict of string
 * keys to strings, {@code True}/{@code False}, integers, tuples and lists, followed only by
 * whitespace. That is the subset numpy's {@code repr} writes (and a little more, so that an odd
 * but harmless file gets a precise message rather than "syntax error"). No escapes, no floats,
 * no nested dicts, no duplicate keys; nesting is bounded, so a hostile header cannot overflow
 * the stack. The input is at most {@link NpyHeader#MAX_HEADER} characters, parsed in one pass.
 */
final class NpyDict {
  /** A Python tuple; a parenthesised single value without a comma is that value, as in Python. */
  record Tuple(List<Object> items) {}

  private static final int MAX_DEPTH = 8;

  private final String where;
  private final String s;
  private final boolean longSuffix;
  private int pos;

  private NpyDict(String where, String s, boolean longSuffix) {
    this.where = where;
    this.s = s;
    this.longSuffix = longSuffix;
  }

  /**
   * The dict in {@code text}, its keys in order. Values are {@code String}, {@code Boolean},
   * {@code Long}, {@link Tuple} or {@code List<Object>}.
   *
   * @param longSuffix accept Python 2's {@code 3L} integers (numpy still reads them in version
   *     1.0 and 2.0 headers)
   * @throws InvalidArgumentException naming {@code where}, the problem and its offset
   */
  static Map<String, Object> parse(String where, String text, boolean longSuffix) {
    return new NpyDict(where, text, longSuffix).dict();
  }

  private Map<String, Object> dict() {
    ws();
    expect('{', "the header must be a dict, starting with '{'");
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      pos++;
    } else {
      while (true) {
        ws();
        int at = pos;
        if (peek() != '\'' && peek() != '"') {
          throw fail("expected a string key");
        }
        String key = string();
        ws();
        expect(':', "expected ':' after key " + repr(key));
        ws();
        Object value = value(1);
        if (m.putIfAbsent(key, value) != null) {
          pos = at;
          throw fail("duplicate key " + repr(key));
        }
        ws();
        int c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          pos--;
          throw fail("expected ',' or '}' after the value of " + repr(key));
        }
        ws();
        if (peek() == '}') {
          pos++;
          break;
        }
      }
    }
    ws();
    if (pos != s.length()) {
      throw fail("unexpected text after the dict");
    }
    return m;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw fail("values nested deeper than " + MAX_DEPTH + " levels");
    }
    int c = peek();
    if (c == '\'' || c == '"') {
      return string();
    }
    if (c == '(' || c == '[') {
      return sequence(depth);
    }
    if (c == '{') {
      throw fail("a nested dict is not a valid header value");
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return integer();
    }
    if (isNameChar(c)) {
      int start = pos;
      while (isNameChar(peek())) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (name.equals("True") || name.equals("False")) {
        return name.equals("True");
      }
      pos = start;
      throw fail("unexpected name '" + name + "' (only True and False are allowed)");
    }
    throw fail(c < 0 ? "the header ends where a value should be" : "unexpected character");
  }

  /** A tuple or a list: {@code (a, b)}, {@code (a,)}, {@code ()}, {@code [a, b]}, {@code []}. */
  private Object sequence(int depth) {
    char open = (char) next();
    char close = open == '(' ? ')' : ']';
    List<Object> items = new ArrayList<>();
    boolean comma = false;
    ws();
    while (peek() != close) {
      items.add(value(depth + 1));
      ws();
      int c = next();
      if (c == close) {
        pos--;
        comma = false;
        break;
      }
      if (c != ',') {
        if (c >= 0) {
          pos--;
        }
        throw fail("expected ',' or '" + close + "' in a " + (open == '(' ? "tuple" : "list"));
      }
      comma = true;
      ws();
    }
    pos++; // the closing bracket
    if (open == '[') {
      return Collections.unmodifiableList(items);
    }
    // Python: (x) is x itself; (x,) and () are tuples
    return items.size() == 1 && !comma ? items.get(0) : new Tuple(List.copyOf(items));
  }

  private Long integer() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (peek() >= '0' && peek() <= '9') {
      pos++;
    }
    if (pos == digits) {
      throw fail("expected digits after '-'");
    }
    if (s.charAt(digits) == '0' && pos - digits > 1) {
      pos = start;
      throw fail("an integer with a leading zero is not a Python 3 literal");
    }
    String text = s.substring(start, pos);
    if (longSuffix && (peek() == 'L' || peek() == 'l')) {
      pos++;
    }
    if (isNameChar(peek()) || peek() == '.') {
      throw fail("malformed integer (floats and suffixes are not allowed)");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      pos = start;
      throw fail("integer " + text + " does not fit in 64 bits");
    }
  }

  private String string() {
    char q = (char) next();
    int start = pos;
    while (true) {
      int c = next();
      if (c < 0 || c == '\n' || c == '\r') {
        pos = start - 1;
        throw fail("unterminated string");
      }
      if (c == '\\') {
        pos--;
        throw fail("escape sequences are not supported in header strings");
      }
      if (c == q) {
        return s.substring(start, pos - 1);
      }
    }
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c, String problem) {
    if (peek() != c) {
      throw fail(problem);
    }
    pos++;
  }

  private int peek() {
    return pos < s.length() ? s.charAt(pos) : -1;
  }

  private int next() {
    return pos < s.length() ? s.charAt(pos++) : -1;
  }

  private static boolean isNameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private InvalidArgumentException fail(String problem) {
    return new InvalidArgumentException(
        where + ": bad .npy header: " + problem + " at offset " + pos + " of "
            + snippet(s, 160));
  }

  /** Python's repr of a parsed value, for messages. */
  static String repr(Object v) {
    if (v instanceof String str) {
      return "'" + str + "'";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Tuple t) {
      StringBuilder sb = new StringBuilder("(");
      for (int i = 0; i < t.items().size(); i++) {
        sb.append(i > 0 ? ", " : "").append(repr(t.items().get(i)));
      }
      return sb.append(t.items().size() == 1 ? ",)" : ")").toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i > 0 ? ", " : "").append(repr(l.get(i)));
      }
      return sb.append("]").toString();
    }
    return String.valueOf(v);
  }

  /** {@code text} quoted, cut at {@code max} characters, control and non-ASCII escaped. */
  static String snippet(String text, int max) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else {
        sb.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
      }
    }
    return sb.append(text.length() > max ? "\"..." : "\"").toString();
  }
}
