package org.deoss.transfer.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.deoss.core.ledger.ObjectRecord;

/** How an object record shows over HTTP: its metadata JSON, media type and file name. */
final class ObjectViews {
  /** Where the media type given at upload is kept, as file managers read it. */
  static final String MIME_XATTR = "user.mime_type";

  private ObjectViews() {}

  static ObjectNode metadata(ObjectRecord r) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("owner", r.owner().address());
    o.put("bucket", r.bucket());
    o.put("key", r.key());
    o.put("fid", r.manifest().fid().toHex());
    o.put("size", r.size());
    o.put("version", r.version());
    o.put("visibility", r.access().visibility().name().toLowerCase(Locale.ROOT));
    ArrayNode g = o.putArray("grantees");
    r.access().grantees().forEach(a -> g.add(a.address()));
    o.put("contentType", contentType(r));
    o.put("created", r.createdMillis());
    o.put("modified", r.modifiedMillis());
    o.put("segments", r.manifest().segments().size());
    return o;
  }

  static String contentType(ObjectRecord r) {
    byte[] stored = r.attributes().xattr(MIME_XATTR);
    if (stored != null) {
      return new String(stored, StandardCharsets.UTF_8);
    }
    return ContentTypes.guess(r.key());
  }

  /**
   * The object a download, open or metadata path names: {@code /file/OP/[OWNER/]BUCKET/KEY}, the
   * owner defaulting to the signer.
   */
  static String disposition(boolean inline, String name) {
    StringBuilder ascii = new StringBuilder();
    for (char c : name.toCharArray()) {
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    return (inline ? "inline" : "attachment")
        + "; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + pct(name);
  }

  private static String pct(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }
}
