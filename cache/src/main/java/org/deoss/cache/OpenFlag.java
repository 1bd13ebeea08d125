package org.deoss.cache;

/** How {@link WriteBackCache#open} treats a missing or existing object. */
public enum OpenFlag {
  /** Create the object when it does not exist ({@code O_CREAT}). */
  CREATE,
  /** With CREATE: fail when it exists ({@code O_EXCL}); the commit also requires absence. */
  EXCLUSIVE,
  /** Start from zero bytes ({@code O_TRUNC}); the old bytes are never fetched. */
  TRUNCATE
}
