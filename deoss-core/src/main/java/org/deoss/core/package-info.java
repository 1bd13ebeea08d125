/**
 * The core of DeOSS: value types, accounts and keys, the data pipeline (segmenting, encryption,
 * erasure coding, hashing), the ledger state machine with its embedded journal, and the ports that
 * the other modules implement. Depends on the JDK, Bouncy Castle, Jackson and SLF4J only.
 */
package org.deoss.core;
