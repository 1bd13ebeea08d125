package org.deoss.core.repair;

import java.util.Locale;
import java.util.Objects;

/**
 * When a segment that lost fragments only to OFFLINE miners is repaired. A segment's healthy count
 * is the number of its fragments placed on ACTIVE miners. A segment whose open repair orders are
 * all for OFFLINE miners (which may come back: the ledger then withdraws their orders) is repaired
 * when its healthy count falls to {@link #at(int, int)} or below, and is then brought back to n:
 * all its open orders are done at once. Orders of FROZEN and EXITING miners never wait.
 *
 * <p>Written {@code k+M} (relative to the object's data fragments k), {@code N} (an absolute count)
 * or {@code n} (every fragment: repair at once). The default is {@code k+2}.
 *
 * @param kind how {@code value} is read
 * @param value M for {@link Kind#K_PLUS}, N for {@link Kind#ABSOLUTE}, 0 for {@link Kind#ALL}
 */
public record RepairThreshold(Kind kind, int value) {
  /** How the threshold is expressed. */
  public enum Kind {
    K_PLUS,
    ABSOLUTE,
    ALL
  }

  /** {@code k+2}: repair a segment once only two fragments beyond the k it needs are healthy. */
  public static final RepairThreshold DEFAULT = new RepairThreshold(Kind.K_PLUS, 2);

  /** {@code n}: never wait. */
  public static final RepairThreshold ALL = new RepairThreshold(Kind.ALL, 0);

  public RepairThreshold {
    Objects.requireNonNull(kind, "kind");
    if (value < 0 || (kind == Kind.ALL && value != 0)) {
      throw new IllegalArgumentException("repair threshold " + kind + " " + value + " is invalid");
    }
  }

  /**
   * Parses {@code k+M}, {@code k}, {@code N} or {@code n}.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static RepairThreshold parse(String text) {
    String t = text.strip();
    try {
      if (t.equals("n")) {
        return ALL;
      }
      if (t.equals("k")) {
        return new RepairThreshold(Kind.K_PLUS, 0);
      }
      if (t.toLowerCase(Locale.ROOT).startsWith("k+")) {
        return new RepairThreshold(Kind.K_PLUS, Integer.parseInt(t.substring(2)));
      }
      return new RepairThreshold(Kind.ABSOLUTE, Integer.parseInt(t));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "repair threshold '" + text + "' must be k+M, k, N or n (e.g. k+2)");
    }
  }

  /** The healthy count at or below which a segment of a k+m code with n fragments is repaired. */
  public int at(int k, int n) {
    return switch (kind) {
      case K_PLUS -> k + value;
      case ABSOLUTE -> value;
      case ALL -> n;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case K_PLUS -> value == 0 ? "k" : "k+" + value;
      case ABSOLUTE -> Integer.toString(value);
      case ALL -> "n";
    };
  }
}
