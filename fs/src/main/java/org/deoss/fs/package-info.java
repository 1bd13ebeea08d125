/**
 * The jnr-fuse adapter: path mapping, POSIX operations, open-file handles, locks, errno mapping,
 * mount and unmount. Depends on {@code deoss-core} and {@code deoss-cache}; never on the wire.
 */
package org.deoss.fs;
