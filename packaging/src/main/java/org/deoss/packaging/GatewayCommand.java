package org.deoss.packaging;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.gateway.GatewayOptions;
import org.deoss.transfer.gateway.GatewayServer;
import org.deoss.transfer.gateway.GatewayTls;
import org.deoss.transfer.node.RemoteLedgerClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss gateway}: the HTTP gateway, acting for the accounts that authorize it. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Run the HTTP gateway: DeOSS-style routes to store and read objects over HTTP(S), for the"
          + " accounts that authorize the gateway's account (deoss authorize ADDRESS).",
      "The gateway has its own account, in HOME/gateway-wallet.json (created on first start,"
          + " with the wallet passphrase). Its URL is written to HOME/gateway.url; logs go to"
          + " HOME/logs/gateway.log. Stop it with Ctrl-C or SIGTERM. The routes are described in"
          + " docs/GATEWAY.md."
    })
final class GatewayCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "Ledger node URL (default: the URL in HOME/node.url, as deoss node writes).")
  URI node;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Tls tls;

  /** HTTPS: either a certificate and its key, or a self-signed certificate. */
  static final class Tls {
    @ArgGroup(exclusive = false)
    Pem pem;

    @Option(
        names = "--tls-self-signed",
        description = "Serve HTTPS with a new self-signed certificate (clients: curl -k).")
    boolean selfSigned;
  }

  static final class Pem {
    @Option(
        names = "--tls-cert",
        required = true,
        paramLabel = "PEM",
        description = "Serve HTTPS with this certificate chain (PEM).")
    Path cert;

    @Option(
        names = "--tls-key",
        required = true,
        paramLabel = "PEM",
        description = "The certificate's private key (PEM, PKCS#8 or PKCS#1).")
    Path key;
  }

  @Option(
      names = "--max-object",
      paramLabel = "SIZE",
      defaultValue = "64GiB",
      description = "Largest object an upload may carry (default: ${DEFAULT-VALUE}).")
  String maxObject;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "Close a connection that sends nothing this long while the gateway waits for it"
              + " (default: ${DEFAULT-VALUE}).")
  long idleSeconds;

  @Option(
      names = "--upload-slots",
      paramLabel = "N",
      description =
          "Uploads encoded at once; more wait their turn (default: what the heap holds, 1..4;"
              + " each takes about nine segments of memory).")
  Integer uploadSlots;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Wallet passphrase file.")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    Path dir = home.home();
    Files.createDirectories(dir);
    Daemons.logTo(dir, "gateway");
    HostPort hp = HostPort.parse(listen, "--listen");
    long max = Sizes.parse(maxObject);
    if (max < 1) {
      throw new UserException("--max-object " + maxObject + ": give at least 1 byte");
    }
    if (idleSeconds < 1) {
      throw new UserException("--idle-timeout " + idleSeconds + ": give at least 1 second");
    }
    PipelineConfig pipeline = PipelineConfig.defaults();
    int slots = uploadSlots != null ? uploadSlots : slotsForHeap(pipeline.segmentSize());
    if (slots < 1) {
      throw new UserException("--upload-slots " + slots + ": give at least 1");
    }
    GatewayTls gatewayTls = tls();
    URI url = home.node(node);
    AccountKeys keys = wallet(dir.resolve("gateway-wallet.json"));
    RemoteLedgerClient ledger =
        RemoteLedgerClient.connect(url, RemoteLedgerClient.Options.defaults());
    StorageClient client = new StorageClient(keys, ledger, pipeline);
    GatewayServer server;
    try {
      GatewayOptions options =
          GatewayOptions.defaults(new InetSocketAddress(hp.host(), hp.port()))
              .withTls(gatewayTls)
              .withMaxObjectBytes(max)
              .withIdleTimeout(Duration.ofSeconds(idleSeconds))
              .withUploadSlots(slots);
      GatewayServer.Backend backend = GatewayServer.Backend.of(keys, ledger, client);
      server = GatewayServer.start(options, backend, new VersionProvider().getVersion()[0]);
    } catch (RuntimeException e) {
      client.close();
      ledger.close();
      if (e.getCause() instanceof java.net.BindException) {
        throw new UserException("cannot listen on " + listen + ": " + e.getMessage(), e);
      }
      throw e;
    }
    Daemons.writeAtomically(dir.resolve("gateway.url"), server.uri().toString());
    spec.commandLine()
        .getOut()
        .println(
            "gateway "
                + keys.id()
                + " at "
                + server.uri()
                + "; owners authorize it with: deoss authorize "
                + keys.id());
    spec.commandLine().getOut().flush();
    Daemons.awaitSignal(
        () -> {
          server.close();
          client.close();
          ledger.close();
        });
    return 0;
  }

  private GatewayTls tls() throws java.io.IOException {
    if (tls == null) {
      return GatewayTls.none();
    }
    if (tls.selfSigned) {
      String host = HostPort.parse(listen, "--listen").host();
      return GatewayTls.selfSigned(
          host.equals("0.0.0.0") || host.isEmpty() ? "localhost" : host, new SecureRandom());
    }
    try {
      return GatewayTls.pem(tls.pem.cert, tls.pem.key);
    } catch (java.io.IOException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  /**
   * Uploads that fit the heap at once: an upload holds about nine segments (the plain segment, the
   * encrypted one, and the fragments of two segments in flight), and 96 MiB stay for the rest.
   */
  static int slotsForHeap(int segmentSize) {
    long perUpload = 9L * segmentSize;
    long spare = Runtime.getRuntime().maxMemory() - (96L << 20);
    return (int) Math.max(1, Math.min(4, spare / perUpload));
  }

  /** The gateway's own account: its wallet, created on first start. */
  private AccountKeys wallet(Path file) throws java.io.IOException {
    char[] passphrase = Passphrases.read(home.passphraseFile(passphraseFile), false);
    if (!Files.exists(file)) {
      Wallet.create(
          file,
          AccountKeys.generate(new SecureRandom()),
          passphrase,
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    return Wallet.open(file, passphrase);
  }
}
