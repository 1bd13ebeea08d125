package org.deoss.core.ledger;

/**
 * When a put may replace the current version of a key: always, only if the key is absent ({@code
 * O_EXCL}), or only if its current version is {@code version} (compare-and-set).
 */
public record PutCondition(Kind kind, long version) {
  /** The three kinds of condition. */
  public enum Kind {
    NONE,
    IF_ABSENT,
    IF_VERSION
  }

  private static final PutCondition NONE = new PutCondition(Kind.NONE, 0);
  private static final PutCondition ABSENT = new PutCondition(Kind.IF_ABSENT, 0);

  public PutCondition {
    java.util.Objects.requireNonNull(kind, "kind");
    if (kind != Kind.IF_VERSION && version != 0) {
      throw new IllegalArgumentException("only IF_VERSION carries a version, got " + version);
    }
    if (kind == Kind.IF_VERSION && version <= 0) {
      throw new IllegalArgumentException("a version is positive, got " + version);
    }
  }

  public static PutCondition none() {
    return NONE;
  }

  public static PutCondition ifAbsent() {
    return ABSENT;
  }

  public static PutCondition ifVersion(long version) {
    return new PutCondition(Kind.IF_VERSION, version);
  }
}
