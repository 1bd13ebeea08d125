package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss wallet create | show | import | export}: the account's key file. */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    description = "Create, show, import or export the account wallet (an encrypted key file).",
    subcommands = {
      WalletCommand.Create.class,
      WalletCommand.Show.class,
      WalletCommand.Import.class,
      WalletCommand.Export.class
    })
final class WalletCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by the subcommands. */
  static final class WalletOptions {
    @Mixin HomeOptions home;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "Wallet file (default: HOME/wallet.json).")
    Path file;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "Read the passphrase from FILE (else $DEOSS_PASSPHRASE, else a prompt).")
    Path passphraseFile;

    Path walletFile() {
      return file != null ? file : home.wallet();
    }

    /** The wallet file, which must exist. */
    Path existing() {
      Path f = walletFile();
      if (!Files.exists(f)) {
        throw new UserException("no wallet at " + f + "; create one with: deoss wallet create");
      }
      return f;
    }

    AccountKeys open() throws IOException {
      return Wallet.open(existing(), Passphrases.read(home.passphraseFile(passphraseFile), false));
    }

    void write(AccountKeys keys) throws IOException {
      Path f = walletFile();
      if (f.getParent() != null) {
        Files.createDirectories(f.getParent());
      }
      try {
        Wallet.create(
            f,
            keys,
            Passphrases.read(passphraseFile, true),
            WalletParams.DEFAULT,
            new SecureRandom());
      } catch (FileAlreadyExistsException e) {
        throw new UserException(
            "a wallet already exists at "
                + f
                + "; it is never overwritten (use --file for another)");
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Make a new account and write its encrypted wallet; prints the address.")
  static final class Create implements Callable<Integer> {
    @Mixin WalletOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      AccountKeys keys = AccountKeys.generate(new SecureRandom());
      options.write(keys);
      PrintWriter out = spec.commandLine().getOut();
      out.println(keys.id().address());
      out.flush();
      spec.commandLine().getErr().println("wallet written to " + options.walletFile());
      keys.destroy();
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the wallet's address (no passphrase needed).")
  static final class Show implements Callable<Integer> {
    @Mixin WalletOptions options;
    @Spec CommandSpec spec;

    @Option(names = "--verify", description = "Also open the wallet to check the passphrase.")
    boolean verify;

    @Override
    public Integer call() throws IOException {
      AccountId id = verify ? options.open().id() : Wallet.peekAddress(options.existing());
      PrintWriter out = spec.commandLine().getOut();
      out.println(id.address());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Write a wallet for an existing Ed25519 secret seed (64 hex characters).")
  static final class Import implements Callable<Integer> {
    @Mixin WalletOptions options;
    @Spec CommandSpec spec;

    @Option(
        names = "--seed-file",
        required = true,
        paramLabel = "FILE",
        description = "File holding the secret seed as 64 hex characters.")
    Path seedFile;

    @Override
    public Integer call() throws IOException {
      String hex = Files.readString(seedFile).strip();
      byte[] seed;
      try {
        seed = HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new UserException("the seed in " + seedFile + " is not hex");
      }
      if (seed.length != AccountKeys.SEED_LENGTH) {
        throw new UserException(
            "the seed in " + seedFile + " has " + seed.length + " bytes; it must have 32");
      }
      AccountKeys keys = AccountKeys.fromSeed(seed);
      options.write(keys);
      spec.commandLine().getOut().println(keys.id().address());
      spec.commandLine().getOut().flush();
      keys.destroy();
      return 0;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Print the secret seed (64 hex characters). Anyone holding it owns the account.")
  static final class Export implements Callable<Integer> {
    @Mixin WalletOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      AccountKeys keys = options.open();
      spec.commandLine()
          .getErr()
          .println(
              "warning: this is the secret key of " + keys.id().address() + "; keep it offline");
      spec.commandLine().getOut().println(HexFormat.of().formatHex(keys.seed()));
      spec.commandLine().getOut().flush();
      keys.destroy();
      return 0;
    }
  }
}
