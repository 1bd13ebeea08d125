package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final long NOW = 1_790_000_000_000L;
  private final AccountKeys alice = GatewayFixture.keys(1);
  private final AccountKeys bob = GatewayFixture.keys(2);
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private final Authenticator auth =
      new Authenticator(clock, Duration.ofMinutes(5), new ReplayGuard(100));

  private static String hex(byte[] b) {
    return Signatures.hex(b);
  }

  private Authenticator.Credentials creds(AccountKeys k, String message) {
    return new Authenticator.Credentials(
        k.id().address(), message, hex(k.sign(message.getBytes(StandardCharsets.UTF_8))));
  }

  private static GatewayError refused(Runnable r) {
    GatewayError e = assertThrows(GatewayError.class, r::run);
    assertEquals(HttpResponseStatus.UNAUTHORIZED, e.status());
    return e;
  }

  @Test
  void authenticate_withFreshHexSignature_returnsTheAccount() {
    assertEquals(alice.id(), auth.authenticate(creds(alice, Long.toString(NOW / 1000))));
  }

  @Test
  void authenticate_acceptsSecondsMillisAndDateTimeMessages() {
    assertEquals(alice.id(), auth.authenticate(creds(alice, Long.toString(NOW / 1000 - 60))));
    assertEquals(alice.id(), auth.authenticate(creds(alice, Long.toString(NOW + 1234))));
    String dt =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .format(Instant.ofEpochMilli(NOW).atZone(ZoneOffset.UTC));
    assertEquals(alice.id(), auth.authenticate(creds(alice, dt)));
    assertEquals(
        alice.id(), auth.authenticate(creds(alice, Instant.ofEpochMilli(NOW - 5000).toString())));
  }

  @Test
  void authenticate_acceptsBase64Base58And0xHexSignatures() {
    String[] messages = {"" + (NOW + 1), "" + (NOW + 2), "" + (NOW + 3)};
    byte[][] sigs = new byte[3][];
    for (int i = 0; i < 3; i++) {
      sigs[i] = alice.sign(messages[i].getBytes(StandardCharsets.UTF_8));
    }
    String address = alice.id().address();
    assertEquals(
        alice.id(),
        auth.authenticate(
            new Authenticator.Credentials(
                address, messages[0], Base64.getEncoder().encodeToString(sigs[0]))));
    assertEquals(
        alice.id(),
        auth.authenticate(
            new Authenticator.Credentials(address, messages[1], Signatures.toBase58(sigs[1]))));
    assertEquals(
        alice.id(),
        auth.authenticate(
            new Authenticator.Credentials(address, messages[2], "0x" + hex(sigs[2]))));
  }

  @Test
  void authenticate_acceptsPolkadotBytesWrapping() {
    String m = Long.toString(NOW);
    byte[] sig = alice.sign(("<Bytes>" + m + "</Bytes>").getBytes(StandardCharsets.UTF_8));
    assertEquals(
        alice.id(),
        auth.authenticate(new Authenticator.Credentials(alice.id().address(), m, hex(sig))));
  }

  @Test
  void authenticate_whenHeaderMissing_namesIt() {
    Authenticator.Credentials c = creds(alice, Long.toString(NOW));
    assertTrue(
        refused(() -> auth.authenticate(new Authenticator.Credentials(null, "1", "x")))
            .getMessage()
            .contains("missing header Account"));
    assertTrue(
        refused(
                () ->
                    auth.authenticate(
                        new Authenticator.Credentials(c.account(), null, c.signature())))
            .getMessage()
            .contains("missing header Message"));
    assertTrue(
        refused(
                () ->
                    auth.authenticate(
                        new Authenticator.Credentials(c.account(), c.message(), null)))
            .getMessage()
            .contains("missing header Signature"));
  }

  @Test
  void authenticate_whenAddressMalformed_saysSo() {
    Authenticator.Credentials c = creds(alice, Long.toString(NOW));
    String msg =
        refused(
                () ->
                    auth.authenticate(
                        new Authenticator.Credentials(
                            "cXnotanaddress", c.message(), c.signature())))
            .getMessage();
    assertTrue(msg.contains("not an SS58 address"), msg);
  }

  @Test
  void authenticate_whenMessageStaleOrFuture_refuses() {
    String old = Long.toString(NOW / 1000 - 301);
    assertTrue(refused(() -> auth.authenticate(creds(alice, old))).getMessage().contains("old"));
    String future = Long.toString(NOW + 301_000);
    assertTrue(
        refused(() -> auth.authenticate(creds(alice, future)))
            .getMessage()
            .contains("in the future"));
  }

  @Test
  void authenticate_whenMessageIsNoTimestamp_refuses() {
    assertTrue(
        refused(() -> auth.authenticate(creds(alice, "hello-random-16ch")))
            .getMessage()
            .contains("not a timestamp"));
  }

  @Test
  void authenticate_whenReplayed_refusesTheSecondUse() {
    Authenticator.Credentials c = creds(alice, Long.toString(NOW));
    auth.authenticate(c);
    assertTrue(refused(() -> auth.authenticate(c)).getMessage().contains("replayed"));
  }

  @Test
  void authenticate_whenReplayedInAnotherEncoding_refuses() {
    String m = Long.toString(NOW);
    byte[] sig = alice.sign(m.getBytes(StandardCharsets.UTF_8));
    String a = alice.id().address();
    auth.authenticate(new Authenticator.Credentials(a, m, hex(sig)));
    refused(
        () ->
            auth.authenticate(
                new Authenticator.Credentials(a, m, Base64.getEncoder().encodeToString(sig))));
  }

  @Test
  void authenticate_whenSignedByAnotherAccount_refuses() {
    Authenticator.Credentials c = creds(bob, Long.toString(NOW));
    String msg =
        refused(
                () ->
                    auth.authenticate(
                        new Authenticator.Credentials(
                            alice.id().address(), c.message(), c.signature())))
            .getMessage();
    assertTrue(msg.contains("does not verify"), msg);
  }

  @Test
  void authenticate_whenSignatureNot64Bytes_saysSo() {
    String msg =
        refused(
                () ->
                    auth.authenticate(
                        new Authenticator.Credentials(
                            alice.id().address(), Long.toString(NOW), "abcd")))
            .getMessage();
    assertTrue(msg.contains("not 64 bytes"), msg);
  }

  @Test
  void replayGuard_forgetsExpiredEntries_andRefusesWhenFullOfLiveOnes() {
    ReplayGuard g = new ReplayGuard(2);
    assertTrue(g.firstUse("a", 100, 0));
    assertTrue(g.firstUse("b", 200, 0));
    GatewayError full = assertThrows(GatewayError.class, () -> g.firstUse("c", 300, 50));
    assertEquals(HttpResponseStatus.SERVICE_UNAVAILABLE, full.status());
    assertTrue(g.firstUse("c", 300, 100), "a expired at 100, making room");
    assertEquals(2, g.size());
  }
}
