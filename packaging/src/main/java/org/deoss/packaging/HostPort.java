package org.deoss.packaging;

/** A {@code HOST:PORT} option value. */
record HostPort(String host, int port) {
  static HostPort parse(String text, String option) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new UserException(option + " takes HOST:PORT, got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new UserException(option + ": '" + text.substring(colon + 1) + "' is not a port");
    }
  }
}
