package org.deoss.core.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;
import org.deoss.core.ledger.codec.CodecException;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;

/**
 * Encodings of calls and of the values they carry. A call is one tag byte and its fields in record
 * order; limits on decode are generous upper bounds (the state machine applies the real rules and
 * names them in its rejections).
 *
 * <pre>
 * manifest   = objectId[16] size:v segmentSize:v k:v m:v chunkSize:v fid[32] nSeg:v segment*
 * segment    = plainLength:v encryptedLength:v hash[32] nFrag:v fragment*   (index = position)
 * fragment   = length:v hash[32] miner[32]                      (index = position)
 * attributes = mode:v uid:v gid:v mtime:f64 ctime:f64 symlink:str nX:v (name:str value:bytes)*
 * access     = visibility:u8 nGrant:v (grantee[32] wrapped:bytes)* hasClear:bool [clear:bytes]
 * condition  = kind:u8 [version:v]
 * </pre>
 */
final class LedgerCodec {
  static final int MAX_NAME = 255;
  static final int MAX_KEY = 4096;
  static final int MAX_SEGMENTS = 65_536;
  static final int MAX_FRAGMENTS = 255;

  private LedgerCodec() {}

  // Call tags; never renumber.
  static final int TRANSFER = 1;
  static final int FAUCET = 2;
  static final int BUY_SPACE = 10;
  static final int EXPAND_SPACE = 11;
  static final int RENEW_SPACE = 12;
  static final int AUTHORIZE = 20;
  static final int DEAUTHORIZE = 21;
  static final int CREATE_BUCKET = 30;
  static final int DELETE_BUCKET = 31;
  static final int PUT_OBJECT = 40;
  static final int RENAME_OBJECT = 41;
  static final int RENAME_PREFIX = 42;
  static final int DELETE_OBJECT = 43;
  static final int MOVE_OBJECT = 46;
  static final int MOVE_PREFIX = 47;
  static final int ANNOUNCE_KEY = 48;
  static final int SET_ATTRIBUTES = 44;
  static final int SET_ACCESS = 45;
  static final int REGISTER_MINER = 50;
  static final int UPDATE_MINER = 51;
  static final int HEARTBEAT = 52;
  static final int EXIT_MINER = 53;
  static final int SUBMIT_PROOF = 60;
  static final int COMPLETE_REPAIR = 61;
  static final int REPAIR_SEGMENT = 49;

