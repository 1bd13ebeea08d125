package org.deoss.cache;

import java.util.Objects;
import org.deoss.core.account.AccountId;

/** Where an object lives: its owner, bucket and key. The unit every cache is keyed by. */
public record ObjectPath(AccountId owner, String bucket, String key) {
  public ObjectPath {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
