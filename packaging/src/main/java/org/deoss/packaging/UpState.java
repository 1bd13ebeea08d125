package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running {@code deoss up} records in its home, {@code up.json}, for the commands of a
 * second terminal ({@code deoss status}) and for scripts: written once everything serves, removed
 * when it stops. A file whose process is gone is stale (a crash) and reported as such.
 *
 * @param pid the {@code deoss up} process
 * @param node the ledger node URL (also in {@code node.url})
 * @param mountPoint where the buckets are mounted
 * @param bucket the first bucket, created on the first start
 * @param miners how many miners run
 * @param minerEndpoints their {@code host:port} endpoints
 * @param log the log file
 * @param startedMillis when it became ready
 */
record UpState(
    long pid,
    String node,
    String mountPoint,
    String bucket,
    int miners,
    java.util.List<String> minerEndpoints,
    String log,
    long startedMillis) {

  static final String FILE = "up.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path home) throws IOException {
    Daemons.writeAtomically(home.resolve(FILE), JSON.writeValueAsString(this));
  }

  /** The record of the {@code deoss up} using {@code home}, or empty when there is none. */
  static Optional<UpState> read(Path home) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(home.resolve(FILE)), UpState.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(home.resolve(FILE) + " is not a deoss up record: " + e.getMessage());
    }
  }

  /** Whether the process that wrote this still runs. */
  boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
