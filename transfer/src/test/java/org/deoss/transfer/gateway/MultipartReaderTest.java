package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  private static final String B = "----deossBoundary7MA4YWxk";

  private static byte[] form(byte[] file, boolean preamble) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        (preamble ? "ignored preamble\r\n" : "")
            + "--"
            + B
            + "\r\n"
            + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
            + "hello\r\n"
            + "--"
            + B
            + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"d\\\"ir/a b.png\"\r\n"
            + "Content-Type: image/png\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + B + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Hands out at most a random few bytes per read, so boundaries straddle reads. */
  private static InputStream trickle(byte[] data, SplittableRandom random) {
    return new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 1 + random.nextInt(97)), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  @Test
  void next_readsPartsNamesAndBytes_whateverTheReadSizes() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      byte[] file = new byte[random.nextInt(200_000)];
      random.nextBytes(file);
      // Bytes that look like a boundary but are not one.
      byte[] near = ("\r\n--" + B.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(near, 0, file, file.length / 2, Math.min(near.length, file.length / 2));
      MultipartReader r = new MultipartReader(trickle(form(file, seed % 2 == 0), random), B);
      MultipartReader.Part note = r.next();
      assertEquals("note", note.name(), "seed " + seed);
      assertNull(note.filename());
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), note.body().readAllBytes());
      MultipartReader.Part f = r.next();
      assertEquals("file", f.name());
      assertEquals("d\"ir/a b.png", f.filename());
      assertEquals("image/png", f.contentType());
      assertArrayEquals(file, f.body().readAllBytes(), "seed " + seed);
      assertNull(r.next(), "seed " + seed);
    }
  }

  @Test
  void next_skipsAnUnreadPart() throws IOException {
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(form(new byte[10], false)), B);
    r.next();
    assertEquals("file", r.next().name());
    assertNull(r.next());
  }

  @Test
  void read_whenClosingBoundaryMissing_is400() throws IOException {
    byte[] cut = java.util.Arrays.copyOf(form(new byte[5000], false), 3000);
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(cut), B);
    r.next();
    MultipartReader.Part f = r.next();
    GatewayError e = assertThrows(GatewayError.class, () -> f.body().readAllBytes());
    assertEquals(400, e.status().code());
    assertTrue(e.getMessage().contains("closing boundary"), e.getMessage());
  }

  @Test
  void next_whenPartHasNoDisposition_is400() {
    byte[] body =
        ("--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--")
            .getBytes(StandardCharsets.UTF_8);
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), B);
    GatewayError e = assertThrows(GatewayError.class, r::next);
    assertTrue(e.getMessage().contains("Content-Disposition"), e.getMessage());
  }

  @Test
  void next_whenHeadersNeverEnd_is400() {
    byte[] body = ("--" + B + "\r\nX: " + "y".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), B);
    GatewayError e = assertThrows(GatewayError.class, r::next);
    assertEquals(400, e.status().code());
  }

  @Test
  void boundary_readsQuotedAndPlainParameters() {
    assertEquals("abc", MultipartReader.boundary("multipart/form-data; boundary=abc"));
    assertEquals("a b", MultipartReader.boundary("multipart/form-data; boundary=\"a b\""));
    assertNull(MultipartReader.boundary("multipart/form-data"));
    assertThrows(
        GatewayError.class, () -> new MultipartReader(InputStream.nullInputStream(), null));
  }
}
