package org.deoss.core.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
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
    ProofVerifier proofVerifier) {

  /** One day in milliseconds. */
  public static final long DAY_MILLIS = 86_400_000L;

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

  /** The canonical encoding of every field but the verifier. */
  public byte[] encode() {
    ByteWriter w = new ByteWriter();
    w.string("deoss genesis v1").string(networkId).fixed64(genesisTimeMillis);
    w.varint(endowments.size());
    endowments.forEach((a, v) -> w.account(a).varint(v));
    w.varint(faucetAmount).varint(faucetClaimsPerWindow).varint(faucetWindowMillis);
    w.varint(unitPricePerGibDay).varint(graceMillis).varint(purgeObjectsPerBlock);
    w.varint(maxBuckets).varint(maxAuthorizations).varint(minStakePerTib);
    w.varint(offlineAfterMillis).varint(challengeEveryBlocks).varint(challengeMiners);
    w.varint(challengeFragments).varint(challengeWindowBlocks).varint(faultThreshold);
    w.varint(repairOrdersPerBlock).varint(recentBlocks);
    return w.toByteArray();
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
          proofVerifier);
    }
  }
}
