package org.deoss.transfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.ledger.SpaceInfo;
import org.deoss.core.ledger.SpaceState;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;

/**
 * The JSON form of the ledger's values, shared by {@link LedgerNodeServer} and {@link
 * RemoteLedgerClient}. Every value maps to an object whose fields are named like the record
 * components; accounts are SS58 addresses, hashes and object ids lower-case hex, byte strings
 * standard base64, enums their names, numbers JSON integers. Decoding rebuilds equal values and
 * throws {@link IllegalArgumentException} naming the field that is missing or malformed.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static <T> ArrayNode array(List<T> values, Function<T, JsonNode> f) {
    ArrayNode a = MAPPER.createArrayNode();
    values.forEach(v -> a.add(f.apply(v)));
    return a;
  }

  static <T> List<T> list(JsonNode n, String field, Function<JsonNode, T> f) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array");
    }
    List<T> out = new ArrayList<>(a.size());
    a.forEach(e -> out.add(f.apply(e)));
    return out;
  }

  // ---- field readers --------------------------------------------------------------------------

  static JsonNode field(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return v;
  }

  static long longField(JsonNode n, String field) {
    JsonNode v = field(n, field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + v);
    }
    return v.longValue();
  }

  static int intField(JsonNode n, String field) {
    JsonNode v = field(n, field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(
          "field '" + field + "' must be a 32-bit integer, got " + v);
    }
    return v.intValue();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = field(n, field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + v);
    }
    return v.textValue();
  }

  static String textOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : text(n, field);
  }

  static boolean bool(JsonNode n, String field) {
    JsonNode v = field(n, field);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("field '" + field + "' must be true or false, got " + v);
    }
    return v.booleanValue();
  }

  static byte[] bytes(JsonNode n, String field) {
    return base64(text(n, field), field);
  }

  static byte[] base64(String s, String what) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64: " + e.getMessage(), e);
    }
  }

  static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static AccountId account(JsonNode n, String field) {
    return parseAccount(text(n, field), field);
  }

  /**
   * Addresses parsed recently: a client names the same few accounts in every request, and a parse
   * (base 58 and a BLAKE2b checksum) is a visible part of a small request's CPU. Cleared when full.
   */
  private static final int PARSED_MAX = 4096;

  private static final ConcurrentHashMap<String, AccountId> PARSED = new ConcurrentHashMap<>();

  static AccountId parseAccount(String address, String what) {
    AccountId known = PARSED.get(address);
    if (known != null) {
      return known;
    }
    try {
      AccountId id = AccountId.parse(address);
      if (PARSED.size() >= PARSED_MAX) {
        PARSED.clear();
      }
      PARSED.put(address, id);
      return id;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what + " '" + address + "' is not an account address: " + e.getMessage(), e);
    }
  }

  static Hash256 hash(JsonNode n, String field) {
    return parseHash(text(n, field), field);
  }

  static Hash256 parseHash(String hex, String what) {
    try {
      return Hash256.ofHex(hex);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what + " '" + hex + "' is not a 64-digit hex hash: " + e.getMessage(), e);
    }
  }

  static <E extends Enum<E>> E enumField(JsonNode n, String field, Class<E> type) {
    String name = text(n, field);
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "field '" + field + "' has unknown " + type.getSimpleName() + " '" + name + "'", e);
    }
  }

  // ---- values ---------------------------------------------------------------------------------

  static ObjectNode receipt(Receipt r) {
    ObjectNode o = object();
    o.put("txHash", r.txHash().toHex());
    o.put("blockHeight", r.blockHeight());
    o.put("blockHash", r.blockHash().toHex());
    o.put("txIndex", r.txIndex());
    o.put("objectVersion", r.objectVersion());
    return o;
  }

  static Receipt receipt(JsonNode n) {
    return new Receipt(
        hash(n, "txHash"),
        longField(n, "blockHeight"),
        hash(n, "blockHash"),
        intField(n, "txIndex"),
        longField(n, "objectVersion"));
  }

  static ObjectNode head(ChainHead h) {
    ObjectNode o = object();
    o.put("height", h.height());
    o.put("hash", h.hash().toHex());
    o.put("timeMillis", h.timeMillis());
    return o;
  }

  static ChainHead head(JsonNode n) {
    return new ChainHead(longField(n, "height"), hash(n, "hash"), longField(n, "timeMillis"));
  }

  static ObjectNode header(BlockHeader h) {
    ObjectNode o = object();
    o.put("height", h.height());
    o.put("hash", h.hash().toHex());
    o.put("parent", h.parent().toHex());
    o.put("timeMillis", h.timeMillis());
    o.put("txCount", h.txCount());
    o.put("txRoot", h.txRoot().toHex());
    return o;
  }

  static BlockHeader header(JsonNode n) {
    BlockHeader h =
        new BlockHeader(
            longField(n, "height"),
            hash(n, "parent"),
            longField(n, "timeMillis"),
            intField(n, "txCount"),
            hash(n, "txRoot"));
    if (n.has("hash") && !h.hash().equals(hash(n, "hash"))) {
      throw new IllegalArgumentException(
          "block " + h.height() + ": field 'hash' does not match the header's fields");
    }
    return h;
  }

  static ObjectNode accountInfo(AccountInfo a) {
    ObjectNode o = object();
    o.put("id", a.id().address());
    o.put("balance", a.balance());
    o.put("nonce", a.nonce());
    SpaceInfo s = a.space();
    ObjectNode space = o.putObject("space");
    space.put("purchasedBytes", s.purchasedBytes());
    space.put("usedBytes", s.usedBytes());
    space.put("startMillis", s.startMillis());
    space.put("deadlineMillis", s.deadlineMillis());
    space.put("state", s.state().name());
    return o;
  }

  static AccountInfo accountInfo(JsonNode n) {
    JsonNode s = field(n, "space");
    return new AccountInfo(
        account(n, "id"),
        longField(n, "balance"),
        longField(n, "nonce"),
        new SpaceInfo(
            longField(s, "purchasedBytes"),
            longField(s, "usedBytes"),
            longField(s, "startMillis"),
            longField(s, "deadlineMillis"),
            enumField(s, "state", SpaceState.class)));
  }

  static ObjectNode bucket(BucketInfo b) {
    ObjectNode o = object();
    o.put("owner", b.owner().address());
    o.put("name", b.name());
    o.put("createdMillis", b.createdMillis());
    o.put("objectCount", b.objectCount());
    return o;
  }

  static BucketInfo bucket(JsonNode n) {
    return new BucketInfo(
        account(n, "owner"),
        text(n, "name"),
        longField(n, "createdMillis"),
        longField(n, "objectCount"));
  }

  static ObjectNode miner(MinerInfo m) {
    ObjectNode o = object();
    o.put("id", m.id().address());
    o.put("endpoint", m.endpoint());
    o.put("capacityBytes", m.capacityBytes());
    o.put("stake", m.stake());
    o.put("zone", m.zone());
    o.put("status", m.status().name());
    o.put("registeredMillis", m.registeredMillis());
    o.put("lastHeartbeatMillis", m.lastHeartbeatMillis());
    o.put("reportedUsedBytes", m.reportedUsedBytes());
    o.put("faults", m.faults());
    o.put("proofs", m.proofs());
    o.put("rewards", m.rewards());
    o.put("penalties", m.penalties());
    o.put("fragments", m.fragments());
    return o;
  }

  static MinerInfo miner(JsonNode n) {
    return new MinerInfo(
        account(n, "id"),
        text(n, "endpoint"),
        longField(n, "capacityBytes"),
        longField(n, "stake"),
        text(n, "zone"),
        enumField(n, "status", MinerStatus.class),
        longField(n, "registeredMillis"),
        longField(n, "lastHeartbeatMillis"),
        longField(n, "reportedUsedBytes"),
        intField(n, "faults"),
        longField(n, "proofs"),
        // Absent from the answers of nodes older than the audit economics.
        n.has("rewards") ? longField(n, "rewards") : 0,
        n.has("penalties") ? longField(n, "penalties") : 0,
        longField(n, "fragments"));
  }

  static ObjectNode challenge(Challenge c) {
    ObjectNode o = object();
    o.put("id", c.id());
    o.put("miner", c.miner().address());
    o.set("fragments", array(c.fragments(), h -> MAPPER.getNodeFactory().textNode(h.toHex())));
    o.set("leafIndices", array(c.leafIndices(), i -> MAPPER.getNodeFactory().numberNode(i)));
    o.set("leafCounts", array(c.leafCounts(), i -> MAPPER.getNodeFactory().numberNode(i)));
    o.put("issuedHeight", c.issuedHeight());
    o.put("deadlineHeight", c.deadlineHeight());
    return o;
  }

  static Challenge challenge(JsonNode n) {
    return new Challenge(
        longField(n, "id"),
        account(n, "miner"),
        list(n, "fragments", e -> parseHash(e.asText(), "challenge fragment")),
        list(n, "leafIndices", Json::leafIndex),
        list(n, "leafCounts", Json::leafIndex),
        longField(n, "issuedHeight"),
        longField(n, "deadlineHeight"));
  }

  private static Integer leafIndex(JsonNode e) {
    if (!e.isIntegralNumber() || !e.canConvertToInt()) {
      throw new IllegalArgumentException("leaf index must be an integer, got " + e);
    }
    return e.intValue();
  }

  static ObjectNode repairOrder(RepairOrder r) {
    ObjectNode o = object();
    o.put("id", r.id());
    o.put("objectId", r.objectId().toHex());
    o.put("segment", r.segment());
    o.put("fragment", r.fragment());
    o.put("fragmentHash", r.fragmentHash().toHex());
    o.put("fromMiner", r.fromMiner().address());
    o.put("createdHeight", r.createdHeight());
    return o;
  }

  static RepairOrder repairOrder(JsonNode n) {
    return new RepairOrder(
        longField(n, "id"),
        objectId(n, "objectId"),
        intField(n, "segment"),
        intField(n, "fragment"),
        hash(n, "fragmentHash"),
        account(n, "fromMiner"),
        longField(n, "createdHeight"));
  }

  static ObjectId parseObjectId(String hex, String what) {
    try {
      return ObjectId.ofHex(hex);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what + " '" + hex + "' is not a 32-digit hex object id", e);
    }
  }

  private static ObjectId objectId(JsonNode n, String field) {
    String hex = text(n, field);
    try {
      return ObjectId.ofHex(hex);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "field '" + field + "' is not a 32-digit hex object id: '" + hex + "'", e);
    }
  }

  static ObjectNode objectRecord(ObjectRecord r) {
    ObjectNode o = object();
    o.put("owner", r.owner().address());
    o.put("bucket", r.bucket());
    o.put("key", r.key());
    o.put("version", r.version());
    o.put("size", r.size());
    o.put("createdMillis", r.createdMillis());
    o.put("modifiedMillis", r.modifiedMillis());
    o.set("manifest", manifest(r.manifest()));
    o.set("attributes", attributes(r.attributes()));
    o.set("access", access(r.access()));
    return o;
  }

  static ObjectRecord objectRecord(JsonNode n) {
    return new ObjectRecord(
        account(n, "owner"),
        text(n, "bucket"),
        text(n, "key"),
        longField(n, "version"),
        manifest(field(n, "manifest")),
        attributes(field(n, "attributes")),
        access(field(n, "access")),
        longField(n, "createdMillis"),
        longField(n, "modifiedMillis"));
  }

  static ObjectNode manifest(ObjectManifest m) {
    ObjectNode o = object();
    o.put("objectId", m.objectId().toHex());
    o.put("size", m.size());
    o.put("segmentSize", m.segmentSize());
    o.put("dataShards", m.dataShards());
    o.put("parityShards", m.parityShards());
    o.put("chunkSize", m.chunkSize());
    o.put("fid", m.fid().toHex());
    ArrayNode segs = o.putArray("segments");
    for (SegmentRef s : m.segments()) {
      ObjectNode so = segs.addObject();
      so.put("index", s.index());
      so.put("plainLength", s.plainLength());
      so.put("encryptedLength", s.encryptedLength());
      so.put("hash", s.hash().toHex());
      ArrayNode frags = so.putArray("fragments");
      for (FragmentRef f : s.fragments()) {
        ObjectNode fo = frags.addObject();
        fo.put("index", f.index());
        fo.put("hash", f.hash().toHex());
        fo.put("length", f.length());
        fo.put("miner", f.miner().address());
      }
    }
    return o;
  }

  static ObjectManifest manifest(JsonNode n) {
    List<SegmentRef> segments =
        list(
            n,
            "segments",
            s ->
                new SegmentRef(
                    intField(s, "index"),
                    intField(s, "plainLength"),
                    intField(s, "encryptedLength"),
                    hash(s, "hash"),
                    list(
                        s,
                        "fragments",
                        f ->
                            new FragmentRef(
                                intField(f, "index"),
                                hash(f, "hash"),
                                intField(f, "length"),
                                account(f, "miner")))));
    return new ObjectManifest(
        objectId(n, "objectId"),
        longField(n, "size"),
        intField(n, "segmentSize"),
        intField(n, "dataShards"),
        intField(n, "parityShards"),
        intField(n, "chunkSize"),
        hash(n, "fid"),
        segments);
  }

  static ObjectNode attributes(PosixAttributes a) {
    ObjectNode o = object();
    o.put("mode", a.mode());
    o.put("uid", a.uid());
    o.put("gid", a.gid());
    o.put("mtimeNanos", a.mtimeNanos());
    o.put("ctimeNanos", a.ctimeNanos());
    o.put("symlinkTarget", a.symlinkTarget());
    ObjectNode x = o.putObject("xattrs");
    for (String name : a.xattrNames()) {
      x.put(name, base64(a.xattr(name)));
    }
    return o;
  }

  static PosixAttributes attributes(JsonNode n) {
    Map<String, byte[]> xattrs = new TreeMap<>();
    JsonNode x = field(n, "xattrs");
    for (Iterator<Map.Entry<String, JsonNode>> it = x.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      xattrs.put(e.getKey(), base64(e.getValue().asText(), "xattr '" + e.getKey() + "'"));
    }
    return PosixAttributes.of(
        intField(n, "mode"),
        intField(n, "uid"),
        intField(n, "gid"),
        longField(n, "mtimeNanos"),
        longField(n, "ctimeNanos"),
        text(n, "symlinkTarget"),
        xattrs);
  }

  static ObjectNode access(Access a) {
    ObjectNode o = object();
    o.put("visibility", a.visibility().name());
    ObjectNode keys = o.putObject("wrappedKeys");
    for (AccountId g : a.grantees()) {
      keys.put(g.address(), base64(a.wrappedKey(g)));
    }
    byte[] clear = a.publicDataKey();
    if (clear != null) {
      o.put("publicDataKey", base64(clear));
    }
    return o;
  }

  static Access access(JsonNode n) {
    Map<AccountId, byte[]> keys = new TreeMap<>();
    JsonNode k = field(n, "wrappedKeys");
    for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      keys.put(
          parseAccount(e.getKey(), "grantee"),
          base64(e.getValue().asText(), "wrapped key of " + e.getKey()));
    }
    String clear = textOrNull(n, "publicDataKey");
    return Access.of(
        enumField(n, "visibility", Visibility.class),
        keys,
        clear == null ? null : base64(clear, "publicDataKey"));
  }

  static ObjectNode listPage(ListPage p) {
    ObjectNode o = object();
    o.set("objects", array(p.objects(), Json::objectRecord));
    o.set("commonPrefixes", array(p.commonPrefixes(), s -> MAPPER.getNodeFactory().textNode(s)));
    if (p.next() != null) {
      o.put("next", p.next());
    } else {
      o.putNull("next");
    }
    return o;
  }

  static ListPage listPage(JsonNode n) {
    return new ListPage(
        list(n, "objects", Json::objectRecord),
        list(n, "commonPrefixes", JsonNode::asText),
        textOrNull(n, "next"));
  }
}
