package org.deoss.core.codec;

import java.util.ArrayList;
import java.util.List;

/** The kernels to run each coding test against: always scalar, vector where it can run. */
final class KernelSource {
  private KernelSource() {}

  static List<GfKernel> kernels() {
    List<GfKernel> kernels = new ArrayList<>();
    kernels.add(ScalarKernel.INSTANCE);
    Kernels.vector().ifPresent(kernels::add);
    return kernels;
  }
}
