package org.deoss.packaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.ObjectRecord;

/** The JSON shapes the object commands print (maps for Jackson). */
final class ObjectJson {
  private ObjectJson() {}

  static Map<String, Object> object(ObjectRecord o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", o.owner().address());
    m.put("bucket", o.bucket());
    m.put("key", o.key());
    m.put("size", o.size());
    m.put("version", o.version());
    m.put("visibility", o.access().visibility().name());
    m.put("created", Instant.ofEpochMilli(o.createdMillis()).toString());
    m.put("modified", Instant.ofEpochMilli(o.modifiedMillis()).toString());
    return m;
  }

  /** Who can read {@code o}: the owner, grantees and operators its record wraps the key for. */
  static Map<String, Object> readers(ObjectRecord o) {
    Access a = o.access();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", o.bucket() + "/" + o.key());
    m.put("owner", o.owner().address());
    m.put("visibility", a.visibility().name());
    List<String> grantees = new ArrayList<>();
    for (AccountId g : AccessPolicy.grantsOf(a, o.owner()).grantees()) {
      grantees.add(g.address());
    }
    List<String> operators = new ArrayList<>();
    for (AccountId g : a.grantees()) {
      if (a.role(g) == Access.Role.OPERATOR) {
        operators.add(g.address());
      }
    }
    m.put("grantees", grantees);
    m.put("operators", operators);
    return m;
  }
}
