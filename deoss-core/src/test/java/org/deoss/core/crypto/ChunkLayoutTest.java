package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChunkLayoutTest {
  private final ChunkLayout layout = ChunkLayout.of(4096, 10_000);

  @Test
  void chunks_ofTenThousandBytes_atFourKiB() {
    assertEquals(3, layout.chunkCount());
    assertEquals(28 + 10_000 + 3 * 16, layout.encryptedLength());
    assertEquals(28, layout.chunkOffset(0));
    assertEquals(28 + 4112, layout.chunkOffset(1));
    assertEquals(28 + 2 * 4112, layout.chunkOffset(2));
    assertEquals(10_000 - 2 * 4096, layout.chunkPlaintextLength(2));
    assertEquals(10_000 - 2 * 4096 + 16, layout.chunkEncryptedLength(2));
  }

  @Test
  void encryptedSpan_coversExactlyTheTouchedChunks() {
    assertEquals(new ChunkLayout.Span(28, 2 * 4112), layout.encryptedSpan(4000, 200));
    assertEquals(new ChunkLayout.Span(28 + 4112, 4112), layout.encryptedSpan(4096, 4096));
    assertEquals(
        new ChunkLayout.Span(28 + 2 * 4112, 10_000 - 8192 + 16), layout.encryptedSpan(9999, 1));
    assertEquals(new ChunkLayout.Span(28, 0), layout.encryptedSpan(5000, 0));
    assertEquals(28 + 4112, layout.rangeInputLength(0, 1));
  }

  @Test
  void emptySegment_hasOneEmptyChunk() {
    ChunkLayout empty = ChunkLayout.of(4096, 0);
    assertEquals(1, empty.chunkCount());
    assertEquals(0, empty.chunkPlaintextLength(0));
    assertEquals(44, empty.encryptedLength());
  }

  @Test
  void badArguments_nameTheValue() {
    assertThrows(IllegalArgumentException.class, () -> layout.encryptedSpan(9_999, 2));
    assertThrows(IllegalArgumentException.class, () -> layout.chunkOffset(3));
    assertThrows(IllegalArgumentException.class, () -> ChunkLayout.of(4096, -1));
    assertThrows(IllegalArgumentException.class, () -> ChunkLayout.of(1024, 1));
    assertThrows(
        IllegalArgumentException.class, () -> ChunkLayout.of(4096, Integer.MAX_VALUE - 10));
  }
}
