/**
 * The Caffeine caches: object metadata, decoded segments, and the write-back cache that stages
 * dirty files on local disk and feeds the upload pipeline, with crash replay. Depends on {@code
 * deoss-core} and Caffeine only.
 */
package org.deoss.cache;
