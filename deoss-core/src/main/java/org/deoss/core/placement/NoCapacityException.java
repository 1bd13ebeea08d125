package org.deoss.core.placement;

/** No miner can take a fragment: none is registered and active, or none has room. */
public final class NoCapacityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoCapacityException(String message) {
    super(message);
  }
}
