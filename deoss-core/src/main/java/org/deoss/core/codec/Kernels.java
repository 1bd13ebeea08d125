package org.deoss.core.codec;

import java.util.Optional;

/** Chooses the multiply kernel at run time, touching the Vector API only when it is present. */
final class Kernels {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private Kernels() {}

  /** The vector kernel when the module is present and the CPU has wide enough vectors. */
  static Optional<GfKernel> vector() {
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      return Optional.empty();
    }
    try {
      return VectorHolder.KERNEL;
    } catch (LinkageError e) {
      return Optional.empty();
    }
  }

  /** The fastest kernel available here. */
  static GfKernel best() {
    return vector().orElse(ScalarKernel.INSTANCE);
  }

  /** Defers loading of {@link VectorKernel} until the module check has passed. */
  private static final class VectorHolder {
    static final Optional<GfKernel> KERNEL =
        VectorKernel.usable() ? Optional.of(VectorKernel.INSTANCE) : Optional.empty();
  }
}
