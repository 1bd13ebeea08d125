package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.deoss.cache.UploadProgress;

/**
 * What a running {@code deoss mount} tells {@code deoss status}: a small JSON file in the home,
 * {@code mount.status}, rewritten atomically about once a second while the mount runs and removed
 * when it ends. A file whose process is gone is reported as stale, not as a running mount.
 *
 * @param pid the mount's process
 * @param mountPoint where it is mounted
 * @param updatedMillis when the file was written
 * @param pendingFiles files written but not yet committed
 * @param failedFiles files whose last upload failed (retried with backoff)
 * @param pendingBytes bytes written but not yet committed
 * @param uploadedBytes bytes committed since the mount started
 * @param current the file uploading now, or null
 * @param lastError the last upload error, or null
 * @param blockedWriters writers waiting for the dirty bound
 */
record MountStatus(
    long pid,
    String mountPoint,
    long updatedMillis,
    int pendingFiles,
    int failedFiles,
    long pendingBytes,
    long uploadedBytes,
    String current,
    String lastError,
    int blockedWriters) {

  static final String FILE = "mount.status";
  private static final ObjectMapper JSON = new ObjectMapper();

  static MountStatus of(long pid, Path mountPoint, long now, UploadProgress p) {
    return new MountStatus(
        pid,
        mountPoint.toString(),
        now,
        p.entries(),
        p.failed(),
        p.bytesPending(),
        p.bytesDone(),
        p.current() == null ? null : p.current().toString(),
        p.lastError(),
        p.blockedWriters());
  }

  void write(Path home) throws IOException {
    Daemons.writeAtomically(home.resolve(FILE), JSON.writeValueAsString(this));
  }

  /** The status file of the mount using {@code home}, or empty when there is none. */
  static Optional<MountStatus> read(Path home) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(home.resolve(FILE)), MountStatus.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(home.resolve(FILE) + " is not a mount status file: " + e.getMessage());
    }
  }

  /** Whether the process that wrote this still runs. */
  boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
