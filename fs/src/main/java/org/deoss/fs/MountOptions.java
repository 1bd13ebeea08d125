package org.deoss.fs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deoss.cache.CacheConfig;
import org.deoss.core.ledger.Names;

/**
 * How to mount. Immutable; checked in the constructor, and an error names the key and the bad
 * value.
 *
 * @param mountPoint an empty folder (created if missing)
 * @param bucket the one bucket shown as the root, or null to show all of the account's buckets
 * @param uid owner shown for the root, buckets and folders without attributes of their own
 * @param gid group shown for them
 * @param attrTimeout how long the kernel trusts attributes (libfuse {@code attr_timeout})
 * @param entryTimeout how long the kernel trusts a name lookup ({@code entry_timeout})
 * @param negativeTimeout how long the kernel trusts that a name is missing ({@code
 *     negative_timeout})
 * @param extraOptions more libfuse {@code -o} options, one per element (e.g. {@code allow_other})
 * @param cache the caches' settings, among them the cache directory
 * @param slowCall a file-system call taking longer is logged as a warning
 */
public record MountOptions(
    Path mountPoint,
    String bucket,
    int uid,
    int gid,
    Duration attrTimeout,
    Duration entryTimeout,
    Duration negativeTimeout,
    List<String> extraOptions,
    CacheConfig cache,
    Duration slowCall) {

  /** Largest write and read libfuse 2 can pass in one request (32 pages). */
  static final int MAX_IO = 131072;

  public MountOptions {
    Objects.requireNonNull(mountPoint, "mount.point");
    Objects.requireNonNull(cache, "mount.cache");
    if (bucket != null && Names.bucketNameProblem(bucket) != null) {
      throw bad("mount.bucket", bucket, Names.bucketNameProblem(bucket));
    }
    if (uid < 0) {
      throw bad("mount.uid", uid, "must not be negative");
    }
    if (gid < 0) {
      throw bad("mount.gid", gid, "must not be negative");
    }
    notNegative("mount.attrTimeout", attrTimeout);
    notNegative("mount.entryTimeout", entryTimeout);
    notNegative("mount.negativeTimeout", negativeTimeout);
    notNegative("mount.slowCall", slowCall);
    extraOptions = List.copyOf(Objects.requireNonNull(extraOptions, "mount.options"));
    for (String o : extraOptions) {
      if (o.isBlank() || o.chars().anyMatch(Character::isWhitespace)) {
        throw bad("mount.options", o, "an option is one word like allow_other or key=value");
      }
    }
  }

  /**
   * The defaults: all buckets, owner uid/gid as given, attributes and entries trusted 1 s, missing
   * names 1 s, calls over 2 s logged.
   */
  public static MountOptions defaults(Path mountPoint, CacheConfig cache, int uid, int gid) {
    return new MountOptions(
        mountPoint,
        null,
        uid,
        gid,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        List.of(),
        cache,
        Duration.ofSeconds(2));
  }

  public MountOptions withBucket(String name) {
    return new MountOptions(
        mountPoint,
        name,
        uid,
        gid,
        attrTimeout,
        entryTimeout,
        negativeTimeout,
        extraOptions,
        cache,
        slowCall);
  }

  /** Adds the comma-separated {@code -o} options of {@code spec} (null or blank adds nothing). */
  public MountOptions withOptions(String spec) {
    if (spec == null || spec.isBlank()) {
      return this;
    }
    List<String> more = new ArrayList<>(extraOptions);
    for (String o : spec.split(",")) {
      if (!o.isBlank()) {
        more.add(o.trim());
      }
    }
    return new MountOptions(
        mountPoint,
        bucket,
        uid,
        gid,
        attrTimeout,
        entryTimeout,
        negativeTimeout,
        more,
        cache,
        slowCall);
  }

  public MountOptions withTimeouts(Duration attr, Duration entry, Duration negative) {
    return new MountOptions(
        mountPoint, bucket, uid, gid, attr, entry, negative, extraOptions, cache, slowCall);
  }

  /** The arguments for libfuse: the recommended options, then the extra ones. */
  List<String> fuseArguments(String account) {
    String base =
        String.join(
            ",",
            "big_writes",
            "max_write=" + MAX_IO,
            "max_read=" + MAX_IO,
            "max_readahead=" + MAX_IO,
            "atomic_o_trunc",
            "default_permissions",
            "fsname=deoss:" + account,
            "subtype=deoss",
            "attr_timeout=" + seconds(attrTimeout),
            "entry_timeout=" + seconds(entryTimeout),
            "negative_timeout=" + seconds(negativeTimeout));
    List<String> args = new ArrayList<>(List.of("-o", base));
    if (!extraOptions.isEmpty()) {
      args.add("-o");
      args.add(String.join(",", extraOptions));
    }
    return args;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }

  private static void notNegative(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw bad(key, d, "must not be negative");
    }
  }

  private static IllegalArgumentException bad(String key, Object value, String rule) {
    return new IllegalArgumentException(key + " = " + value + ": " + rule);
  }
}
