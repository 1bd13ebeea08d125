package org.deoss.core.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final WalletParams FAST = new WalletParams(1 << 10, 8, 1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] PASS = "correct horse battery staple".toCharArray();

  @TempDir Path dir;

  private final AccountKeys keys = AccountKeys.generate(RANDOM);

  private Path created() throws IOException {
    Path file = dir.resolve("wallet.json");
    Wallet.create(file, keys, PASS, FAST, RANDOM);
    return file;
  }

  @Test
  void create_thenOpen_returnsTheSameKeys() throws IOException {
    Path file = created();
    AccountKeys opened = Wallet.open(file, PASS);
    assertEquals(keys.id(), opened.id());
    assertArrayEquals(keys.seed(), opened.seed());
  }

  @Test
  void create_writesDocumentedJson_withParams() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(created().toFile());
    assertEquals(1, root.get("version").intValue());
    assertEquals(keys.id().address(), root.get("address").textValue());
    assertTrue(root.get("address").textValue().startsWith("cX"));
    assertEquals("scrypt", root.get("kdf").get("name").textValue());
    assertEquals(1024, root.get("kdf").get("n").intValue());
    assertEquals(8, root.get("kdf").get("r").intValue());
    assertEquals(1, root.get("kdf").get("p").intValue());
    assertEquals("aes-256-gcm", root.get("cipher").get("name").textValue());
    String text = Files.readString(dir.resolve("wallet.json"));
    byte[] seed = keys.seed();
    assertFalse(text.contains(java.util.HexFormat.of().formatHex(seed)), "seed in hex");
    assertFalse(
        text.contains(java.util.Base64.getEncoder().encodeToString(seed)), "seed in base64");
  }

  @Test
  void create_isOwnerOnly_andLeavesNoTempFile() throws IOException {
    Path file = created();
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void create_whenFileExists_refusesToOverwrite() throws IOException {
    Path file = created();
    byte[] before = Files.readAllBytes(file);
    assertThrows(
        FileAlreadyExistsException.class,
        () -> Wallet.create(file, AccountKeys.generate(RANDOM), PASS, FAST, RANDOM));
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void create_makesMissingParentFolders() throws IOException {
    Path file = dir.resolve("a/b/wallet.json");
    Wallet.create(file, keys, PASS, FAST, RANDOM);
    assertEquals(keys.id(), Wallet.peekAddress(file));
  }

  @Test
  void peekAddress_needsNoPassphrase() throws IOException {
    assertEquals(keys.id(), Wallet.peekAddress(created()));
  }

  @Test
  void open_wrongPassphrase_saysSo() throws IOException {
    Path file = created();
    WalletException e =
        assertThrows(WalletException.class, () -> Wallet.open(file, "wrong".toCharArray()));
    assertEquals(WalletException.Kind.WRONG_PASSPHRASE, e.kind());
    assertTrue(e.getMessage().startsWith("wrong passphrase for wallet " + file), e.getMessage());
  }

  @Test
  void open_nonAsciiPassphrase_roundTrips() throws IOException {
    Path file = dir.resolve("w.json");
    char[] pass = "pässwörd 密码 🔑".toCharArray();
    Wallet.create(file, keys, pass, FAST, RANDOM);
    assertEquals(keys.id(), Wallet.open(file, pass).id());
  }

  @Test
  void open_missingFile_namesIt() {
    Path file = dir.resolve("nope.json");
    WalletException e = assertThrows(WalletException.class, () -> Wallet.open(file, PASS));
    assertEquals(WalletException.Kind.MISSING, e.kind());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertThrows(WalletException.class, () -> Wallet.peekAddress(file));
  }

  @Test
  void open_notJson_isCorrupt() throws IOException {
    Path file = dir.resolve("w.json");
    Files.writeString(file, "{ this is not json");
    assertKind(file, WalletException.Kind.CORRUPT, "not valid JSON");
  }

  @Test
  void open_missingSalt_namesTheField() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("kdf")).remove("salt"));
    assertKind(file, WalletException.Kind.CORRUPT, "field kdf.salt is missing");
  }

  @Test
  void open_shortCiphertext_namesTheField() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("cipher")).put("ciphertext", "AAAA"));
    assertKind(file, WalletException.Kind.CORRUPT, "field cipher.ciphertext has 3 bytes");
  }

  @Test
  void open_badBase64_namesTheField() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("cipher")).put("nonce", "!!"));
    assertKind(file, WalletException.Kind.CORRUPT, "field cipher.nonce is not base64");
  }

  @Test
  void open_badScryptCost_namesTheField() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("kdf")).put("n", 1000));
    assertKind(file, WalletException.Kind.CORRUPT, "field kdf: scrypt n must be a power of two");
  }

  @Test
  void open_badAddress_namesTheField() throws IOException {
    Path file = edited(root -> root.put("address", "cXnotanaddress"));
    assertKind(file, WalletException.Kind.CORRUPT, "field address");
    assertThrows(WalletException.class, () -> Wallet.peekAddress(file));
  }

  @Test
  void open_addressSwappedForAnotherAccount_doesNotOpen() throws IOException {
    String other = AccountKeys.generate(RANDOM).id().address();
    Path file = edited(root -> root.put("address", other));
    assertKind(file, WalletException.Kind.WRONG_PASSPHRASE, "wrong passphrase for wallet");
  }

  @Test
  void open_otherVersion_isUnsupported() throws IOException {
    Path file = edited(root -> root.put("version", 2));
    assertKind(file, WalletException.Kind.UNSUPPORTED, "field version is 2");
    WalletException peek = assertThrows(WalletException.class, () -> Wallet.peekAddress(file));
    assertEquals(WalletException.Kind.UNSUPPORTED, peek.kind());
  }

  @Test
  void open_otherKdf_isUnsupported() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("kdf")).put("name", "argon2id"));
    assertKind(file, WalletException.Kind.UNSUPPORTED, "field kdf.name is 'argon2id'");
  }

  @Test
  void params_validateAndNameTheBadValue() {
    assertEquals(new WalletParams(32768, 8, 1), WalletParams.DEFAULT);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new WalletParams(3, 8, 1));
    assertTrue(e.getMessage().contains("3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new WalletParams(1024, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new WalletParams(1024, 8, 0));
    assertThrows(IllegalArgumentException.class, () -> new WalletParams(1 << 20, 32, 1));
  }

  private Path edited(Consumer<ObjectNode> change) throws IOException {
    Path file = created();
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    change.accept(root);
    Files.write(file, JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private static void assertKind(Path file, WalletException.Kind kind, String inMessage) {
    WalletException e = assertThrows(WalletException.class, () -> Wallet.open(file, PASS));
    assertEquals(kind, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
