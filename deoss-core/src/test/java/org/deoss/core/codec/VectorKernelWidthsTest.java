package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector width is fixed once per JVM, so widths narrower than this machine's are checked in
 * child JVMs against the scalar kernel.
 */
class VectorKernelWidthsTest {
  @ParameterizedTest
  @ValueSource(strings = {"128", "256"})
  void vectorKernel_atNarrowerWidth_equalsScalar(String bits) throws Exception {
    assumeTrue(Kernels.vector().isPresent(), "vector kernel not available");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "--add-modules=jdk.incubator.vector",
                    "-D" + VectorWidth.PROPERTY + "=" + bits,
                    "-cp",
                    System.getProperty("java.class.path"),
                    KernelCrossCheck.class.getName(),
                    "1" + bits))
            .redirectErrorStream(true)
            .start();
    String out = read(p);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
    assertEquals(0, p.exitValue(), out);
    int here =
        Integer.parseInt(Kernels.vector().orElseThrow().name().substring("vector-".length()));
    int expected = Math.min(here, Integer.parseInt(bits));
    assertTrue(out.contains("vector-" + expected + "\n"), out);
    assertTrue(out.endsWith("ok\n"), out);
  }

  private static String read(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
