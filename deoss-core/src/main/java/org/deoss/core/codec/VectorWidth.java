package org.deoss.core.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Chooses the vector width of {@link VectorKernel}, without touching the Vector API.
 *
 * <p>The widest shape the JVM prefers is not always usable: HotSpot compiles a 512-bit byte shuffle
 * to {@code vpermb} only on CPUs with AVX-512 VBMI; elsewhere (Skylake-X, Cascade Lake) the shuffle
 * would run as plain Java, a hundred times slower. So on x86 a 512-bit preference is kept only when
 * the CPU flags (read from {@code /proc/cpuinfo} on Linux) show {@code avx512vbmi}; otherwise, or
 * when the flags cannot be read, 256 bits. The system property {@value #PROPERTY} (128, 256 or 512)
 * narrows the choice for measurements; it cannot widen it, and other values are ignored.
 */
final class VectorWidth {
  static final String PROPERTY = "org.deoss.codec.vectorBits";

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private VectorWidth() {}

  /** The width for this JVM and CPU. */
  static int choose(int preferredBits) {
    return choose(
        preferredBits,
        System.getProperty(PROPERTY, ""),
        System.getProperty("os.arch", ""),
        cpuFlags());
  }

  /**
   * The rule, with its inputs explicit.
   *
   * @param preferredBits the JVM's preferred vector size for bytes
   * @param requested the property value, empty when unset
   * @param arch the {@code os.arch} value
   * @param cpuFlags the CPU's feature flags, empty when unknown
   */
  static int choose(
      int preferredBits, String requested, String arch, Optional<Set<String>> cpuFlags) {
    int bits = preferredBits;
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
    if (bits > 256 && x86 && !cpuFlags.map(flags -> flags.contains("avx512vbmi")).orElse(false)) {
      bits = 256;
    }
    switch (requested) {
      case "128":
      case "256":
      case "512":
        return Math.min(bits, Integer.parseInt(requested));
      default:
        return bits;
    }
  }

  /** The flags of the first CPU in {@code /proc/cpuinfo}, or empty where there is none. */
  static Optional<Set<String>> cpuFlags() {
    try (Stream<String> lines = Files.lines(CPUINFO, StandardCharsets.US_ASCII)) {
      return lines
          .filter(line -> line.startsWith("flags"))
          .findFirst()
          .map(VectorWidth::parseFlags);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The set of words after the colon of a {@code flags : ...} line, lower case. */
  static Set<String> parseFlags(String line) {
    int colon = line.indexOf(':');
    return Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
        .map(s -> s.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }
}
