package org.deoss.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.tests.mount.Tools;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a real process ({@code deoss gateway}, with a small heap) in front of a ledger
 * node and six miners, driven by curl: raw and multipart uploads of an object larger than the
 * gateway's heap (so it must stream), ranged downloads compared byte for byte, a public object read
 * without a signature, and the refusals: bad signature, expired and replayed message, an owner that
 * did not authorize the gateway, an oversized declared body, a malformed request, a bad range. Then
 * a second gateway serves HTTPS with a self-signed certificate, through {@code curl -k}.
 */
class GatewayCurlTest {
  private static final int MIB = 1 << 20;
  private static final long SEED = 20261124;
  private static final String HEAP = "384m";
  private static final int BIG = 400 * MIB;
  private static final Duration CURL = Duration.ofMinutes(5);

  @TempDir Path root;

  /** curl with {@code args}; the last line of the result is the HTTP status. */
  private static Tools.Result curl(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
    cmd.addAll(args);
    return Tools.run((Path) null, CURL, cmd);
  }

  private static int status(Tools.Result r) {
    String out = r.output().strip();
    return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).strip());
  }

  private static List<String> args(Object... parts) {
    List<String> out = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof List<?> l) {
        l.forEach(x -> out.add(x.toString()));
      } else {
        out.add(p.toString());
      }
    }
    return out;
  }

  private static void assertRefused(Tools.Result r, int code, String msgPart) {
    assertEquals(code, status(r), r.output());
    assertTrue(r.output().contains("\"code\":" + code), r.output());
    assertTrue(r.output().contains(msgPart), r.output());
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void writeRandom(Path file, long size, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  @Test
  @Timeout(900)
  void curlAgainstGatewayProcess() throws Exception {
    Path big = root.resolve("big.bin");
    writeRandom(big, BIG, SEED);
    AccountKeys alice = AccountKeys.generate(new SecureRandom());
    AccountKeys bob = AccountKeys.generate(new SecureRandom());
    try (LocalCluster cluster = new LocalCluster(root.resolve("cluster"), 6)) {
      cluster.start();
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient a = new StorageClient(alice, ledger, PipelineConfig.defaults());
          StorageClient b = new StorageClient(bob, ledger, PipelineConfig.defaults());
          GatewayProcess gw =
              GatewayProcess.start(
                  root.resolve("gateway"), cluster.nodeUrl(), HEAP, "--max-object", "1GiB")) {
        a.prepare("photos", 10, 30);
        a.transactions().announceKeyIfMissing();
        a.transactions().submitAndWait(new Call.Authorize(gw.account()));
        b.prepare("photos", 1, 30);
        b.transactions().announceKeyIfMissing();
        String url = gw.uri().toString();
        String owner = alice.id().address();

        // Raw and multipart uploads of an object larger than the gateway's heap.
        Tools.Result raw =
            curl(
                args(
                    "-T",
                    big,
                    "-H",
                    "Bucket: photos",
                    SignedHeaders.curlArgs(alice),
                    url + "/object/big-raw.bin"));
        assertEquals(200, status(raw), raw.output() + gw.console());
        assertTrue(raw.output().contains("\"size\":" + BIG), raw.output());
        Tools.Result form =
            curl(
                args(
                    "-X",
                    "PUT",
                    "-F",
                    "file=@" + big + ";type=application/x-demo",
                    "-H",
                    "Bucket: photos",
                    SignedHeaders.curlArgs(alice),
                    url + "/file"));
        assertEquals(200, status(form), form.output() + gw.console());
        assertTrue(form.output().contains("\"key\":\"big.bin\""), form.output());

        String want = sha256(big);
        for (String key : new String[] {"big-raw.bin", "big.bin"}) {
          Path got = root.resolve("got-" + key);
          Tools.Result get =
              curl(
                  args(
                      "-o",
                      got,
                      SignedHeaders.curlArgs(alice),
                      url + "/file/download/" + owner + "/photos/" + key));
          assertEquals(200, status(get), get.output());
          assertEquals(want, sha256(got), key + " downloads byte for byte");
          Files.delete(got);
        }
        assertTrue(gw.isAlive(), "the gateway survived " + 4 * BIG / MIB + " MiB of traffic");

        // Ranged downloads, byte-exact.
        byte[] whole = Files.readAllBytes(big);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 4; i++) {
          long first = random.nextLong(BIG - 1);
          long last = Math.min(BIG - 1, first + random.nextLong(40 * MIB));
          Path part = root.resolve("part-" + i);
          Tools.Result r =
              curl(
                  args(
                      "-o",
                      part,
                      "-r",
                      first + "-" + last,
                      SignedHeaders.curlArgs(alice),
                      url + "/file/open/" + owner + "/photos/big.bin"));
          assertEquals(206, status(r), r.output());
          assertArrayEquals(
              Arrays.copyOfRange(whole, (int) first, (int) last + 1),
              Files.readAllBytes(part),
              "seed " + SEED + " range " + first + "-" + last);
        }
        whole = null;
        assertRefused(
            curl(
                args(
                    "-r",
                    BIG + "-",
                    SignedHeaders.curlArgs(alice),
                    url + "/file/download/" + owner + "/photos/big.bin")),
            416,
            "Range");

        // A public object needs no signature; a private one does.
        Path small = root.resolve("hello.txt");
        Files.writeString(small, "hello, gateway\n");
        assertEquals(
            200,
            status(
                curl(
                    args(
                        "-T",
                        small,
                        "-H",
                        "Bucket: photos",
                        "-H",
                        "Visibility: public",
                        SignedHeaders.curlArgs(alice),
                        url + "/object/hello.txt"))));
        Tools.Result pub = curl(args(url + "/file/open/" + owner + "/photos/hello.txt"));
        assertEquals(200, status(pub), pub.output());
        assertTrue(pub.output().startsWith("hello, gateway"), pub.output());
        assertRefused(
            curl(args(url + "/file/download/" + owner + "/photos/big.bin")), 401, "not public");

        // Refusals: bad signature, expired and replayed messages, an unauthorized owner.
        List<String> forged = new ArrayList<>(SignedHeaders.curlArgs(bob));
        forged.set(1, "Account: " + owner);
        assertRefused(
            curl(args("-T", small, "-H", "Bucket: photos", forged, url + "/object/forged.txt")),
            401,
            "does not verify");
        String old = Long.toString(System.currentTimeMillis() - 10 * 60_000);
        assertRefused(
            curl(
                args(
                    "-T",
                    small,
                    "-H",
                    "Bucket: photos",
                    SignedHeaders.curlArgs(alice, old),
                    url + "/object/old.txt")),
            401,
            "old");
        List<String> once = SignedHeaders.curlArgs(alice);
        assertEquals(
            200,
            status(curl(args("-T", small, "-H", "Bucket: photos", once, url + "/object/1.txt"))));
        assertRefused(
            curl(args("-T", small, "-H", "Bucket: photos", once, url + "/object/2.txt")),
            401,
            "replayed");
        assertRefused(
            curl(
                args(
                    "-T",
                    small,
                    "-H",
                    "Bucket: photos",
                    SignedHeaders.curlArgs(bob),
                    url + "/object/bob.txt")),
            403,
            "deoss authorize " + gw.account().address());

        // Oversized and malformed requests.
        assertRefused(
            curl(
                args(
                    "-X",
                    "PUT",
                    "-H",
                    "Content-Length: " + (2L << 30),
                    "-H",
                    "Bucket: photos",
                    "-H",
                    "Expect: 100-continue",
                    SignedHeaders.curlArgs(alice),
                    url + "/object/too-big.bin")),
            413,
            "exceeds");
        assertRefused(
            curl(args("-H", "X-Big: " + "a".repeat(40_000), url + "/version")), 431, "too large");
        assertRefused(curl(args(url + "/no/such/route")), 404, "no route");
        String malformed = rawRequest(gw, "NOT HTTP AT ALL\r\n\r\n");
        assertTrue(malformed.startsWith("HTTP/1.1 400"), malformed);
        assertTrue(gw.isAlive());
        assertEquals(200, status(curl(args(url + "/version"))));
      }

      // HTTPS with a self-signed certificate.
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient a = new StorageClient(alice, ledger, PipelineConfig.defaults());
          GatewayProcess tls =
              GatewayProcess.start(
                  root.resolve("gateway-tls"), cluster.nodeUrl(), HEAP, "--tls-self-signed")) {
        assertTrue(tls.uri().toString().startsWith("https://"), tls.uri().toString());
        a.transactions().submitAndWait(new Call.Authorize(tls.account()));
        Path small = root.resolve("tls.txt");
        Files.writeString(small, "over TLS\n");
        String url = tls.uri().toString();
        assertEquals(
            200,
            status(
                curl(
                    args(
                        "-k",
                        "-T",
                        small,
                        "-H",
                        "Bucket: photos",
                        SignedHeaders.curlArgs(alice),
                        url + "/object/tls.txt"))));
        Tools.Result got =
            curl(
                args(
                    "-k",
                    SignedHeaders.curlArgs(alice),
                    url + "/file/download/" + alice.id().address() + "/photos/tls.txt"));
        assertEquals(200, status(got), got.output());
        assertTrue(got.output().startsWith("over TLS"), got.output());
        Tools.Result strict = curl(args(url + "/version"));
        assertTrue(strict.exitCode() != 0, "without -k curl refuses the self-signed certificate");
      }
    }
  }

  private static String rawRequest(GatewayProcess gw, String request) throws Exception {
    try (Socket s = new Socket(gw.uri().getHost(), gw.uri().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
