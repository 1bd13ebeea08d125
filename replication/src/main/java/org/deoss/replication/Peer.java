package org.deoss.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One member of the ledger's Raft group: its id and the address of its Raft port.
 *
 * @param id letters, digits, {@code -} and {@code _}, 1 to 64 characters
 * @param host name or IP address the other members reach it at
 * @param port its Raft (gRPC) port, 1..65535
 */
public record Peer(String id, String host, int port) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public Peer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "peer id must be 1-64 letters, digits, '-' or '_', got '" + id + "'");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("host of peer " + id + " is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port of peer " + id + " must be 1..65535, got " + port);
    }
  }

  /** {@code host:port}. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Parses {@code ID=HOST:PORT}. */
  public static Peer parse(String spec) {
    int eq = spec.indexOf('=');
    int colon = spec.lastIndexOf(':');
    if (eq <= 0 || colon < eq + 2 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("peer must look like ID=HOST:PORT, got '" + spec + "'");
    }
    String host = spec.substring(eq + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(spec.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port of peer '" + spec + "' is not a number", e);
    }
    return new Peer(spec.substring(0, eq), host, port);
  }

  /**
   * Parses {@code ID=HOST:PORT,ID=HOST:PORT,...}.
   *
   * @throws IllegalArgumentException on a malformed entry, an empty list or a repeated id
   */
  public static List<Peer> parseList(String specs) {
    List<Peer> peers = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String s : specs.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Peer p = parse(s.trim());
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException(
            "peer id " + p.id() + " is given twice in '" + specs + "'");
      }
      peers.add(p);
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("no peer in '" + specs + "'");
    }
    return List.copyOf(peers);
  }

  @Override
  public String toString() {
    return id + "=" + address();
  }
}
