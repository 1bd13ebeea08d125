package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel and vector width are fixed once per JVM, so other choices run in child JVMs and are
 * checked against the scalar kernel: narrower vector widths than this machine's, and a JVM without
 * the {@code jdk.incubator.vector} module, which must fall back to the scalar kernel.
 */
class VectorKernelWidthsTest {
  @ParameterizedTest
  @ValueSource(strings = {"128", "256"})
  void vectorKernel_atNarrowerWidth_equalsScalar(String bits) throws Exception {
    assumeTrue(Kernels.vector().isPresent(), "vector kernel not available");
    String out =
        runChild(
            List.of("--add-modules=jdk.incubator.vector", "-D" + VectorWidth.PROPERTY + "=" + bits),
            "1" + bits);
    int here =
        Integer.parseInt(Kernels.vector().orElseThrow().name().substring("vector-".length()));
    int expected = Math.min(here, Integer.parseInt(bits));
    assertTrue(out.contains("vector-" + expected + "\n"), out);
  }

  @Test
  void withoutVectorModule_fallsBackToScalar() throws Exception {
    String out = runChild(List.of(), "77");
    assertTrue(out.startsWith("scalar\n"), out);
  }

  /** Runs {@link KernelCrossCheck} in a child JVM; returns its output after checking it passed. */
  private static String runChild(List<String> jvmArgs, String seed) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), KernelCrossCheck.class.getName(), seed));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.endsWith("ok\n"), out);
    return out.replace("WARNING: Using incubator modules: jdk.incubator.vector\n", "");
  }
}
