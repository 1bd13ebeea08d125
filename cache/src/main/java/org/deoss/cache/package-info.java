/**
 * The caches under the FUSE mount: object metadata, decoded segments, and the write-back cache that
 * stages written files on local disk and uploads them in the background, with crash replay. Depends
 * on {@code deoss-core} and Caffeine only.
 *
 * <p>How the file system uses it:
 *
 * <ul>
 *   <li>{@link org.deoss.cache.MetadataCache} answers getattr, lookup and readdir (records and
 *       listing pages with a short TTL, missing keys remembered briefly); the adapter invalidates
 *       what it changes on the ledger itself (delete, rename, chmod of a clean file) so it reads
 *       its own writes at once, and overlays {@link org.deoss.cache.WriteBackCache#pending} and
 *       {@link org.deoss.cache.WriteBackCache#pendingUnder} for files not yet committed.
 *   <li>{@link org.deoss.cache.SegmentCache} serves reads of files not open for writing, and fills
 *       the staging files of the write-back cache.
 *   <li>{@link org.deoss.cache.WriteBackCache} opens files for writing ({@link
 *       org.deoss.cache.FileHandle}: read, write, append, truncate, attributes, fsync, close), and
 *       handles rename and unlink of the files it holds; {@link
 *       org.deoss.cache.WriteBackCache#progress} feeds {@code deoss status}, {@link
 *       org.deoss.cache.WriteBackCache#drain} a clean unmount.
 * </ul>
 *
 * Time, executors and schedulers are passed in (Caffeine's {@code Ticker} and {@code Scheduler}),
 * never read from globals. Every entry moves through {@link org.deoss.cache.EntryState}.
 */
package org.deoss.cache;
