package org.deoss.packaging;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h} or {@code 1d}. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(MS|S|M|H|D)");

  private Durations() {}

  /**
   * @param option the option's name, for the error
   * @throws UserException naming the option and the text when it is not a positive duration
   */
  static Duration parse(String text, String option) {
    Matcher m = DURATION.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UserException(
          option + " '" + text + "' is not a positive duration; write e.g. 500ms, 5s, 10m, 2h, 1d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "MS" -> Duration.ofMillis(n);
      case "S" -> Duration.ofSeconds(n);
      case "M" -> Duration.ofMinutes(n);
      case "H" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
