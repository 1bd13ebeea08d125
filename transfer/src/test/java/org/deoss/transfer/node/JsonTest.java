package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
import org.junit.jupiter.api.Test;

/** Every ledger value survives JSON text exactly; malformed fields are named. */
class JsonTest {
  private static final long SEED = 0x5EED_0003L;

  private static <T> void roundTrip(
      T value, Function<T, JsonNode> to, Function<JsonNode, T> from, long seed) throws Exception {
    byte[] text = Json.MAPPER.writeValueAsBytes(to.apply(value));
    assertEquals(value, from.apply(Json.MAPPER.readTree(text)), "seed " + seed);
  }

  private static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  private static AccountId account(SplittableRandom r) {
    return AccountId.of(bytes(r, 32));
  }

  private static Hash256 hash(SplittableRandom r) {
    return Hash256.of(bytes(r, 32));
  }

  private static long anyLong(SplittableRandom r) {
    return r.nextLong() & Long.MAX_VALUE;
  }

  private static ObjectRecord record(SplittableRandom r) {
    long size = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3 << 20);
    int k = 1 + r.nextInt(4);
    int m = 1 + r.nextInt(3);
    List<SegmentRef> segs = new ArrayList<>();
    for (int s = 0; s < ObjectManifest.segmentCount(size, 1 << 20); s++) {
      int plain = (int) Math.min(1 << 20, size - (long) s * (1 << 20));
      List<FragmentRef> frags = new ArrayList<>();
      for (int f = 0; f < k + m; f++) {
        frags.add(new FragmentRef(f, hash(r), r.nextInt(1 << 20), account(r)));
      }
      segs.add(new SegmentRef(s, plain, plain + 16, hash(r), frags));
    }
    ObjectManifest manifest =
        new ObjectManifest(
            ObjectId.of(bytes(r, 16)),
            size,
            1 << 20,
            k,
            m,
            65536,
            size == 0 ? ObjectManifest.EMPTY_FID : hash(r),
            segs);
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      xattrs.put("user.k" + r.nextInt(1000) + "é", bytes(r, r.nextInt(20)));
    }
    PosixAttributes attrs =
        PosixAttributes.of(
            r.nextInt(),
            r.nextInt(),
            r.nextInt(),
            r.nextLong(),
            r.nextLong(),
            r.nextBoolean() ? "" : "../target ✓",
            xattrs);
    Map<AccountId, byte[]> keys = new TreeMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      keys.put(account(r), bytes(r, 1 + r.nextInt(100)));
    }
    Access access =
        r.nextBoolean()
            ? Access.of(Visibility.PUBLIC, keys, bytes(r, 32))
            : Access.of(Visibility.PRIVATE, keys, null);
    return new ObjectRecord(
        account(r),
        "bucket-" + r.nextInt(100),
        "dir/ключ " + r.nextInt(),
        anyLong(r),
        manifest,
        attrs,
        access,
        anyLong(r),
        anyLong(r));
  }

  @Test
  void everyValue_roundTripsExactly() throws Exception {
    for (int i = 0; i < 200; i++) {
      long seed = SEED + i;
      SplittableRandom r = new SplittableRandom(seed);
      roundTrip(
          new Receipt(hash(r), anyLong(r), hash(r), r.nextInt(1 << 20), anyLong(r)),
          Json::receipt,
          Json::receipt,
          seed);
      roundTrip(new ChainHead(anyLong(r), hash(r), anyLong(r)), Json::head, Json::head, seed);
      roundTrip(
          new BlockHeader(anyLong(r), hash(r), r.nextLong(), r.nextInt(1 << 20), hash(r)),
          Json::header,
          Json::header,
          seed);
      roundTrip(
          new AccountInfo(
              account(r),
              anyLong(r),
              anyLong(r),
              new SpaceInfo(
                  anyLong(r),
                  anyLong(r),
                  r.nextLong(),
                  r.nextLong(),
                  SpaceState.values()[r.nextInt(SpaceState.values().length)])),
          Json::accountInfo,
          Json::accountInfo,
          seed);
      roundTrip(
          new BucketInfo(account(r), "b" + r.nextInt(), r.nextLong(), anyLong(r)),
          Json::bucket,
          Json::bucket,
          seed);
      roundTrip(
          new MinerInfo(
              account(r),
              "10.0.0." + r.nextInt(255) + ":7000",
              anyLong(r),
              anyLong(r),
              "zone-" + r.nextInt(5),
              MinerStatus.values()[r.nextInt(MinerStatus.values().length)],
              r.nextLong(),
              r.nextLong(),
              anyLong(r),
              r.nextInt(1000),
              anyLong(r),
              anyLong(r),
              anyLong(r),
              anyLong(r)),
          Json::miner,
          Json::miner,
          seed);
      roundTrip(
          new Challenge(
              anyLong(r),
              account(r),
              List.of(hash(r), hash(r)),
              List.of(3, 9),
              List.of(4, 10),
              anyLong(r),
              7),
          Json::challenge,
          Json::challenge,
          seed);
      roundTrip(
          new RepairOrder(
              anyLong(r),
              ObjectId.of(bytes(r, 16)),
              r.nextInt(1000),
              r.nextInt(255),
              hash(r),
              account(r),
              anyLong(r)),
          Json::repairOrder,
          Json::repairOrder,
          seed);
      roundTrip(record(r), Json::objectRecord, Json::objectRecord, seed);
      roundTrip(
          new ListPage(
              List.of(record(r), record(r)), List.of("a/", "b/"), r.nextBoolean() ? null : "dir/x"),
          Json::listPage,
          Json::listPage,
          seed);
    }
  }

  @Test
  void malformedFields_areNamed() throws Exception {
    JsonNode n = Json.MAPPER.readTree("{\"height\": \"ten\", \"hash\": \"zz\", \"timeMillis\": 1}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.head(n));
    assertTrue(e.getMessage().contains("'height'"), e.getMessage());
    JsonNode missing = Json.MAPPER.readTree("{\"height\": 1, \"timeMillis\": 1}");
    e = assertThrows(IllegalArgumentException.class, () -> Json.head(missing));
    assertTrue(e.getMessage().contains("'hash'"), e.getMessage());
    JsonNode tooBig =
        Json.MAPPER.readTree(
            "{\"txHash\": \""
                + "00".repeat(32)
                + "\","
                + "\"blockHeight\": 1, \"blockHash\": \""
                + "00".repeat(32)
                + "\","
                + "\"txIndex\": 99999999999, \"objectVersion\": 0}");
    e = assertThrows(IllegalArgumentException.class, () -> Json.receipt(tooBig));
    assertTrue(e.getMessage().contains("'txIndex'"), e.getMessage());
  }

  @Test
  void aHeaderWhoseHashDoesNotMatch_isRefused() throws Exception {
    SplittableRandom r = new SplittableRandom(SEED);
    var node = Json.header(new BlockHeader(5, hash(r), 1, 2, hash(r)));
    node.put("txCount", 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.header(node));
    assertTrue(e.getMessage().contains("'hash'"), e.getMessage());
  }
}
