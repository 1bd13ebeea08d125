package org.deoss.transfer.miner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the store tests. */
final class StoreFixtures {
  private StoreFixtures() {}

  static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static Hash256 idOf(byte[] data) {
    return FragmentMerkle.root(data, 0, data.length);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  static byte[] getAll(DiskFragmentStore store, Hash256 id) throws Exception {
    ByteBuffer b = await(store.get(id));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The failure reason of a future that must fail with a FragmentStoreException. */
  static FragmentStoreException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    if (e.getCause() instanceof FragmentStoreException fse) {
      return fse;
    }
    throw new AssertionError("expected a FragmentStoreException", e.getCause());
  }

  static FragmentStoreException fails(Reason reason, Executable call) {
    FragmentStoreException e = assertThrows(FragmentStoreException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  /** Every regular file under the data folder except the FORMAT marker and the lock file. */
  static List<Path> dataFiles(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.equals(root.resolve("FORMAT")) && !p.equals(root.resolve(".lock")))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
