package org.deoss.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/** What the long-running commands share: log files, address files, waiting for a signal. */
final class Daemons {
  private Daemons() {}

  /** Sends this process's log to {@code home/logs/NAME.log}; call before anything logs. */
  static Path logTo(Path home, String name) throws IOException {
    Path logs = home.resolve("logs");
    Files.createDirectories(logs);
    Path file = logs.resolve(name + ".log");
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }
    return file;
  }

  /** Writes {@code text} to {@code file} atomically, so readers never see half of it. */
  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Runs {@code stop} on SIGINT/SIGTERM and blocks until it has run. */
  static void awaitSignal(Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.run();
                  } finally {
                    stopped.countDown();
                  }
                },
                "deoss-shutdown"));
    stopped.await();
  }
}
