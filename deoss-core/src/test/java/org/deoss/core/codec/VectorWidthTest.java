package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VectorWidthTest {
  private static final Optional<Set<String>> VBMI = Optional.of(Set.of("avx2", "avx512vbmi"));
  private static final Optional<Set<String>> NO_VBMI = Optional.of(Set.of("avx2", "avx512bw"));

  @Test
  void choose_512WithVbmi_keeps512() {
    assertEquals(512, VectorWidth.choose(512, "", "amd64", VBMI));
  }

  @Test
  void choose_512WithoutVbmiOrUnknownFlags_fallsTo256() {
    assertEquals(256, VectorWidth.choose(512, "", "amd64", NO_VBMI));
    assertEquals(256, VectorWidth.choose(512, "", "x86_64", Optional.empty()));
  }

  @Test
  void choose_otherArchitectures_keepPreferred() {
    assertEquals(512, VectorWidth.choose(512, "", "aarch64", Optional.empty()));
    assertEquals(128, VectorWidth.choose(128, "", "aarch64", Optional.empty()));
  }

  @Test
  void choose_requestNarrowsButNeverWidens() {
    assertEquals(128, VectorWidth.choose(512, "128", "amd64", VBMI));
    assertEquals(256, VectorWidth.choose(512, "256", "amd64", VBMI));
    assertEquals(256, VectorWidth.choose(256, "512", "amd64", VBMI));
    assertEquals(256, VectorWidth.choose(512, "512", "amd64", NO_VBMI));
  }

  @Test
  void choose_invalidRequest_isIgnored() {
    assertEquals(512, VectorWidth.choose(512, "64", "amd64", VBMI));
    assertEquals(256, VectorWidth.choose(256, "wide", "amd64", VBMI));
  }

  @Test
  void parseFlags_readsWordsAfterColon() {
    assertEquals(
        Set.of("fpu", "avx512vbmi", "gfni"),
        VectorWidth.parseFlags("flags\t\t: fpu AVX512VBMI  gfni"));
  }
}
