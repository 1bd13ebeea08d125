package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class KeyWrapTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  // RFC 9180 Appendix A: info, plaintext and aad (sequence number 0) shared by A.1 and A.2.
  private static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
  private static final byte[] PT =
      HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
  private static final byte[] AAD0 = HEX.parseHex("436f756e742d30");

  /** A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base mode: our suite. */
  @Test
  void rfc9180_a2_base_matchesVector() {
    Vector v =
        new Vector(
            "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
            "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
            "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
            "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
            "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
            "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
                + "21993c62ce81883d2dd1b51a28",
            "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e");
    check(KeyWrap.suite(), v);
  }

  /** A.1.1: the same KEM and KDF with AES-128-GCM, checking the KEM and key schedule again. */
  @Test
  void rfc9180_a1_base_matchesVector() {
    Vector v =
        new Vector(
            "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
            "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
            "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
            "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
            "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
            "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
                + "6d8770ac83d07bea87e13c512a",
            "3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee");
    check(KeyWrap.suite(HPKE.aead_AES_GCM128), v);
  }

  private record Vector(
      String ikmE,
      String skEm,
      String pkEm,
      String ikmR,
      String skRm,
      String pkRm,
      String ct,
      String export0) {}

  private static void check(HPKE hpke, Vector v) {
    AsymmetricCipherKeyPair derivedE = hpke.deriveKeyPair(HEX.parseHex(v.ikmE()));
    // Bouncy Castle serializes X25519 private keys clamped (RFC 7748 5); the RFC lists them raw.
    assertEquals(clamped(v.skEm()), HEX.formatHex(hpke.serializePrivateKey(derivedE.getPrivate())));
    assertEquals(v.pkEm(), HEX.formatHex(hpke.serializePublicKey(derivedE.getPublic())));
    AsymmetricCipherKeyPair derivedR = hpke.deriveKeyPair(HEX.parseHex(v.ikmR()));
    assertEquals(clamped(v.skRm()), HEX.formatHex(hpke.serializePrivateKey(derivedR.getPrivate())));

    X25519KeyPair ephemeral = X25519KeyPair.fromPrivateKey(HEX.parseHex(v.skEm()));
    assertEquals(v.pkEm(), HEX.formatHex(ephemeral.publicKey()));
    X25519KeyPair recipient = X25519KeyPair.fromPrivateKey(HEX.parseHex(v.skRm()));
    assertEquals(v.pkRm(), HEX.formatHex(recipient.publicKey()));

    byte[][] sealed =
        KeyWrap.seal(hpke, HEX.parseHex(v.pkRm()), INFO, AAD0, PT, ephemeral.toBouncyCastle());
    assertEquals(v.pkEm(), HEX.formatHex(sealed[0]), "enc");
    assertEquals(v.ct(), HEX.formatHex(sealed[1]), "ciphertext");

    HPKEContext receiver = hpke.setupBaseR(sealed[0], recipient.toBouncyCastle(), INFO);
    assertEquals(v.export0(), HEX.formatHex(receiver.export(new byte[0], 32)), "exporter");
  }

  private static String clamped(String privateKeyHex) {
    byte[] k = HEX.parseHex(privateKeyHex);
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    return HEX.formatHex(k);
  }

  @Test
  void wrap_thenUnwrap_returnsTheKey() {
    X25519KeyPair reader = X25519KeyPair.generate(RANDOM);
    DataKey dek = DataKey.generate(RANDOM);
    byte[] info = KeyWrap.dekInfo(new byte[16]);
    byte[] wrapped = KeyWrap.wrap(reader.publicKey(), dek, info, RANDOM);
    assertEquals(KeyWrap.WRAPPED_LENGTH, wrapped.length);
    assertEquals(KeyWrap.VERSION, wrapped[0]);
    assertArrayEquals(dek.bytes(), KeyWrap.unwrap(reader, wrapped, info).bytes());
  }

  @Test
  void unwrap_byAnotherRecipient_isTampered() {
    byte[] info = KeyWrap.dekInfo(new byte[16]);
    byte[] wrapped =
        KeyWrap.wrap(
            X25519KeyPair.generate(RANDOM).publicKey(), DataKey.generate(RANDOM), info, RANDOM);
    TamperedDataException e =
        assertThrows(
            TamperedDataException.class,
            () -> KeyWrap.unwrap(X25519KeyPair.generate(RANDOM), wrapped, info));
    assertTrue(e.getMessage().contains("does not open"), e.getMessage());
  }

  @Test
  void unwrap_withAnotherInfo_isTampered() {
    X25519KeyPair reader = X25519KeyPair.generate(RANDOM);
    byte[] objectA = new byte[16];
    byte[] objectB = new byte[16];
    objectB[0] = 1;
    byte[] wrapped =
        KeyWrap.wrap(
            reader.publicKey(), DataKey.generate(RANDOM), KeyWrap.dekInfo(objectA), RANDOM);
    assertThrows(
        TamperedDataException.class,
        () -> KeyWrap.unwrap(reader, wrapped, KeyWrap.dekInfo(objectB)));
  }

  @Test
  void unwrap_anyFlippedBit_isTampered() {
    X25519KeyPair reader = X25519KeyPair.generate(RANDOM);
    byte[] info = KeyWrap.dekInfo(new byte[16]);
    byte[] wrapped = KeyWrap.wrap(reader.publicKey(), DataKey.generate(RANDOM), info, RANDOM);
    for (int bit = 0; bit < wrapped.length * 8; bit++) {
      byte[] bad = wrapped.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      // Even the top bit of enc's last byte, which X25519 ignores, counts: HPKE's key schedule
      // hashes enc itself.
      int at = bit;
      assertThrows(
          TamperedDataException.class, () -> KeyWrap.unwrap(reader, bad, info), "bit " + at);
    }
  }

  @Test
  void unwrap_wrongLengthOrVersion_namesIt() {
    X25519KeyPair reader = X25519KeyPair.generate(RANDOM);
    TamperedDataException shortOne =
        assertThrows(
            TamperedDataException.class, () -> KeyWrap.unwrap(reader, new byte[80], new byte[0]));
    assertTrue(shortOne.getMessage().contains("80 bytes"), shortOne.getMessage());
    byte[] v2 = new byte[KeyWrap.WRAPPED_LENGTH];
    v2[0] = 2;
    TamperedDataException version =
        assertThrows(TamperedDataException.class, () -> KeyWrap.unwrap(reader, v2, new byte[0]));
    assertTrue(version.getMessage().contains("version 2"), version.getMessage());
  }

  @Test
  void wrap_forLowOrderPublicKey_isRefused() {
    byte[] zeroPoint = new byte[32];
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyWrap.wrap(zeroPoint, DataKey.generate(RANDOM), new byte[0], RANDOM));
  }

  @Test
  void x25519KeyPair_matchesBouncyCastlePublicKey() {
    X25519KeyPair pair = X25519KeyPair.generate(RANDOM);
    byte[] priv = ((X25519PrivateKeyParameters) pair.toBouncyCastle().getPrivate()).getEncoded();
    assertArrayEquals(
        new X25519PrivateKeyParameters(priv, 0).generatePublicKey().getEncoded(), pair.publicKey());
  }
}