  static void writeCall(ByteWriter w, Call call) {
    if (call instanceof Call.Transfer c) {
      w.u8(TRANSFER).account(c.to()).varint(c.amount());
    } else if (call instanceof Call.Faucet) {
      w.u8(FAUCET);
    } else if (call instanceof Call.BuySpace c) {
      w.u8(BUY_SPACE).varint(c.gib()).varint(c.days());
    } else if (call instanceof Call.ExpandSpace c) {
      w.u8(EXPAND_SPACE).varint(c.gib());
    } else if (call instanceof Call.RenewSpace c) {
      w.u8(RENEW_SPACE).varint(c.days());
    } else if (call instanceof Call.Authorize c) {
      w.u8(AUTHORIZE).account(c.operator());
    } else if (call instanceof Call.Deauthorize c) {
      w.u8(DEAUTHORIZE).account(c.operator());
    } else if (call instanceof Call.AnnounceKey c) {
      w.u8(ANNOUNCE_KEY).raw(c.x25519Public());
    } else if (call instanceof Call.CreateBucket c) {
      w.u8(CREATE_BUCKET).account(c.owner()).string(c.name());
    } else if (call instanceof Call.DeleteBucket c) {
      w.u8(DELETE_BUCKET).account(c.owner()).string(c.name());
    } else if (call instanceof Call.PutObject c) {
      w.u8(PUT_OBJECT).account(c.owner()).string(c.bucket()).string(c.key());
      writeManifest(w, c.manifest());
      writeAttributes(w, c.attributes());
      writeAccess(w, c.access());
      w.u8(c.condition().kind().ordinal());
      if (c.condition().kind() == PutCondition.Kind.IF_VERSION) {
        w.varint(c.condition().version());
      }
    } else if (call instanceof Call.RenameObject c) {
      w.u8(RENAME_OBJECT).account(c.owner()).string(c.bucket()).string(c.from());
      w.string(c.to()).bool(c.overwrite());
    } else if (call instanceof Call.RenamePrefix c) {
      w.u8(RENAME_PREFIX).account(c.owner()).string(c.bucket()).string(c.fromPrefix());
      w.string(c.toPrefix());
    } else if (call instanceof Call.MoveObject c) {
      w.u8(MOVE_OBJECT).account(c.owner()).string(c.fromBucket()).string(c.from());
      w.string(c.toBucket()).string(c.to()).bool(c.overwrite());
    } else if (call instanceof Call.MovePrefix c) {
      w.u8(MOVE_PREFIX).account(c.owner()).string(c.fromBucket()).string(c.fromPrefix());
      w.string(c.toBucket()).string(c.toPrefix());
    } else if (call instanceof Call.DeleteObject c) {
      w.u8(DELETE_OBJECT).account(c.owner()).string(c.bucket()).string(c.key());
    } else if (call instanceof Call.SetAttributes c) {
      w.u8(SET_ATTRIBUTES).account(c.owner()).string(c.bucket()).string(c.key());
      writeAttributes(w, c.attributes());
    } else if (call instanceof Call.SetAccess c) {
      w.u8(SET_ACCESS).account(c.owner()).string(c.bucket()).string(c.key());
      writeAccess(w, c.access());
    } else if (call instanceof Call.RegisterMiner c) {
      w.u8(REGISTER_MINER).string(c.endpoint()).varint(c.capacityBytes()).varint(c.stake());
      w.string(c.zone());
    } else if (call instanceof Call.UpdateMiner c) {
      w.u8(UPDATE_MINER).string(c.endpoint()).varint(c.capacityBytes()).varint(c.addStake());
      w.string(c.zone());
    } else if (call instanceof Call.Heartbeat c) {
      w.u8(HEARTBEAT).varint(c.usedBytes());
    } else if (call instanceof Call.ExitMiner) {
      w.u8(EXIT_MINER);
    } else if (call instanceof Call.SubmitProof c) {
      w.u8(SUBMIT_PROOF).varint(c.challengeId()).bytes(c.proof());
    } else if (call instanceof Call.CompleteRepair c) {
      w.u8(COMPLETE_REPAIR).varint(c.orderId());
      FragmentRef f = c.placement();
      w.varint(f.index()).varint(f.length()).hash(f.hash()).account(f.miner());
    } else if (call instanceof Call.RepairSegment c) {
      w.u8(REPAIR_SEGMENT).varint(c.orderIds().size());
      for (int i = 0; i < c.orderIds().size(); i++) {
        w.varint(c.orderIds().get(i)).account(c.miners().get(i));
      }
    } else {
      throw new IllegalArgumentException("unknown call " + call);
    }
  }

