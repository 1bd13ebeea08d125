package org.deoss.transfer.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Whether the gateway speaks plain HTTP or HTTPS, and with which certificate. Variants: {@link
 * #none()}, {@link #pem} (a certificate chain and its private key in PEM files), {@link
 * #selfSigned} (a fresh P-256 certificate for a host name, valid for a year; clients must be told
 * to trust it, e.g. {@code curl -k}).
 */
public final class GatewayTls {
  private final SslContext context;
  private final String description;

  private GatewayTls(SslContext context, String description) {
    this.context = context;
    this.description = description;
  }

  /** Plain HTTP. */
  public static GatewayTls none() {
    return new GatewayTls(null, "plain HTTP");
  }

  /**
   * HTTPS with the certificate chain in {@code certPem} and its PKCS#8 (or PKCS#1) private key in
   * {@code keyPem}.
   *
   * @throws IOException naming the file that cannot be read or used
   */
  public static GatewayTls pem(Path certPem, Path keyPem) throws IOException {
    Objects.requireNonNull(certPem, "certPem");
    Objects.requireNonNull(keyPem, "keyPem");
    for (Path p : new Path[] {certPem, keyPem}) {
      if (!Files.isReadable(p)) {
        throw new IOException("cannot read " + p);
      }
    }
    try {
      return new GatewayTls(
          SslContextBuilder.forServer(certPem.toFile(), keyPem.toFile()).build(),
          "HTTPS with " + certPem);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot use certificate " + certPem + " with key " + keyPem + ": " + e.getMessage(), e);
    }
  }

  /** HTTPS with a new self-signed certificate for {@code host} (also valid for localhost). */
  public static GatewayTls selfSigned(String host, SecureRandom random) throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = g.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + host.replace(",", "") + ",O=DeOSS gateway");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, random),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              name,
              pair.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(isIp(host) ? GeneralName.iPAddress : GeneralName.dNSName, host),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
      return new GatewayTls(
          SslContextBuilder.forServer(pair.getPrivate(), cert).build(),
          "HTTPS with a self-signed certificate for " + host);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static boolean isIp(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** The server context, or null for plain HTTP. */
  SslContext context() {
    return context;
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return context == null ? "http" : "https";
  }

  @Override
  public String toString() {
    return description;
  }
}
