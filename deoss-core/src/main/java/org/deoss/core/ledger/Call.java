package org.deoss.core.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import org.deoss.core.account.AccountId;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectManifest;

/**
 * What a transaction asks the ledger to do: one record per operation. The records check only that
 * their fields are present; the state machine checks every rule (names, limits, rights) and refuses
 * with a {@link LedgerRejection} naming the reason. Object and bucket calls name the owner; the
 * signer must be that owner or an operator the owner authorized.
 */
public sealed interface Call {

  // ---- balances

  /** Moves {@code amount} from the signer to {@code to}. */
  record Transfer(AccountId to, long amount) implements Call {
    public Transfer {
      requireNonNull(to, "to");
    }
  }

  /** Claims the genesis faucet amount; limited per account per window of block time. */
  record Faucet() implements Call {}

  // ---- storage space

  /** Buys {@code gib} GiB for {@code days} days at gib x days x unit price. */
  record BuySpace(long gib, long days) implements Call {}

  /** Adds {@code gib} GiB until the current deadline, paying for the remaining days. */
  record ExpandSpace(long gib) implements Call {}

  /** Moves the deadline {@code days} later, paying for the whole purchased size. */
  record RenewSpace(long days) implements Call {}

  // ---- authorization

  /** Lets {@code operator} mutate the signer's buckets and objects. */
  record Authorize(AccountId operator) implements Call {
    public Authorize {
      requireNonNull(operator, "operator");
    }
  }

  /** Withdraws an authorization. */
  record Deauthorize(AccountId operator) implements Call {
    public Deauthorize {
      requireNonNull(operator, "operator");
    }
  }

  // ---- buckets

  record CreateBucket(AccountId owner, String name) implements Call {
    public CreateBucket {
      requireNonNull(owner, "owner");
      requireNonNull(name, "name");
    }
  }

  /** Deletes an empty bucket. */
  record DeleteBucket(AccountId owner, String name) implements Call {
    public DeleteBucket {
      requireNonNull(owner, "owner");
      requireNonNull(name, "name");
    }
  }

  // ---- objects

  /** Writes a new version of {@code key} if {@code condition} holds. */
  record PutObject(
      AccountId owner,
      String bucket,
      String key,
      ObjectManifest manifest,
      PosixAttributes attributes,
      Access access,
      PutCondition condition)
      implements Call {
    public PutObject {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(key, "key");
      requireNonNull(manifest, "manifest");
      requireNonNull(attributes, "attributes");
      requireNonNull(access, "access");
      requireNonNull(condition, "condition");
    }
  }

  /** Renames one key; an existing {@code to} is replaced only with {@code overwrite}. */
  record RenameObject(AccountId owner, String bucket, String from, String to, boolean overwrite)
      implements Call {
    public RenameObject {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(from, "from");
      requireNonNull(to, "to");
    }
  }

  /** Moves every key under {@code fromPrefix} to {@code toPrefix}, atomically (a folder rename). */
  record RenamePrefix(AccountId owner, String bucket, String fromPrefix, String toPrefix)
      implements Call {
    public RenamePrefix {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(fromPrefix, "fromPrefix");
      requireNonNull(toPrefix, "toPrefix");
    }
  }

  /**
   * Moves one key to another bucket of the same owner (a file manager's trash folder lives in
   * another bucket); the version, manifest and attributes go along, no data moves. An existing
   * {@code to} is replaced only with {@code overwrite}.
   */
  record MoveObject(
      AccountId owner,
      String fromBucket,
      String from,
      String toBucket,
      String to,
      boolean overwrite)
      implements Call {
    public MoveObject {
      requireNonNull(owner, "owner");
      requireNonNull(fromBucket, "fromBucket");
      requireNonNull(from, "from");
      requireNonNull(toBucket, "toBucket");
      requireNonNull(to, "to");
    }
  }

  /** Moves every key under {@code fromPrefix} to {@code toPrefix} of another bucket, atomically. */
  record MovePrefix(
      AccountId owner, String fromBucket, String fromPrefix, String toBucket, String toPrefix)
      implements Call {
    public MovePrefix {
      requireNonNull(owner, "owner");
      requireNonNull(fromBucket, "fromBucket");
      requireNonNull(fromPrefix, "fromPrefix");
      requireNonNull(toBucket, "toBucket");
      requireNonNull(toPrefix, "toPrefix");
    }
  }

  record DeleteObject(AccountId owner, String bucket, String key) implements Call {
    public DeleteObject {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(key, "key");
    }
  }

  /** Replaces the POSIX attributes (chmod, chown, utimens, xattrs); keeps the version. */
  record SetAttributes(AccountId owner, String bucket, String key, PosixAttributes attributes)
      implements Call {
    public SetAttributes {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(key, "key");
      requireNonNull(attributes, "attributes");
    }
  }

