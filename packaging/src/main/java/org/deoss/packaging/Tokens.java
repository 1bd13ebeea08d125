package org.deoss.packaging;

import java.math.BigDecimal;
import org.deoss.core.ledger.Genesis;

/** Token amounts on the command line: decimal tokens, e.g. {@code 0.01}, to ledger units. */
final class Tokens {
  private Tokens() {}

  /**
   * Parses a non-negative decimal amount of tokens.
   *
   * @throws UserException naming {@code option} and the text
   */
  static long parse(String text, String option) {
    try {
      BigDecimal units = new BigDecimal(text.strip()).multiply(BigDecimal.valueOf(Genesis.TOKEN));
      if (units.signum() < 0) {
        throw new UserException(option + ": '" + text + "' must not be negative");
      }
      return units.toBigIntegerExact().longValueExact();
    } catch (NumberFormatException e) {
      throw new UserException(option + ": '" + text + "' is not an amount of tokens, e.g. 0.01");
    } catch (ArithmeticException e) {
      throw new UserException(
          option + ": '" + text + "' is finer than one unit (10^-12) or too large");
    }
  }
}
