import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDriver } from '../../src/storage/sqlite/sqlite-driver.js';

/**
 * The embedded store's writes: concurrent transactions committed together, each still all-or-nothing on its own;
 * transactions of writes alone committed on a thread of their own.
 */
describe('SQLite writes', () => {
  let dir: string;
  let driver: SqliteDriver;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccf-group-'));
    driver = new SqliteDriver({ filename: join(dir, 'db.sqlite') });
    await driver.transaction((c) => c.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)'));
  });
  afterEach(async () => {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a failing transaction in a batch rolls back alone; the others are committed and visible to readers', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        driver.transaction(async (c) => {
          await c.run('INSERT INTO t (k, v) VALUES (?, ?)', [`a${i}`, i]);
          await new Promise((resolve) => setImmediate(resolve)); // let other transactions queue meanwhile
          await c.run('INSERT INTO t (k, v) VALUES (?, ?)', [`b${i}`, i]);
          if (i % 5 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const rows = await driver.reader.all<{ k: string }>('SELECT k FROM t ORDER BY k');
    expect(rows).toHaveLength(32);
    expect(rows.some((r) => r.k === 'a5' || r.k === 'b5')).toBe(false);
    expect(rows.some((r) => r.k === 'a6') && rows.some((r) => r.k === 'b6')).toBe(true);
  });

  test('a transaction reads its own writes; readers see nothing before its commit', async () => {
    let seenInside = -1;
    let seenByReader = -1;
    await driver.transaction(async (c) => {
      await c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['x', 1]);
      seenInside = (await c.all('SELECT k FROM t')).length;
      seenByReader = (await driver.reader.all('SELECT k FROM t')).length;
    });
    expect(seenInside).toBe(1);
    expect(seenByReader).toBe(0);
    expect((await driver.reader.all('SELECT k FROM t')).length).toBe(1);
  });

  test('a constraint violation fails only its own transaction', async () => {
    await driver.transaction((c) => c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['dup', 1]));
    const [dup, ok] = await Promise.allSettled([
      driver.transaction((c) => c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['dup', 2])),
      driver.transaction((c) => c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['fine', 3])),
    ]);
    expect(dup.status).toBe('rejected');
    expect(ok.status).toBe('fulfilled');
    expect((await driver.reader.all('SELECT k FROM t WHERE k = ?', ['fine'])).length).toBe(1);
  });

  /** Resolves at the event loop's next turn with the number of rows a reader sees whose key starts with `prefix`. */
  const countAtNextTurn = (prefix: string) =>
    new Promise<number>((resolve) =>
      setImmediate(() => void driver.reader.all<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE k LIKE ?', [`${prefix}%`]).then((r) => resolve(r[0].n))),
    );
  const rows = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]);

  test('writes alone, waiting by themselves, commit on the background writer while the main thread goes on', async () => {
    let committed = false;
    const background = driver.writeTransaction([{ table: 't', columns: ['k', 'v'], rows: rows('bg', 5000) }]).then(() => (committed = true));
    // On the writer's connection these writes would be done before the event loop's next turn, every request waiting.
    expect(await countAtNextTurn('bg')).toBe(0);
    expect(committed).toBe(false);
    // A transaction queued meanwhile waits for them, then sees them.
    const after = await driver.transaction((c) => c.all<{ n: number }>('SELECT COUNT(*) AS n FROM t'));
    expect(committed).toBe(true);
    expect(after[0].n).toBe(5000);
    await background;
  });

  test('writes alone queued with other transactions join their batch, in queue order', async () => {
    let committed = false;
    const writes = driver.writeTransaction([{ table: 't', columns: ['k', 'v'], rows: rows('w', 5000) }]).then(() => (committed = true));
    const after = driver.transaction(async (c) => {
      await c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['after', 0]);
      return c.all<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    });
    expect(await countAtNextTurn('w')).toBe(5000);
    expect(committed).toBe(true);
    await writes;
    expect((await after)[0].n).toBe(5001);
  });

  test('writes alone that fail on the background writer roll back whole and reject with SQLite\'s reason', async () => {
    await driver.transaction((c) => c.run('INSERT INTO t (k, v) VALUES (?, ?)', ['dup', 1]));
    const failing = driver.writeTransaction([
      { sql: 'UPDATE t SET v = ? WHERE k = ?', params: [2, 'dup'] },
      { table: 't', columns: ['k', 'v'], rows: [['new', 3], ['dup', 4]] },
    ]);
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await driver.writeTransaction([{ table: 't', columns: ['k', 'v'], rows: [['next', 5]] }]);
    expect(await driver.reader.all('SELECT k, v FROM t ORDER BY k')).toEqual([
      { k: 'dup', v: 1 },
      { k: 'next', v: 5 },
    ]);
  });

  test('the planner gets statistics at start-up, averages only: no STAT4 samples, which would replan every bound query', async () => {
    await driver.transaction(async (c) => {
      await c.run('CREATE INDEX t_v ON t (v)');
      for (let i = 0; i < 2000; i++) await c.run('INSERT INTO t (k, v) VALUES (?, ?)', [`s${i}`, i % 7]);
    });
    await driver.close();
    driver = new SqliteDriver({ filename: join(dir, 'db.sqlite') });
    const stat1 = await driver.reader.all<{ idx: string }>('SELECT idx FROM sqlite_stat1');
    expect(stat1.map((r) => r.idx)).toContain('t_v');
    expect(await driver.reader.all('SELECT * FROM sqlite_stat4')).toEqual([]);
  });

  test('the write-ahead log is copied into the database file in the background, not by the writer', async () => {
    const file = join(dir, 'db.sqlite');
    const before = statSync(file).size;
    // About 2 MB in 40 commits: well under the 40 MB past which the writer would checkpoint by itself.
    for (let batch = 0; batch < 40; batch++) {
      await driver.transaction(async (c) => {
        for (let i = 0; i < 10; i++) await c.run('INSERT INTO t (k, v) VALUES (?, ?)', [`${batch}-${i}-${'x'.repeat(5000)}`, i]);
      });
    }
    let size = statSync(file).size;
    for (let i = 0; i < 100 && size < before + 1_000_000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      size = statSync(file).size;
    }
    expect(size).toBeGreaterThan(before + 1_000_000);
  });

  test('close() and the background writer keep the process alive until they are done, when nothing else would', () => {
    // In a process of its own: close() was awaiting a thread that does not hold the event loop open, so a process
    // whose other handles had closed (a server after its HTTP listener) exited before its database was closed.
    const script = join(dir, 'close.mts'); // .mts: an ES module wherever the folder is
    const driverModule = join(process.cwd(), 'src/storage/sqlite/sqlite-driver.ts');
    writeFileSync(
      script,
      `import { SqliteDriver } from ${JSON.stringify(driverModule)};
       const driver = new SqliteDriver({ filename: ${JSON.stringify(join(dir, 'other.sqlite'))} });
       await driver.transaction((c) => c.run('CREATE TABLE t (k TEXT)'));
       await driver.writeTransaction([{ table: 't', columns: ['k'], rows: [['a'], ['b']] }]);
       console.log((await driver.reader.all('SELECT COUNT(*) AS n FROM t'))[0].n);
       await driver.close();
       console.log('closed');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60000 });
    // The background writer's thread, too, holds the process open while it commits.
    expect(child.stdout.trim().split('\n')).toEqual(['2', 'closed']);
    expect(child.status).toBe(0);
  });
});