  /** Replaces who may read the object; keeps the version. */
  record SetAccess(AccountId owner, String bucket, String key, Access access) implements Call {
    public SetAccess {
      requireNonNull(owner, "owner");
      requireNonNull(bucket, "bucket");
      requireNonNull(key, "key");
      requireNonNull(access, "access");
    }
  }

  /**
   * Publishes the signer's X25519 public key, the key that data keys are wrapped for when an object
   * is shared with the signer (see {@link org.deoss.core.account.EncryptionKeys}). The transaction
   * signature authenticates it; a later announcement replaces an earlier one.
   */
  record AnnounceKey(byte[] x25519Public) implements Call {
    /** Length of an X25519 public key. */
    public static final int KEY_LENGTH = 32;

    public AnnounceKey {
      requireNonNull(x25519Public, "x25519Public");
      if (x25519Public.length != KEY_LENGTH) {
        throw new IllegalArgumentException(
            "an X25519 public key has " + KEY_LENGTH + " bytes, got " + x25519Public.length);
      }
      x25519Public = x25519Public.clone();
    }

    @Override
    public byte[] x25519Public() {
      return x25519Public.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AnnounceKey
          && Arrays.equals(((AnnounceKey) o).x25519Public, x25519Public);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(x25519Public);
    }

    @Override
    public String toString() {
      return "AnnounceKey[" + java.util.HexFormat.of().formatHex(x25519Public) + "]";
    }
  }

  // ---- miners (the signer is the miner; its account key is its public key)

  /** Registers the signer as a miner, locking {@code stake} from its balance. */
  record RegisterMiner(String endpoint, long capacityBytes, long stake, String zone)
      implements Call {
    public RegisterMiner {
      requireNonNull(endpoint, "endpoint");
      requireNonNull(zone, "zone");
    }
  }

  /** Changes endpoint, capacity and zone, locking {@code addStake} more. */
  record UpdateMiner(String endpoint, long capacityBytes, long addStake, String zone)
      implements Call {
    public UpdateMiner {
      requireNonNull(endpoint, "endpoint");
      requireNonNull(zone, "zone");
    }
  }

  /** Tells the ledger the miner is alive and how many bytes it holds. */
  record Heartbeat(long usedBytes) implements Call {}

  /** Starts leaving: fragments are repaired elsewhere, then the stake is returned. */
  record ExitMiner() implements Call {}

  // ---- audit and repair

  /** A miner's answer to a challenge. */
  record SubmitProof(long challengeId, byte[] proof) implements Call {
    public SubmitProof {
      requireNonNull(proof, "proof");
      proof = proof.clone();
    }

    @Override
    public byte[] proof() {
      return proof.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SubmitProof
          && ((SubmitProof) o).challengeId == challengeId
          && Arrays.equals(((SubmitProof) o).proof, proof);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(challengeId) * 31 + Arrays.hashCode(proof);
    }

    @Override
    public String toString() {
      return "SubmitProof[challengeId=" + challengeId + ", " + proof.length + " bytes]";
    }
  }

  /**
   * Completes a repair order: the fragment now lives at {@code placement} (same index, hash and
   * length; a new, ACTIVE miner, who signs).
   */
  record CompleteRepair(long orderId, FragmentRef placement) implements Call {
    public CompleteRepair {
      requireNonNull(placement, "placement");
    }
  }

  /**
   * Completes the repair orders of one segment in one transaction: the fragment of order {@code
   * orderIds[i]} now lives on {@code miners[i]} (same index, hash and length; an ACTIVE miner other
   * than the one the order moves it from). Signed by the object's owner or an operator it
   * authorized (the repair service acts for the owner, as a gateway does), so nobody else can move
   * an account's fragments.
   */
  record RepairSegment(List<Long> orderIds, List<AccountId> miners) implements Call {
    public RepairSegment {
      orderIds = List.copyOf(orderIds);
      miners = List.copyOf(miners);
      if (orderIds.size() != miners.size()) {
        throw new IllegalArgumentException(
            orderIds.size() + " repair orders but " + miners.size() + " miners");
      }
    }
  }

  /** Every call type, for documentation and exhaustive tests. */
  List<Class<? extends Call>> TYPES =
      List.of(
          Transfer.class,
          Faucet.class,
          BuySpace.class,
          ExpandSpace.class,
          RenewSpace.class,
          Authorize.class,
          Deauthorize.class,
          AnnounceKey.class,
          CreateBucket.class,
          DeleteBucket.class,
          PutObject.class,
          RenameObject.class,
          RenamePrefix.class,
          MoveObject.class,
          MovePrefix.class,
          DeleteObject.class,
          SetAttributes.class,
          SetAccess.class,
          RegisterMiner.class,
          UpdateMiner.class,
          Heartbeat.class,
          ExitMiner.class,
          SubmitProof.class,
          CompleteRepair.class,
          RepairSegment.class);
}
