package org.deoss.core.repair;

/** A segment could not be repaired this time (too few healthy fragments, no miner with room). */
public final class RepairException extends Exception {
  private static final long serialVersionUID = 1L;

  public RepairException(String message) {
    super(message);
  }

  public RepairException(String message, Throwable cause) {
    super(message, cause);
  }
}
