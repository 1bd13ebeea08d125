package org.deoss.core.ledger;

import java.util.Objects;
import org.deoss.core.account.AccountId;
import org.deoss.core.manifest.ObjectManifest;

/**
 * The current version of an object as the ledger holds it. {@code version} is unique ledger-wide
 * and grows with every put (a rename, attribute or access change keeps it); {@code createdMillis}
 * is the block time of the first put of this key since it last did not exist; {@code
 * modifiedMillis} the block time of the last change of any kind.
 */
public record ObjectRecord(
    AccountId owner,
    String bucket,
    String key,
    long version,
    ObjectManifest manifest,
    PosixAttributes attributes,
    Access access,
    long createdMillis,
    long modifiedMillis) {
  public ObjectRecord {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(access, "access");
  }

  /** Logical size in bytes (what the account's space is charged). */
  public long size() {
    return manifest.size();
  }

  ObjectRecord withLocation(String newBucket, String newKey, long now) {
    return new ObjectRecord(
        owner, newBucket, newKey, version, manifest, attributes, access, createdMillis, now);
  }

  ObjectRecord withAttributes(PosixAttributes a, long now) {
    return new ObjectRecord(owner, bucket, key, version, manifest, a, access, createdMillis, now);
  }

  ObjectRecord withAccess(Access a, long now) {
    return new ObjectRecord(
        owner, bucket, key, version, manifest, attributes, a, createdMillis, now);
  }

  ObjectRecord withManifest(ObjectManifest m) {
    return new ObjectRecord(
        owner, bucket, key, version, m, attributes, access, createdMillis, modifiedMillis);
  }
}
