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
 */
public record DiskStoreConfig(
    Path root, long capacityBytes, StartupCheck startupCheck, Clock clock, Executor executor) {

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
  }

  /** A store at {@code root} of {@code capacityBytes}: scan on open, system clock, direct calls. */
  public static DiskStoreConfig of(Path root, long capacityBytes) {
    return new DiskStoreConfig(root, capacityBytes, StartupCheck.SCAN, Clock.systemUTC(), DIRECT);
  }

  /** This configuration with another startup check. */
  public DiskStoreConfig withStartupCheck(StartupCheck check) {
    return new DiskStoreConfig(root, capacityBytes, check, clock, executor);
  }

  /** This configuration with another clock. */
  public DiskStoreConfig withClock(Clock clock) {
    return new DiskStoreConfig(root, capacityBytes, startupCheck, clock, executor);
  }

  /** This configuration with another executor for the asynchronous methods. */
  public DiskStoreConfig withExecutor(Executor executor) {
    return new DiskStoreConfig(root, capacityBytes, startupCheck, clock, executor);
  }
}
