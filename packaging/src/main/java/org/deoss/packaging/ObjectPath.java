package org.deoss.packaging;

import org.deoss.core.ledger.Names;

/**
 * A {@code BUCKET/KEY} argument, checked before anything is asked of the wallet or the ledger.
 *
 * @param key the object key, or for a listing the prefix ("" for the whole bucket)
 */
record ObjectPath(String bucket, String key) {

  /** {@code BUCKET/KEY}: both parts required. */
  static ObjectPath object(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new UserException(
          "'" + text + "' is not BUCKET/KEY; write the bucket, a slash and the key: photos/a.jpg");
    }
    ObjectPath p = new ObjectPath(bucket(text.substring(0, slash)), text.substring(slash + 1));
    String problem = Names.keyProblem(p.key);
    if (problem != null) {
      throw new UserException("bad key in '" + text + "': " + problem);
    }
    return p;
  }

  /** {@code BUCKET} or {@code BUCKET/PREFIX}. */
  static ObjectPath prefix(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new ObjectPath(bucket(text), "");
    }
    return new ObjectPath(bucket(text.substring(0, slash)), text.substring(slash + 1));
  }

  private static String bucket(String name) {
    String problem = Names.bucketNameProblem(name);
    if (problem != null) {
      throw new UserException("bad bucket name '" + name + "': " + problem);
    }
    return name;
  }

  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
