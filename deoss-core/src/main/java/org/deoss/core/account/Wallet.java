package org.deoss.core.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A wallet file: an account's Ed25519 seed encrypted under a passphrase. JSON, for example:
 *
 * <pre>
 * {
 *   "version" : 1,
 *   "address" : "cX...",
 *   "kdf" : { "name" : "scrypt", "n" : 32768, "r" : 8, "p" : 1, "salt" : "base64 of 16 bytes" },
 *   "cipher" : { "name" : "aes-256-gcm", "nonce" : "base64 of 12 bytes",
 *                "ciphertext" : "base64 of the 32-byte seed + 16-byte tag" }
 * }
 * </pre>
 *
 * The key is scrypt(UTF-8 of the passphrase, salt, n, r, p) → 32 bytes; the seed is sealed with
 * AES-256-GCM with the address's ASCII bytes as AAD, so the address shown by {@link #peekAddress}
 * cannot be swapped without the passphrase noticing. The file is written to a temporary file in the
 * same folder, fsynced, and renamed into place, with mode 0600 where the file system is POSIX.
 */
public final class Wallet {
  static final int VERSION = 1;
  private static final int SALT_LENGTH = 16;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_LENGTH = 16;
  private static final String KDF = "scrypt";
  private static final String CIPHER = "aes-256-gcm";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Wallet() {}

