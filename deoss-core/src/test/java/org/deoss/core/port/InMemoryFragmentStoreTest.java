package org.deoss.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InMemoryFragmentStoreTest extends FragmentStoreContract {
  @Override
  protected FragmentStore newStore() {
    return new InMemoryFragmentStore(4L << 20);
  }

  @Test
  void offline_failsEveryRequestWithUnavailable() {
    InMemoryFragmentStore store = new InMemoryFragmentStore(1 << 20);
    store.setOnline(false);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> store.put(idOf(new byte[1]), ByteBuffer.wrap(new byte[1])).get());
    assertEquals(
        FragmentStoreException.Reason.UNAVAILABLE,
        ((FragmentStoreException) e.getCause()).reason());
  }
}
