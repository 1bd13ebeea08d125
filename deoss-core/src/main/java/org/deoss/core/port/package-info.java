/**
 * The ports: interfaces that other modules implement ({@code transfer} over the network, {@code
 * cache} around them) and that the pipeline and the mount use. Each port has an in-memory version
 * for unit tests of the layers above it and a contract test suite (in the core test jar) that every
 * implementation must pass.
 */
package org.deoss.core.port;