  /**
   * Writes a new wallet for {@code keys} to {@code file}, atomically.
   *
   * @throws FileAlreadyExistsException if {@code file} exists (a wallet is never overwritten)
   * @throws IOException if the file cannot be written
   */
  public static void create(
      Path file, AccountKeys keys, char[] passphrase, WalletParams params, SecureRandom random)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(random, "random");
    byte[] salt = new byte[SALT_LENGTH];
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    String address = keys.id().address();
    byte[] key = deriveKey(passphrase, salt, params);
    byte[] seed = keys.seed();
    byte[] sealed;
    try {
      sealed = gcm(Cipher.ENCRYPT_MODE, key, nonce, address, seed, 0, seed.length);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("cannot happen when encrypting", e);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(seed, (byte) 0);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("address", address);
    ObjectNode kdf = root.putObject("kdf");
    kdf.put("name", KDF);
    kdf.put("n", params.n());
    kdf.put("r", params.r());
    kdf.put("p", params.p());
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    ObjectNode cipher = root.putObject("cipher");
    cipher.put("name", CIPHER);
    cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
    cipher.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Opens a wallet with its passphrase.
   *
   * @throws WalletException of kind {@code MISSING}, {@code WRONG_PASSPHRASE} ("wrong passphrase
   *     for wallet FILE"), {@code CORRUPT} (naming the field) or {@code UNSUPPORTED}
   * @throws IOException if the file cannot be read
   */
  public static AccountKeys open(Path file, char[] passphrase) throws IOException {
    Objects.requireNonNull(passphrase, "passphrase");
    JsonNode root = read(file);
    AccountId address = address(file, root);
    JsonNode kdf = object(file, root, "kdf");
    String kdfName = text(file, kdf, "kdf.name");
    if (!KDF.equals(kdfName)) {
      throw unsupported(
          file, "field kdf.name is '" + kdfName + "'; only '" + KDF + "' is supported");
    }
    WalletParams params;
    int n = integer(file, kdf, "kdf.n");
    int r = integer(file, kdf, "kdf.r");
    int p = integer(file, kdf, "kdf.p");
    try {
      params = new WalletParams(n, r, p);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "field kdf: " + e.getMessage(), e);
    }
    byte[] salt = base64(file, kdf, "kdf.salt", -1);
    if (salt.length < 8 || salt.length > 64) {
      throw corrupt(file, "field kdf.salt has " + salt.length + " bytes; expected 8..64", null);
    }
    JsonNode cipher = object(file, root, "cipher");
    String cipherName = text(file, cipher, "cipher.name");
    if (!CIPHER.equals(cipherName)) {
      throw unsupported(
          file, "field cipher.name is '" + cipherName + "'; only '" + CIPHER + "' is supported");
    }
    byte[] nonce = base64(file, cipher, "cipher.nonce", NONCE_LENGTH);
    byte[] sealed = base64(file, cipher, "cipher.ciphertext", AccountKeys.SEED_LENGTH + TAG_LENGTH);
    byte[] key = deriveKey(passphrase, salt, params);
    byte[] seed;
    try {
      seed = gcm(Cipher.DECRYPT_MODE, key, nonce, address.address(), sealed, 0, sealed.length);
    } catch (AEADBadTagException e) {
      throw new WalletException(
          WalletException.Kind.WRONG_PASSPHRASE,
          file,
          "wrong passphrase for wallet " + file + " (or its address or encrypted key was altered)",
          e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    AccountKeys keys = AccountKeys.fromSeed(seed);
    Arrays.fill(seed, (byte) 0);
    if (!keys.id().equals(address)) {
      keys.destroy();
      throw corrupt(
          file,
          "the decrypted key belongs to " + keys.id() + ", not to field address " + address,
          null);
    }
    return keys;
  }

  /**
   * The account of a wallet, read without the passphrase.
   *
   * @throws WalletException of kind {@code MISSING}, {@code CORRUPT} or {@code UNSUPPORTED}
   */
  public static AccountId peekAddress(Path file) throws IOException {
    return address(file, read(file));
  }

  private static JsonNode read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new WalletException(WalletException.Kind.MISSING, file, "no wallet file at " + file, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw corrupt(file, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw corrupt(file, "not a JSON object", null);
    }
    int version = integer(file, root, "version");
    if (version != VERSION) {
      throw unsupported(
          file, "field version is " + version + "; this program reads version " + VERSION);
    }
    return root;
  }

  private static AccountId address(Path file, JsonNode root) throws WalletException {
    String text = text(file, root, "address");
    try {
      return AccountId.parse(text);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "field address: " + e.getMessage(), e);
    }
  }

  private static JsonNode field(Path file, JsonNode parent, String path) throws WalletException {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw corrupt(file, "field " + path + " is missing", null);
    }
    return node;
  }

  private static JsonNode object(Path file, JsonNode parent, String path) throws WalletException {
    JsonNode node = field(file, parent, path);
    if (!node.isObject()) {
      throw corrupt(file, "field " + path + " is not an object", null);
    }
    return node;
  }

  private static String text(Path file, JsonNode parent, String path) throws WalletException {
    JsonNode node = field(file, parent, path);
    if (!node.isTextual()) {
      throw corrupt(file, "field " + path + " is not a string", null);
    }
    return node.textValue();
  }

  private static int integer(Path file, JsonNode parent, String path) throws WalletException {
    JsonNode node = field(file, parent, path);
    if (!node.isInt()) {
      throw corrupt(file, "field " + path + " is not an integer: " + node, null);
    }
    return node.intValue();
  }

  private static byte[] base64(Path file, JsonNode parent, String path, int length)
      throws WalletException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text(file, parent, path));
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "field " + path + " is not base64: " + e.getMessage(), e);
    }
    if (length >= 0 && bytes.length != length) {
      throw corrupt(
          file, "field " + path + " has " + bytes.length + " bytes; expected " + length, null);
    }
    return bytes;
  }

  private static WalletException corrupt(Path file, String what, Throwable cause) {
    return new WalletException(
        WalletException.Kind.CORRUPT, file, "wallet " + file + " is damaged: " + what, cause);
  }

  private static WalletException unsupported(Path file, String what) {
    return new WalletException(
        WalletException.Kind.UNSUPPORTED,
        file,
        "wallet " + file + " is not supported: " + what,
        null);
  }

  private static byte[] deriveKey(char[] passphrase, byte[] salt, WalletParams params) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] pass = new byte[encoded.remaining()];
    encoded.get(pass);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    try {
      return SCrypt.generate(pass, salt, params.n(), params.r(), params.p(), 32);
    } finally {
      Arrays.fill(pass, (byte) 0);
    }
  }

  private static byte[] gcm(
      int mode, byte[] key, byte[] nonce, String address, byte[] in, int off, int len)
      throws AEADBadTagException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      cipher.updateAAD(address.getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(in, off, len);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }

  private static void writeAtomically(Path file, byte[] text) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "a wallet already exists there; refusing to overwrite it");
    }
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path temp =
        posix
            ? Files.createTempFile(
                dir,
                ".wallet-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, ".wallet-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(text);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the rename itself is still atomic.
    }
  }
}
