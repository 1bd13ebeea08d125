/**
 * Support for end-to-end tests over real processes, and the JMH benchmarks (package {@code
 * org.deoss.tests.bench}, run with {@code ./bench}; not part of the CI gate).
 */
package org.deoss.tests;
