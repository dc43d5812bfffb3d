import pg from 'pg';
import type { NotificationListener, Subscription } from '../sql/sql-driver.js';

/** Waits before reconnecting a dropped listening connection: short, then backing off to this. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * A `LISTEN` on its own connection (postgresql.org/docs/current/sql-listen.html), kept open for the life of the
 * subscription. NOTIFY reaches only connected listeners: when the connection drops, `live` turns false and the
 * listener hears of a gap; once reconnected it hears of another, for the messages sent in between were lost.
 */
export async function listenOn(connectionString: string, channel: string, listener: NotificationListener): Promise<Subscription> {
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let delay = 100;

  const retire = (old: pg.Client) => {
    old.removeAllListeners();
    old.on('error', () => undefined); // a dropped connection may still report late errors
    void old.end().catch(() => undefined);
  };

  /** Connects and listens; the connection is retired again if either step fails. */
  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString });
    next.on('error', () => undefined);
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return next;
    } catch (err) {
      retire(next);
      throw err;
    }
  }

  function adopt(next: pg.Client): void {
    if (closed) return retire(next);
    next.removeAllListeners('error');
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) listener.message(message.payload);
    });
    client = next;
    live = true;
    delay = 100;
  }

  function lost(old: pg.Client): void {
    retire(old);
    if (client !== old || closed) return;
    client = undefined;
    live = false;
    listener.gap();
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    setTimeout(() => {
      if (closed) return;
      connect().then(
        (next) => {
          adopt(next);
          listener.gap(); // what was sent while nobody listened is lost
        },
        () => scheduleReconnect(),
      );
    }, delay).unref();
    delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
  }

  adopt(await connect());
  return {
    get live() {
      return live;
    },
    async close() {
      closed = true;
      live = false;
      if (client) retire(client);
      client = undefined;
    },
  };
}
