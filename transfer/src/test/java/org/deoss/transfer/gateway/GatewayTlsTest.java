package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTlsTest {
  @TempDir Path dir;

  @Test
  void pem_withACertificateAndItsPkcs8Key_servesHttps() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, new SecureRandom());
    KeyPair pair = g.generateKeyPair();
    X500Name name = new X500Name("CN=localhost");
    long now = System.currentTimeMillis();
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.ONE,
                        new Date(now - 60_000),
                        new Date(now + 86_400_000),
                        name,
                        pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    try (Writer w = Files.newBufferedWriter(certFile);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(cert);
    }
    try (Writer w = Files.newBufferedWriter(keyFile);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
    }
    GatewayTls tls = GatewayTls.pem(certFile, keyFile);
    assertEquals("https", tls.scheme());
    assertTrue(tls.toString().contains("cert.pem"), tls.toString());
  }

  @Test
  void pem_whenAFileIsMissingOrNotAKey_namesIt() throws Exception {
    Path cert = dir.resolve("missing.pem");
    IOException missing =
        assertThrows(IOException.class, () -> GatewayTls.pem(cert, dir.resolve("key.pem")));
    assertTrue(missing.getMessage().contains("missing.pem"), missing.getMessage());
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "not a certificate");
    IOException bad = assertThrows(IOException.class, () -> GatewayTls.pem(junk, junk));
    assertTrue(bad.getMessage().contains("junk.pem"), bad.getMessage());
  }

  @Test
  void none_isPlainHttp() {
    assertEquals("http", GatewayTls.none().scheme());
  }
}