  static Call readCall(ByteReader r) {
    int tag = r.u8("call tag");
    switch (tag) {
      case TRANSFER:
        return new Call.Transfer(r.account("transfer.to"), r.varint("transfer.amount"));
      case FAUCET:
        return new Call.Faucet();
      case BUY_SPACE:
        return new Call.BuySpace(r.varint("buySpace.gib"), r.varint("buySpace.days"));
      case EXPAND_SPACE:
        return new Call.ExpandSpace(r.varint("expandSpace.gib"));
      case RENEW_SPACE:
        return new Call.RenewSpace(r.varint("renewSpace.days"));
      case AUTHORIZE:
        return new Call.Authorize(r.account("authorize.operator"));
      case DEAUTHORIZE:
        return new Call.Deauthorize(r.account("deauthorize.operator"));
      case ANNOUNCE_KEY:
        return new Call.AnnounceKey(r.raw("announceKey.x25519", Call.AnnounceKey.KEY_LENGTH));
      case CREATE_BUCKET:
        return new Call.CreateBucket(
            r.account("createBucket.owner"), r.string("createBucket.name", MAX_NAME));
      case DELETE_BUCKET:
        return new Call.DeleteBucket(
            r.account("deleteBucket.owner"), r.string("deleteBucket.name", MAX_NAME));
      case PUT_OBJECT:
        {
          AccountId owner = r.account("put.owner");
          String bucket = r.string("put.bucket", MAX_NAME);
          String key = r.string("put.key", MAX_KEY);
          ObjectManifest m = readManifest(r, "put.manifest");
          PosixAttributes a = readAttributes(r, "put.attributes");
          Access acc = readAccess(r, "put.access");
          return new Call.PutObject(owner, bucket, key, m, a, acc, readCondition(r));
        }
      case RENAME_OBJECT:
        return new Call.RenameObject(
            r.account("rename.owner"),
            r.string("rename.bucket", MAX_NAME),
            r.string("rename.from", MAX_KEY),
            r.string("rename.to", MAX_KEY),
            r.bool("rename.overwrite"));
      case RENAME_PREFIX:
        return new Call.RenamePrefix(
            r.account("renamePrefix.owner"),
            r.string("renamePrefix.bucket", MAX_NAME),
            r.string("renamePrefix.from", MAX_KEY),
            r.string("renamePrefix.to", MAX_KEY));
      case MOVE_OBJECT:
        return new Call.MoveObject(
            r.account("move.owner"),
            r.string("move.fromBucket", MAX_NAME),
            r.string("move.from", MAX_KEY),
            r.string("move.toBucket", MAX_NAME),
            r.string("move.to", MAX_KEY),
            r.bool("move.overwrite"));
      case MOVE_PREFIX:
        return new Call.MovePrefix(
            r.account("movePrefix.owner"),
            r.string("movePrefix.fromBucket", MAX_NAME),
            r.string("movePrefix.from", MAX_KEY),
            r.string("movePrefix.toBucket", MAX_NAME),
            r.string("movePrefix.to", MAX_KEY));
      case DELETE_OBJECT:
        return new Call.DeleteObject(
            r.account("delete.owner"),
            r.string("delete.bucket", MAX_NAME),
            r.string("delete.key", MAX_KEY));
      case SET_ATTRIBUTES:
        return new Call.SetAttributes(
            r.account("setAttributes.owner"),
            r.string("setAttributes.bucket", MAX_NAME),
            r.string("setAttributes.key", MAX_KEY),
            readAttributes(r, "setAttributes.attributes"));
      case SET_ACCESS:
        return new Call.SetAccess(
            r.account("setAccess.owner"),
            r.string("setAccess.bucket", MAX_NAME),
            r.string("setAccess.key", MAX_KEY),
            readAccess(r, "setAccess.access"));
      case REGISTER_MINER:
        return new Call.RegisterMiner(
            r.string("registerMiner.endpoint", MAX_NAME),
            r.varint("registerMiner.capacity"),
            r.varint("registerMiner.stake"),
            r.string("registerMiner.zone", MAX_NAME));
      case UPDATE_MINER:
        return new Call.UpdateMiner(
            r.string("updateMiner.endpoint", MAX_NAME),
            r.varint("updateMiner.capacity"),
            r.varint("updateMiner.addStake"),
            r.string("updateMiner.zone", MAX_NAME));
      case HEARTBEAT:
        return new Call.Heartbeat(r.varint("heartbeat.usedBytes"));
      case EXIT_MINER:
        return new Call.ExitMiner();
      case SUBMIT_PROOF:
        return new Call.SubmitProof(
            r.varint("submitProof.challengeId"),
            r.bytes("submitProof.proof", ProofVerifier.MAX_PROOF_BYTES));
      case COMPLETE_REPAIR:
        {
          long order = r.varint("completeRepair.orderId");
          int index = r.varint32("completeRepair.index", 0, MAX_FRAGMENTS - 1);
          int length = r.varint32("completeRepair.length", 0, Integer.MAX_VALUE);
          return new Call.CompleteRepair(
              order,
              new FragmentRef(
                  index, r.hash("completeRepair.hash"), length, r.account("completeRepair.miner")));
        }
      case REPAIR_SEGMENT:
        {
          int n = r.count("repairSegment.orders", MAX_FRAGMENTS);
          List<Long> orders = new ArrayList<>(n);
          List<AccountId> miners = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            orders.add(r.varint("repairSegment.orderId"));
            miners.add(r.account("repairSegment.miner"));
          }
          return new Call.RepairSegment(orders, miners);
        }
      default:
        throw new CodecException("malformed call tag: unknown tag " + tag);
    }
  }

  static void writeManifest(ByteWriter w, ObjectManifest m) {
    w.raw(m.objectId().toBytes()).varint(m.size()).varint(m.segmentSize());
    w.varint(m.dataShards()).varint(m.parityShards()).varint(m.chunkSize()).hash(m.fid());
    w.varint(m.segments().size());
    for (SegmentRef s : m.segments()) {
      w.varint(s.plainLength()).varint(s.encryptedLength()).hash(s.hash());
      w.varint(s.fragments().size());
      for (FragmentRef f : s.fragments()) {
        w.varint(f.length()).hash(f.hash()).account(f.miner());
      }
    }
  }

  static ObjectManifest readManifest(ByteReader r, String field) {
    ObjectId id = ObjectId.of(r.raw(field + ".objectId", ObjectId.LENGTH));
    long size = r.varint(field + ".size");
    int segmentSize = r.varint32(field + ".segmentSize", 0, Integer.MAX_VALUE);
    int k = r.varint32(field + ".dataShards", 0, MAX_FRAGMENTS);
    int m = r.varint32(field + ".parityShards", 0, MAX_FRAGMENTS);
    int chunk = r.varint32(field + ".chunkSize", 0, Integer.MAX_VALUE);
    var fid = r.hash(field + ".fid");
    int nSeg = r.count(field + ".segments", MAX_SEGMENTS);
    List<SegmentRef> segs = new ArrayList<>(nSeg);
    for (int i = 0; i < nSeg; i++) {
      String sf = field + ".segment[" + i + "]";
      int plain = r.varint32(sf + ".plainLength", 0, Integer.MAX_VALUE);
      int enc = r.varint32(sf + ".encryptedLength", 0, Integer.MAX_VALUE);
      var hash = r.hash(sf + ".hash");
      int nFrag = r.count(sf + ".fragments", MAX_FRAGMENTS);
      List<FragmentRef> frags = new ArrayList<>(nFrag);
      for (int j = 0; j < nFrag; j++) {
        String ff = sf + ".fragment[" + j + "]";
        int len = r.varint32(ff + ".length", 0, Integer.MAX_VALUE);
        frags.add(new FragmentRef(j, r.hash(ff + ".hash"), len, r.account(ff + ".miner")));
      }
      try {
        segs.add(new SegmentRef(i, plain, enc, hash, frags));
      } catch (IllegalArgumentException e) {
        throw r.invalid(sf, e.getMessage());
      }
    }
    try {
      return new ObjectManifest(id, size, segmentSize, k, m, chunk, fid, segs);
    } catch (IllegalArgumentException e) {
      throw r.invalid(field, e.getMessage());
    }
  }

  static void writeAttributes(ByteWriter w, PosixAttributes a) {
    w.varint(Integer.toUnsignedLong(a.mode()))
        .varint(Integer.toUnsignedLong(a.uid()))
        .varint(Integer.toUnsignedLong(a.gid()));
    w.fixed64(a.mtimeNanos()).fixed64(a.ctimeNanos()).string(a.symlinkTarget());
    w.varint(a.xattrsUnsafe().size());
    for (Map.Entry<String, byte[]> e : a.xattrsUnsafe().entrySet()) {
      w.string(e.getKey()).bytes(e.getValue());
    }
  }

  static PosixAttributes readAttributes(ByteReader r, String field) {
    int mode = (int) r.varint(field + ".mode", 0, 0xFFFF_FFFFL);
    int uid = (int) r.varint(field + ".uid", 0, 0xFFFF_FFFFL);
    int gid = (int) r.varint(field + ".gid", 0, 0xFFFF_FFFFL);
    long mtime = r.fixed64(field + ".mtime");
    long ctime = r.fixed64(field + ".ctime");
    String link = r.string(field + ".symlinkTarget", PosixAttributes.MAX_SYMLINK_BYTES);
    int n = r.count(field + ".xattrs", PosixAttributes.MAX_XATTR_TOTAL_BYTES);
    TreeMap<String, byte[]> x = new TreeMap<>();
    String previous = null;
    for (int i = 0; i < n; i++) {
      String name =
          r.string(field + ".xattr[" + i + "].name", PosixAttributes.MAX_XATTR_NAME_BYTES);
      if (previous != null && previous.compareTo(name) >= 0) {
        throw r.invalid(field + ".xattr[" + i + "]", "names not in strictly increasing order");
      }
      previous = name;
      x.put(
          name, r.bytes(field + ".xattr[" + i + "].value", PosixAttributes.MAX_XATTR_TOTAL_BYTES));
    }
    try {
      return PosixAttributes.of(mode, uid, gid, mtime, ctime, link, x);
    } catch (IllegalArgumentException e) {
      throw r.invalid(field, e.getMessage());
    }
  }

  static void writeAccess(ByteWriter w, Access a) {
    w.u8(a.visibility().ordinal()).varint(a.wrappedKeysUnsafe().size());
    for (Map.Entry<AccountId, byte[]> e : a.wrappedKeysUnsafe().entrySet()) {
      w.account(e.getKey()).bytes(e.getValue());
    }
    byte[] clear = a.publicDataKey();
    w.bool(clear != null);
    if (clear != null) {
      w.bytes(clear);
    }
  }

  static Access readAccess(ByteReader r, String field) {
    int v = r.u8(field + ".visibility");
    if (v >= Visibility.values().length) {
      throw r.invalid(field + ".visibility", "unknown visibility " + v);
    }
    int n = r.count(field + ".grantees", Access.MAX_GRANTEES);
    TreeMap<AccountId, byte[]> keys = new TreeMap<>();
    AccountId previous = null;
    for (int i = 0; i < n; i++) {
      AccountId g = r.account(field + ".grantee[" + i + "]");
      if (previous != null && previous.compareTo(g) >= 0) {
        throw r.invalid(field + ".grantee[" + i + "]", "grantees not in strictly increasing order");
      }
      previous = g;
      keys.put(g, r.bytes(field + ".wrappedKey[" + i + "]", Access.MAX_KEY_BYTES));
    }
    byte[] clear =
        r.bool(field + ".hasClearKey") ? r.bytes(field + ".clearKey", Access.MAX_KEY_BYTES) : null;
    try {
      return Access.of(Visibility.values()[v], keys, clear);
    } catch (IllegalArgumentException e) {
      throw r.invalid(field, e.getMessage());
    }
  }

  static PutCondition readCondition(ByteReader r) {
    int kind = r.u8("put.condition");
    if (kind >= PutCondition.Kind.values().length) {
      throw r.invalid("put.condition", "unknown condition kind " + kind);
    }
    if (kind == PutCondition.Kind.IF_VERSION.ordinal()) {
      return PutCondition.ifVersion(r.varint("put.condition.version", 1, Long.MAX_VALUE));
    }
    return kind == 0 ? PutCondition.none() : PutCondition.ifAbsent();
  }

  static void writeRecord(ByteWriter w, ObjectRecord o) {
    w.varint(o.version());
    writeManifest(w, o.manifest());
    writeAttributes(w, o.attributes());
    writeAccess(w, o.access());
    w.fixed64(o.createdMillis()).fixed64(o.modifiedMillis());
  }

  static ObjectRecord readRecord(ByteReader r, AccountId owner, String bucket, String key) {
    long version = r.varint("object.version");
    ObjectManifest m = readManifest(r, "object.manifest");
    PosixAttributes a = readAttributes(r, "object.attributes");
    Access acc = readAccess(r, "object.access");
    return new ObjectRecord(
        owner,
        bucket,
        key,
        version,
        m,
        a,
        acc,
        r.fixed64("object.created"),
        r.fixed64("object.modified"));
  }
}
