package org.deoss.transfer.gateway;

import java.security.SecureRandom;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.access.MissingKeyException;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.port.LedgerClient;

/**
 * Who may read what through the gateway, and the access record of what it writes. The gateway can
 * serve a non-public object only when its data key is wrapped for the gateway's own account, and
 * only to the owner or a grantee of the object's current {@link Access} (read from the ledger on
 * each request, so revoking a grantee stops its reads at once).
 */
final class ObjectAccess {
  private final AccountId gateway;
  private final X25519KeyPair gatewayKeys;
  private final LedgerClient ledger;
  private final SecureRandom random;

  ObjectAccess(
      AccountId gateway, X25519KeyPair gatewayKeys, LedgerClient ledger, SecureRandom random) {
    this.gateway = gateway;
    this.gatewayKeys = gatewayKeys;
    this.ledger = ledger;
    this.random = random;
  }

  /**
   * The access record of a version the gateway writes for {@code owner} at {@code bucket/key},
   * built by the owner's {@link AccessPolicy}: the readers of the version it replaces (none for a
   * new object), the operators the owner authorized (this gateway among them, since it writes only
   * for owners that authorized it), and the data key in clear when {@code makePublic}.
   *
   * @throws GatewayError 409 when the owner or one of its grantees never announced a key
   */
  Access forNewVersion(
      AccountId owner,
      String bucket,
      String key,
      boolean makePublic,
      DataKey dataKey,
      ObjectId id) {
    byte[] ownerKey = owner.equals(gateway) ? gatewayKeys.publicKey() : ownerKey(owner);
    AccessPolicy policy = new AccessPolicy(owner, ownerKey, KeyDirectory.of(ledger), random);
    Access previous = ledger.object(owner, bucket, key).map(ObjectRecord::access).orElse(null);
    try {
      Access next = policy.newVersion(previous, dataKey, id);
      if (makePublic && next.visibility() != Visibility.PUBLIC) {
        next = policy.change(next, policy.grantsOf(next).asPublic(), dataKey, id);
      }
      return next;
    } catch (MissingKeyException e) {
      throw GatewayError.conflict(e.getMessage());
    }
  }

  /** Checked before an upload's body is read, so a refusal costs the client nothing. */
  byte[] ownerKey(AccountId owner) {
    return ledger
        .encryptionKey(owner)
        .orElseThrow(
            () ->
                GatewayError.conflict(
                    owner
                        + " has not announced an encryption key, so nothing can be stored for"
                        + " it privately; any deoss command run with its wallet announces it"
                        + " (deoss mount, deoss put), or upload with header Visibility: public"));
  }

  /**
   * The data key of {@code record} for a request by {@code requester} (null: unsigned).
   *
   * @throws GatewayError 401 when a non-public object is asked for without a signature, 403 when
   *     the requester may not read it or the gateway cannot open it
   */
  DataKey dataKey(ObjectRecord record, AccountId requester) {
    Access access = record.access();
    ObjectId id = record.manifest().objectId();
    if (access.visibility() == Visibility.PUBLIC) {
      return DataKey.of(access.publicDataKey());
    }
    String name = record.bucket() + "/" + record.key();
    if (requester == null) {
      throw GatewayError.unauthorized(
          name + " is not public: sign the request (headers Account, Message, Signature)");
    }
    if (!requester.equals(record.owner()) && access.role(requester) != Access.Role.READER) {
      throw GatewayError.forbidden(
          requester + " is neither the owner nor a grantee of " + record.owner() + "'s " + name);
    }
    if (!access.grantees().contains(gateway)) {
      throw GatewayError.forbidden(
          "this gateway ("
              + gateway
              + ") cannot decrypt "
              + name
              + ": its data key is not shared with the gateway (objects written through the"
              + " gateway are; share others with it: deoss share "
              + name
              + " --with "
              + gateway
              + ")");
    }
    return ObjectKeys.open(access, id, gateway, gatewayKeys);
  }
}
