package org.deoss.cache;

/**
 * A snapshot of the upload queue for {@code deoss status} and the unmount progress bar.
 *
 * @param entries entries not CLEAN (dirty, flushing or failed)
 * @param failed entries in FAILED (waiting for a retry, or a version conflict)
 * @param bytesPending bytes written but not yet committed
 * @param bytesDone plaintext bytes uploaded since the cache opened
 * @param current the object uploading now, or null
 * @param lastError the last upload error with its object, or null
 * @param blockedWriters writers waiting because the dirty bound is reached
 */
public record UploadProgress(
    int entries,
    int failed,
    long bytesPending,
    long bytesDone,
    ObjectPath current,
    String lastError,
    int blockedWriters) {}
