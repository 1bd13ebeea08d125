package org.deoss.transfer.protocol;

import java.nio.charset.StandardCharsets;
import org.deoss.core.account.AccountId;

/**
 * What each side of the handshake signs. Each side signs the <em>other</em> side's fresh nonce and
 * both account ids, under its own domain-separation label, so a signature can neither be replayed
 * on another connection (the nonce is new each time) nor reflected to the other role (the labels
 * differ), nor used outside this protocol (the labels name it).
 *
 * <pre>
 * miner signs:  "deoss/fragment-protocol/v1/miner" ‖ client nonce ‖ client account ‖ miner account
 * client signs: "deoss/fragment-protocol/v1/client" ‖ miner nonce ‖ client account ‖ miner account
 * </pre>
 */
public final class HandshakeSignatures {
  private static final byte[] MINER_LABEL =
      "deoss/fragment-protocol/v1/miner".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT_LABEL =
      "deoss/fragment-protocol/v1/client".getBytes(StandardCharsets.US_ASCII);

  private HandshakeSignatures() {}

  /** The message the miner signs. */
  public static byte[] minerMessage(byte[] clientNonce, AccountId client, AccountId miner) {
    return concat(MINER_LABEL, clientNonce, client, miner);
  }

  /** The message the client signs. */
  public static byte[] clientMessage(byte[] minerNonce, AccountId client, AccountId miner) {
    return concat(CLIENT_LABEL, minerNonce, client, miner);
  }

  private static byte[] concat(byte[] label, byte[] nonce, AccountId client, AccountId miner) {
    if (nonce.length != Messages.NONCE_LENGTH) {
      throw new IllegalArgumentException("a nonce has 32 bytes, got " + nonce.length);
    }
    byte[] out = new byte[label.length + nonce.length + 2 * AccountId.LENGTH];
    System.arraycopy(label, 0, out, 0, label.length);
    System.arraycopy(nonce, 0, out, label.length, nonce.length);
    System.arraycopy(client.toBytes(), 0, out, label.length + nonce.length, AccountId.LENGTH);
    System.arraycopy(
        miner.toBytes(), 0, out, label.length + nonce.length + AccountId.LENGTH, AccountId.LENGTH);
    return out;
  }
}
