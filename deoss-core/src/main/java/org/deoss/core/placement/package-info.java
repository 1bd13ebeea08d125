/**
 * Placement: which miners hold the n fragments of a segment. Distinct miners when there are enough,
 * spread over failure domains (zones), weighted by free capacity; when there are too few miners the
 * plan doubles up and says how many failures the segment still survives.
 */
package org.deoss.core.placement;
