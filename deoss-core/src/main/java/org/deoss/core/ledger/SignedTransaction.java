package org.deoss.core.ledger;

import java.util.Arrays;
import java.util.Objects;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;

/**
 * A call signed by an account. The signature is Ed25519 over the signing payload
 *
 * <pre>
 *   "deoss tx v1":str  networkId:str  signer[32]  nonce:v  call
 * </pre>
 *
 * so a transaction is bound to one network, one signer and one nonce. The encoding of the whole
 * transaction is {@code signer[32] nonce:v call signature[64]}; its SHA-256 is the transaction
 * hash. Immutable.
 */
public record SignedTransaction(AccountId signer, long nonce, Call call, byte[] signature) {
  /** The domain label signed into every transaction. */
  public static final String DOMAIN = "deoss tx v1";

  /** Largest encoded transaction accepted. */
  public static final int MAX_ENCODED_BYTES = 8 << 20;

  public SignedTransaction {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(signature, "signature");
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
    }
    if (signature.length != AccountKeys.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 signature has 64 bytes, got " + signature.length);
    }
    signature = signature.clone();
  }

  /** Signs {@code call} for {@code networkId} with {@code keys} and {@code nonce}. */
  public static SignedTransaction sign(AccountKeys keys, String networkId, long nonce, Call call) {
    byte[] payload = signingPayload(networkId, keys.id(), nonce, call);
    return new SignedTransaction(keys.id(), nonce, call, keys.sign(payload));
  }

  /** The bytes the signature covers. */
  public static byte[] signingPayload(String networkId, AccountId signer, long nonce, Call call) {
    ByteWriter w = new ByteWriter(512);
    w.string(DOMAIN).string(networkId).account(signer).varint(nonce);
    LedgerCodec.writeCall(w, call);
    return w.toByteArray();
  }

  /** Whether the signature verifies for {@code networkId}. Costs one Ed25519 verification. */
  public boolean verify(String networkId) {
    return signer.verify(signingPayload(networkId, signer, nonce, call), signature);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The canonical encoding. */
  public byte[] encode() {
    ByteWriter w = new ByteWriter(512);
    write(w);
    return w.toByteArray();
  }

  void write(ByteWriter w) {
    w.account(signer).varint(nonce);
    LedgerCodec.writeCall(w, call);
    w.raw(signature);
  }

  /**
   * Decodes {@link #encode()} output.
   *
   * @throws org.deoss.core.ledger.codec.CodecException naming the malformed field
   */
  public static SignedTransaction decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    SignedTransaction tx = read(r);
    r.expectEnd("transaction");
    return tx;
  }

  static SignedTransaction read(ByteReader r) {
    AccountId signer = r.account("tx.signer");
    long nonce = r.varint("tx.nonce");
    Call call = LedgerCodec.readCall(r);
    byte[] sig = r.raw("tx.signature", AccountKeys.SIGNATURE_LENGTH);
    return new SignedTransaction(signer, nonce, call, sig);
  }

  /** SHA-256 of the encoding. */
  public Hash256 hash() {
    return Hash256.digest(encode());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedTransaction
        && ((SignedTransaction) o).signer.equals(signer)
        && ((SignedTransaction) o).nonce == nonce
        && ((SignedTransaction) o).call.equals(call)
        && Arrays.equals(((SignedTransaction) o).signature, signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signer, nonce, call) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedTransaction("
        + signer
        + " #"
        + nonce
        + " "
        + call.getClass().getSimpleName()
        + ")";
  }
}
