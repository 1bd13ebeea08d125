package org.deoss.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SpaceState;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest extends LedgerClientContract {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  @Override
  protected LedgerClient open(Genesis genesis) {
    return new InMemoryLedger(genesis, clock::get);
  }

  @Test
  void tick_runsBlockHooksAtTheClockTime() throws Exception {
    submit(users.get(0), new Call.BuySpace(1, 1));
    clock.addAndGet(Genesis.DAY_MILLIS);
    ((InMemoryLedger) ledger).tick();
    assertEquals(SpaceState.FROZEN, ledger.account(users.get(0).id()).space().state());
    assertEquals(clock.get(), ledger.head().timeMillis());
  }
}
