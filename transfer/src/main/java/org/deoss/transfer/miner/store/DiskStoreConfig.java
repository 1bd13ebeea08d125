package org.deoss.transfer.miner.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How to open a {@link DiskFragmentStore}. Immutable; validated when made.
 *
 * @param root the data folder; made if missing
 * @param capacityBytes the declared capacity: the sum of fragment sizes (plus puts in progress)
 *     never exceeds it
 * @param startupCheck what opening checks
 * @param clock stamps each stored fragment's modification time (the age garbage collection reads)
 * @param executor runs the work of the asynchronous {@link org.deoss.core.port.FragmentStore}
 *     methods; {@link #DIRECT} runs it on the calling thread and returns completed futures
 * @param packedMaxLength fragments of at most this many bytes stored whole ({@link
 *     org.deoss.core.port.FragmentStore#put}) go to the pack log, where concurrent puts share one
 *     flush; 0 (the default of {@link #of}) stores every fragment as its own file. A miner daemon
 *     uses {@link #DEFAULT_PACKED_MAX_LENGTH}. Packed fragments are read back whatever the value.
 */
public record DiskStoreConfig(
    Path root,
    long capacityBytes,
    StartupCheck startupCheck,
    Clock clock,
    Executor executor,
    long packedMaxLength) {

  /** The largest packed fragment of a miner daemon: 1 MiB (a 4 MiB object under RS 4+8). */
  public static final long DEFAULT_PACKED_MAX_LENGTH = 1 << 20;

  /** Runs tasks on the calling thread. */
  public static final Executor DIRECT = Runnable::run;

  /** Checks every field, naming the bad one. */
  public DiskStoreConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(startupCheck, "startupCheck");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive, got " + capacityBytes);
    }
    if (packedMaxLength < 0 || packedMaxLength > PackLog.PACK_SIZE / 4) {
      throw new IllegalArgumentException(
          "packedMaxLength must be 0 .. " + PackLog.PACK_SIZE / 4 + ", got " + packedMaxLength);
    }
  }

  /** A store at {@code root} of {@code capacityBytes}: scan on open, system clock, direct calls. */
  public static DiskStoreConfig of(Path root, long capacityBytes) {
    return new DiskStoreConfig(
        root, capacityBytes, StartupCheck.SCAN, Clock.systemUTC(), DIRECT, 0);
  }

  /** This configuration with another startup check. */
  public DiskStoreConfig withStartupCheck(StartupCheck check) {
    return new DiskStoreConfig(root, capacityBytes, check, clock, executor, packedMaxLength);
  }

  /** This configuration with another clock. */
  public DiskStoreConfig withClock(Clock clock) {
    return new DiskStoreConfig(root, capacityBytes, startupCheck, clock, executor, packedMaxLength);
  }

  /** This configuration with another executor for the asynchronous methods. */
  public DiskStoreConfig withExecutor(Executor executor) {
    return new DiskStoreConfig(root, capacityBytes, startupCheck, clock, executor, packedMaxLength);
  }

  /** This configuration with another largest packed fragment (0: no packing). */
  public DiskStoreConfig withPackedMaxLength(long bytes) {
    return new DiskStoreConfig(root, capacityBytes, startupCheck, clock, executor, bytes);
  }
}
