/**
 * The jnr-fuse adapter: path mapping, POSIX operations, open-file handles, locks, errno mapping,
 * mount and unmount. Depends on {@code deoss-core} and {@code deoss-cache}; never on the wire.
 *
 * <p><b>Public face.</b> {@link org.deoss.fs.MountOptions} (what to mount and how), {@link
 * org.deoss.fs.DeossMount} (mount, progress, unmount), {@link org.deoss.fs.MountTable} (the
 * kernel's mount table and fusermount, for {@code deoss umount}) and {@link
 * org.deoss.fs.MountException}. Everything else is package-private:
 *
 * <ul>
 *   <li>{@code FuseBoundary} — the only class libfuse calls; one wrapper per callback, one table
 *       ({@code ErrnoTable}) from exceptions to errno;
 *   <li>{@code FsCore} — the operations in Java types, throwing {@code FsException(errno)};
 *   <li>{@code Namespace}, {@code PathMapper}, {@code FsPath}, {@code Node} — where a path lives;
 *   <li>{@code Listing}, {@code DirStream} — paged readdir merged with files not yet uploaded;
 *   <li>{@code CachedFile}, {@code CommittedFile} — open files (write-back cache handle, or a
 *       read-only view through the segment cache);
 *   <li>{@code SpaceGuard}, {@code PathLocks}, {@code Attrs}.
 * </ul>
 *
 * <p><b>Layout.</b> The root lists the account's buckets; {@code mkdir /name} creates a bucket and
 * {@code rmdir /name} deletes an empty one. Inside a bucket, keys with "/" are folders. mkdir
 * writes a marker key {@code dir/} whose attributes are the folder's mode, owner and times; a
 * prefix with no marker (written by another client) is an implicit folder shown with mode 0755, and
 * it gets a marker when its last entry goes, so folders never vanish with their last file. Entries
 * at the root that cannot be buckets (dot-entries such as {@code .Trash-1000} and {@code
 * .xdg-volume-info}, and regular files) live in the reserved bucket {@code deoss-root-entries},
 * which the root listing hides and mkdir refuses. Buckets and the root have no attributes: chmod,
 * chown and utimens on them succeed and change nothing.
 */
package org.deoss.fs;
