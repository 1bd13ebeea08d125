package org.deoss.packaging;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one {@code deoss bench} run: a header (what was measured, on what) and lines, each
 * a figure beside the baseline measured in the same run. Printed as a table or as JSON.
 */
final class BenchReport {
  /**
   * One measured line.
   *
   * @param what what was measured, e.g. {@code write pipeline}
   * @param unit the unit of the figures, e.g. {@code MB/s} (10^6 bytes per second)
   * @param best the best round (or the only one)
   * @param median the median round (equal to best with one round)
   * @param baselines at least one baseline measured in the same run
   */
  record Line(String what, String unit, double best, double median, List<Baseline> baselines) {
    Line {
      baselines = List.copyOf(baselines);
      if (baselines.isEmpty()) {
        throw new IllegalArgumentException("line '" + what + "' has no baseline");
      }
    }
  }

  /**
   * What the machine does without DeOSS, in MB/s (10^6 bytes per second).
   *
   * @param what e.g. {@code System.arraycopy} or {@code loopback TCP}
   * @param mbPerSecond the figure (the median of the rounds where there are several)
   */
  record Baseline(String what, double mbPerSecond) {}

  private final String title;
  private final List<String> notes = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();

  BenchReport(String title) {
    this.title = title;
  }

  void note(String text) {
    notes.add(text);
  }

  void add(Line line) {
    lines.add(line);
  }

  List<Line> lines() {
    return List.copyOf(lines);
  }

  void printTable(PrintWriter out) {
    out.println(title);
    for (String n : notes) {
      out.println("  " + n);
    }
    int width = lines.stream().mapToInt(l -> l.what().length()).max().orElse(10);
    out.printf(
        Locale.ROOT,
        "%-" + width + "s  %12s  %12s  %-8s  %s%n",
        "what",
        "best",
        "median",
        "unit",
        "baseline in the same run");
    for (Line l : lines) {
      out.printf(
          Locale.ROOT,
          "%-" + width + "s  %12s  %12s  %-8s  %s%n",
          l.what(),
          number(l.best()),
          number(l.median()),
          l.unit(),
          String.join(
              "; ",
              l.baselines().stream()
                  .map(b -> b.what() + " " + number(b.mbPerSecond()) + " MB/s")
                  .toList()));
    }
    out.flush();
  }

  void printJson(PrintWriter out) {
    StringBuilder b = new StringBuilder();
    b.append("{\"title\":").append(quote(title)).append(",\"notes\":[");
    for (int i = 0; i < notes.size(); i++) {
      b.append(i == 0 ? "" : ",").append(quote(notes.get(i)));
    }
    b.append("],\"lines\":[");
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"what\":")
          .append(quote(l.what()))
          .append(",\"unit\":")
          .append(quote(l.unit()))
          .append(",\"best\":")
          .append(json(l.best()))
          .append(",\"median\":")
          .append(json(l.median()))
          .append(",\"baselines\":[");
      for (int j = 0; j < l.baselines().size(); j++) {
        Baseline base = l.baselines().get(j);
        b.append(j == 0 ? "" : ",")
            .append("{\"what\":")
            .append(quote(base.what()))
            .append(",\"unit\":\"MB/s\",\"value\":")
            .append(json(base.mbPerSecond()))
            .append('}');
      }
      b.append("]}");
    }
    b.append("]}");
    out.println(b);
    out.flush();
  }

  private static String number(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String json(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Bytes per nanosecond as MB/s (10^6 bytes per second). */
  static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1e6 / (Math.max(1, nanos) / 1e9);
  }

  /** The best (largest) of some rounds. */
  static double best(double[] rounds) {
    double b = rounds[0];
    for (double r : rounds) {
      b = Math.max(b, r);
    }
    return b;
  }

  /** The median of some rounds (the mean of the middle two for an even count). */
  static double median(double[] rounds) {
    double[] s = rounds.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
