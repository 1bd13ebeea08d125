/** The {@code deoss} command line (picocli) and the distribution. */
package org.deoss.packaging;
