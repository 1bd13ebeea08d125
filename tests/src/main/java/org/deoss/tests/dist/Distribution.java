package org.deoss.tests.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The artifacts the packaging module builds in its {@code target/}: the distribution folder {@code
 * dist/deoss-VERSION/} (bin/ lib/ conf/) and the Debian package {@code deoss_VERSION_all.deb}. The
 * reactor packages the packaging module before the tests run ({@code mvn -pl tests -am verify}); a
 * missing artifact fails with the command that builds it.
 */
public final class Distribution {
  private Distribution() {}

  /** packaging/target, seen from the tests module (Maven runs tests in the module folder). */
  static Path packagingTarget() {
    Path fromModule = Path.of("..", "packaging", "target").toAbsolutePath().normalize();
    if (Files.isDirectory(fromModule)) {
      return fromModule;
    }
    return Path.of("packaging", "target").toAbsolutePath().normalize();
  }

  /** The distribution folder {@code deoss-VERSION/}. */
  public static Path folder() throws IOException {
    Path dist = packagingTarget().resolve("dist");
    List<Path> found = list(dist, "deoss-");
    if (found.size() != 1) {
      throw new IllegalStateException(
          "expected one distribution in "
              + dist
              + ", found "
              + found
              + "; build it with: mvn -B -o -pl tests -am verify (the package phase makes it)");
    }
    return found.get(0);
  }

  /** {@code bin/deoss} of the distribution. */
  public static Path deoss() throws IOException {
    return folder().resolve("bin").resolve("deoss");
  }

  /** The Debian package, or empty where dpkg-deb did not exist at build time. */
  public static java.util.Optional<Path> debianPackage() throws IOException {
    List<Path> found =
        list(packagingTarget(), "deoss_").stream()
            .filter(p -> p.getFileName().toString().endsWith(".deb"))
            .toList();
    return found.size() == 1 ? java.util.Optional.of(found.get(0)) : java.util.Optional.empty();
  }

  private static List<Path> list(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }
}
