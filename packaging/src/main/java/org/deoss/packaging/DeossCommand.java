package org.deoss.packaging;

import picocli.CommandLine.Command;

/** The top-level {@code deoss} command: a list of subcommands. */
@Command(
    name = "deoss",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Decentralized object storage: encrypted, erasure-coded, on independent miners.",
    subcommands = {
      UpCommand.class,
      WalletCommand.class,
      FaucetCommand.class,
      SpaceCommand.class,
      BucketCommand.class,
      PutCommand.class,
      GetCommand.class,
      LsCommand.class,
      RmCommand.class,
      ShareCommand.class,
      AuthorizeCommand.class,
      DeauthorizeCommand.class,
      MountCommand.class,
      UmountCommand.class,
      StatusCommand.class,
      NodeCommand.class,
      MinerCommand.class,
      GatewayCommand.class,
      RepairCommand.class,
      BenchCommand.class,
      CompletionCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
final class DeossCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
