package org.deoss.core.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;

/**
 * The parameters a network starts with and never changes. Every node of a network must use equal
 * values: they are hashed into the first block, and {@link #networkId} is signed into every
 * transaction so that a transaction of one network cannot be replayed on another. Amounts are in
 * the smallest token unit; times are block-time milliseconds. The {@link ProofVerifier} is code,
 * not data, and not part of the hash. Build with {@link #builder(String)}.
 */
public record Genesis(
    String networkId,
    long genesisTimeMillis,
    SortedMap<AccountId, Long> endowments,
    long faucetAmount,
    int faucetClaimsPerWindow,
    long faucetWindowMillis,
    long unitPricePerGibDay,
    long graceMillis,
    int purgeObjectsPerBlock,
    int maxBuckets,
    int maxAuthorizations,
    long minStakePerTib,
    long offlineAfterMillis,
    int challengeEveryBlocks,
    int challengeMiners,
    int challengeFragments,
    int challengeWindowBlocks,
    int faultThreshold,
    int repairOrdersPerBlock,
    int recentBlocks,
    int rulesVersion,
    long proofReward,
    long faultPenalty,
    long dayMillis,
    ProofVerifier proofVerifier) {

  /** One day in milliseconds. */
  public static final long DAY_MILLIS = 86_400_000L;

  /**
   * The newest rules of the state machine. Version 1: the rules of the first networks. Version 2
   * adds: a miner that comes back from OFFLINE gets its open repair orders withdrawn and is
   * challenged in the next audit round. A journal is always replayed under the rules it was written
   * with.
   */
  public static final int RULES_VERSION = 2;

  /** One token: 10^12 units. */
  public static final long TOKEN = 1_000_000_000_000L;

  public Genesis {
    Objects.requireNonNull(networkId, "networkId");
    if (networkId.isEmpty() || networkId.length() > 64) {
      throw new IllegalArgumentException(
          "networkId must be 1..64 characters, got '" + networkId + "'");
    }
    endowments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(endowments));
    for (Map.Entry<AccountId, Long> e : endowments.entrySet()) {
      positiveOrZero("endowment of " + e.getKey(), e.getValue());
    }
    positiveOrZero("genesisTimeMillis", genesisTimeMillis);
    positiveOrZero("faucetAmount", faucetAmount);
    positive("faucetClaimsPerWindow", faucetClaimsPerWindow);
    positive("faucetWindowMillis", faucetWindowMillis);
    positive("unitPricePerGibDay", unitPricePerGibDay);
    positiveOrZero("graceMillis", graceMillis);
    positive("purgeObjectsPerBlock", purgeObjectsPerBlock);
    positive("maxBuckets", maxBuckets);
    positive("maxAuthorizations", maxAuthorizations);
    positiveOrZero("minStakePerTib", minStakePerTib);
    positive("offlineAfterMillis", offlineAfterMillis);
    positiveOrZero("challengeEveryBlocks (0 disables audits)", challengeEveryBlocks);
    positive("challengeMiners", challengeMiners);
    positive("challengeFragments", challengeFragments);
    positive("challengeWindowBlocks", challengeWindowBlocks);
    positive("faultThreshold", faultThreshold);
    positive("repairOrdersPerBlock", repairOrdersPerBlock);
    positive("recentBlocks", recentBlocks);
    if (rulesVersion < 1 || rulesVersion > RULES_VERSION) {
      throw new IllegalArgumentException(
          "genesis rulesVersion must be 1.." + RULES_VERSION + ", got " + rulesVersion);
    }
    positiveOrZero("proofReward", proofReward);
    positiveOrZero("faultPenalty", faultPenalty);
    positive("dayMillis", dayMillis);
    Objects.requireNonNull(proofVerifier, "proofVerifier");
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException("genesis " + name + " must be positive, got " + v);
    }
  }

  private static void positiveOrZero(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("genesis " + name + " must not be negative, got " + v);
    }
  }

  /** A builder with the defaults of a development network. */
  public static Builder builder(String networkId) {
    return new Builder(networkId);
  }

  /**
   * The canonical encoding of every field but the verifier. A genesis of rules version 1 without
   * proof reward and fault penalty and with a day of 24 hours is written as {@code "deoss genesis
   * v1"}, exactly as before those fields existed, so that the journals of existing networks keep
   * their identity; any other is written as {@code "deoss genesis v2"}: the v1 fields followed by
   * {@code rulesVersion:v proofReward:v faultPenalty:v dayMillis:v}. {@link #decode} reads both.
   */
  public byte[] encode() {
    boolean v2 =
        rulesVersion != 1 || proofReward != 0 || faultPenalty != 0 || dayMillis != DAY_MILLIS;
    ByteWriter w = new ByteWriter();
    w.string(v2 ? "deoss genesis v2" : "deoss genesis v1")
        .string(networkId)
        .fixed64(genesisTimeMillis);
    w.varint(endowments.size());
    endowments.forEach((a, v) -> w.account(a).varint(v));
    w.varint(faucetAmount).varint(faucetClaimsPerWindow).varint(faucetWindowMillis);
    w.varint(unitPricePerGibDay).varint(graceMillis).varint(purgeObjectsPerBlock);
    w.varint(maxBuckets).varint(maxAuthorizations).varint(minStakePerTib);
    w.varint(offlineAfterMillis).varint(challengeEveryBlocks).varint(challengeMiners);
    w.varint(challengeFragments).varint(challengeWindowBlocks).varint(faultThreshold);
    w.varint(repairOrdersPerBlock).varint(recentBlocks);
    if (v2) {
      w.varint(rulesVersion).varint(proofReward).varint(faultPenalty).varint(dayMillis);
    }
    return w.toByteArray();
  }

  /**
   * Reads {@link #encode()} bytes back.
   *
   * @throws org.deoss.core.ledger.codec.CodecException if malformed, or a field is out of range
   */
  public static Genesis decode(byte[] bytes, ProofVerifier verifier) {
    ByteReader r = new ByteReader(bytes);
    String label = r.string("genesis.label", 32);
    boolean v2 = label.equals("deoss genesis v2");
    if (!v2 && !label.equals("deoss genesis v1")) {
      throw r.invalid("genesis.label", "expected 'deoss genesis v1' or v2, got '" + label + "'");
    }
    Builder b = builder(r.string("genesis.networkId", 256));
    b.genesisTimeMillis(r.fixed64("genesis.time"));
    int n = r.count("genesis.endowments", 1 << 20);
    for (int i = 0; i < n; i++) {
      b.endow(r.account("genesis.endowment.account"), r.varint("genesis.endowment.amount"));
    }
    b.faucet(
        r.varint("genesis.faucetAmount"),
        r.varint32("genesis.faucetClaims", 0, Integer.MAX_VALUE),
        r.varint("genesis.faucetWindow"));
    b.unitPricePerGibDay(r.varint("genesis.unitPrice"));
    b.graceMillis(r.varint("genesis.grace"));
    b.purgeObjectsPerBlock(r.varint32("genesis.purgePerBlock", 0, Integer.MAX_VALUE));
    b.maxBuckets(r.varint32("genesis.maxBuckets", 0, Integer.MAX_VALUE));
    b.maxAuthorizations(r.varint32("genesis.maxAuthorizations", 0, Integer.MAX_VALUE));
    b.minStakePerTib(r.varint("genesis.minStake"));
    b.offlineAfterMillis(r.varint("genesis.offlineAfter"));
    int every = r.varint32("genesis.challengeEvery", 0, Integer.MAX_VALUE);
    int miners = r.varint32("genesis.challengeMiners", 0, Integer.MAX_VALUE);
    int fragments = r.varint32("genesis.challengeFragments", 0, Integer.MAX_VALUE);
    int window = r.varint32("genesis.challengeWindow", 0, Integer.MAX_VALUE);
    int threshold = r.varint32("genesis.faultThreshold", 0, Integer.MAX_VALUE);
    b.audits(every, miners, fragments, window, threshold);
    b.repairOrdersPerBlock(r.varint32("genesis.repairOrdersPerBlock", 0, Integer.MAX_VALUE));
    b.recentBlocks(r.varint32("genesis.recentBlocks", 0, Integer.MAX_VALUE));
    b.rulesVersion(1);
    if (v2) {
      b.rulesVersion(r.varint32("genesis.rulesVersion", 0, Integer.MAX_VALUE));
      b.economics(r.varint("genesis.proofReward"), r.varint("genesis.faultPenalty"));
      b.dayMillis(r.varint("genesis.dayMillis"));
    }
    r.expectEnd("genesis");
    b.proofVerifier(verifier);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw r.invalid("genesis", e.getMessage());
    }
  }

  /** SHA-256 of {@link #encode()}: the parent hash of block 1. */
  public Hash256 hash() {
    return Hash256.digest(encode());
  }

  /** Collects genesis parameters; every setter is checked when {@link #build()} runs. */
  public static final class Builder {
    private final String networkId;
    private long genesisTimeMillis;
    private final TreeMap<AccountId, Long> endowments = new TreeMap<>();
    private long faucetAmount = 100 * TOKEN;
    private int faucetClaimsPerWindow = 1;
    private long faucetWindowMillis = DAY_MILLIS;
    private long unitPricePerGibDay = TOKEN / 100;
    private long graceMillis = 7 * DAY_MILLIS;
    private int purgeObjectsPerBlock = 300;
    private int maxBuckets = 1000;
    private int maxAuthorizations = 20;
    private long minStakePerTib = 4000 * TOKEN;
    private long offlineAfterMillis = 10 * 60_000L;
    private int challengeEveryBlocks = 100;
    private int challengeMiners = 1;
    private int challengeFragments = 4;
    private int challengeWindowBlocks = 50;
    private int faultThreshold = 3;
    private int repairOrdersPerBlock = 100;
    private int recentBlocks = 4096;
    private int rulesVersion = RULES_VERSION;
    private long proofReward;
    private long faultPenalty;
    private long dayMillis = DAY_MILLIS;
    private ProofVerifier proofVerifier = ProofVerifier.merkle();

    private Builder(String networkId) {
      this.networkId = networkId;
    }

    public Builder genesisTimeMillis(long v) {
      genesisTimeMillis = v;
      return this;
    }

    /** Gives {@code account} {@code amount} at genesis. */
    public Builder endow(AccountId account, long amount) {
      endowments.put(account, amount);
      return this;
    }

    public Builder faucet(long amount, int claimsPerWindow, long windowMillis) {
      faucetAmount = amount;
      faucetClaimsPerWindow = claimsPerWindow;
      faucetWindowMillis = windowMillis;
      return this;
    }

    public Builder unitPricePerGibDay(long v) {
      unitPricePerGibDay = v;
      return this;
    }

    public Builder graceMillis(long v) {
      graceMillis = v;
      return this;
    }

    public Builder purgeObjectsPerBlock(int v) {
      purgeObjectsPerBlock = v;
      return this;
    }

    public Builder maxBuckets(int v) {
      maxBuckets = v;
      return this;
    }

    public Builder maxAuthorizations(int v) {
      maxAuthorizations = v;
      return this;
    }

    public Builder minStakePerTib(long v) {
      minStakePerTib = v;
      return this;
    }

    public Builder offlineAfterMillis(long v) {
      offlineAfterMillis = v;
      return this;
    }

    /**
     * Audits: every {@code everyBlocks} blocks (0 disables), challenge {@code miners} miners on
     * {@code fragments} fragments each, answerable within {@code windowBlocks}; {@code
     * faultThreshold} missed challenges freeze a miner.
     */
    public Builder audits(
        int everyBlocks, int miners, int fragments, int windowBlocks, int faultThreshold) {
      this.challengeEveryBlocks = everyBlocks;
      this.challengeMiners = miners;
      this.challengeFragments = fragments;
      this.challengeWindowBlocks = windowBlocks;
      this.faultThreshold = faultThreshold;
      return this;
    }

    public Builder repairOrdersPerBlock(int v) {
      repairOrdersPerBlock = v;
      return this;
    }

    /** How many recent block headers the state keeps for queries. */
    public Builder recentBlocks(int v) {
      recentBlocks = v;
      return this;
    }

    /**
     * Audit economics: {@code proofReward} is paid from the reward pool to a miner's balance for
     * each accepted proof (less when the pool holds less); {@code faultPenalty} is taken from a
     * miner's stake into the pool for each challenge it missed (less when the stake holds less).
     * Both 0 (the default) turn the economics off.
     */
    public Builder economics(long proofReward, long faultPenalty) {
      this.proofReward = proofReward;
      this.faultPenalty = faultPenalty;
      return this;
    }

    /**
     * The length of the "day" that space is bought in (default 24 h); shorter on development
     * networks where space should expire in seconds.
     */
    public Builder dayMillis(long v) {
      dayMillis = v;
      return this;
    }

    /**
     * The rules the state machine applies (default {@link #RULES_VERSION}); 1 for a network that
     * started before version 2.
     */
    public Builder rulesVersion(int v) {
      rulesVersion = v;
      return this;
    }

    public Builder proofVerifier(ProofVerifier v) {
      proofVerifier = v;
      return this;
    }

    public Genesis build() {
      return new Genesis(
          networkId,
          genesisTimeMillis,
          endowments,
          faucetAmount,
          faucetClaimsPerWindow,
          faucetWindowMillis,
          unitPricePerGibDay,
          graceMillis,
          purgeObjectsPerBlock,
          maxBuckets,
          maxAuthorizations,
          minStakePerTib,
          offlineAfterMillis,
          challengeEveryBlocks,
          challengeMiners,
          challengeFragments,
          challengeWindowBlocks,
          faultThreshold,
          repairOrdersPerBlock,
          recentBlocks,
          rulesVersion,
          proofReward,
          faultPenalty,
          dayMillis,
          proofVerifier);
    }
  }
}
