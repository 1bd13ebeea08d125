package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter err = new PrintWriter(text, true);
  private final AtomicLong clock = new AtomicLong();

  @Test
  void aTransferShorterThanASecond_drawsNothing() {
    ProgressBar bar = new ProgressBar(err, "put x", 100, clock::get);
    clock.set(900_000_000L);
    bar.progress(100);
    bar.close();
    assertEquals("", text.toString());
  }

  @Test
  void aLongTransfer_drawsPercentAndEndsTheLine() {
    ProgressBar bar = new ProgressBar(err, "put x", 1 << 20, clock::get);
    clock.set(1_500_000_000L);
    bar.progress(1 << 19);
    assertTrue(text.toString().contains(" 50% 512.0 KiB / 1.0 MiB"), text.toString());
    clock.addAndGet(10_000_000L);
    int before = text.toString().length();
    bar.progress(600_000);
    assertEquals(before, text.toString().length(), "redrawn at most every 100 ms");
    clock.addAndGet(500_000_000L);
    bar.progress(1 << 20);
    bar.close();
    assertTrue(text.toString().contains("100%"), text.toString());
    assertTrue(text.toString().endsWith(System.lineSeparator()), "the line is ended");
  }

  @Test
  void anUnknownTotal_showsBytesAndRate() {
    ProgressBar bar = new ProgressBar(err, "put -", -1, clock::get);
    clock.set(2_000_000_000L);
    bar.progress(4096);
    assertTrue(text.toString().contains("put - 4.0 KiB 2.0 KiB/s"), text.toString());
  }

  @Test
  void disabled_isTheSilentListener() {
    assertSame(ProgressListener.NONE, ProgressBar.open(false, err, "x", 1, clock::get));
  }
}
