import type { Resource } from 'fhir/r4.js';
import { AuditTrail } from '../../src/fhir/audit-trail.js';
import type { Repository } from '../../src/storage/repository.js';

/** A store that records what each batched create wrote (each is one transaction). */
function recordingStore() {
  const transactions: Resource[][] = [];
  const repo = {
    async createMany(resources: Resource[]) {
      transactions.push(resources);
      return [];
    },
  } as unknown as Repository;
  return { repo, transactions };
}

const access = { clientId: 'app', scope: 'system/*.rs', grants: [] };

describe('audit trail', () => {
  test('a large flush is written in chunks, every event once', async () => {
    const { repo, transactions } = recordingStore();
    let n = 0;
    const trail = new AuditTrail(repo, () => `e${n++}`, (err) => { throw err; });
    for (let i = 0; i < 250; i++) trail.record({ access, interaction: 'read', method: 'GET', type: 'Patient', id: `p${i}`, status: 200 });
    await trail.flush();
    expect(transactions.map((t) => t.length)).toEqual([100, 100, 50]);
    const ids = transactions.flat().map((event) => event.id);
    expect(new Set(ids).size).toBe(250);
    const read = transactions.flat().map((event) => (event as { entity?: { what?: { reference?: string } }[] }).entity?.[0]?.what?.reference);
    expect(read[0]).toBe('Patient/p0');
    expect(read[249]).toBe('Patient/p249');
  });

  test('a failed chunk is reported and the next chunks are still written', async () => {
    const { repo, transactions } = recordingStore();
    const errors: string[] = [];
    let calls = 0;
    const failingOnce = {
      createMany: (resources: Resource[]) => (calls++ === 0 ? Promise.reject(new Error('disk full')) : repo.createMany(resources as never)),
    } as unknown as Repository;
    const trail = new AuditTrail(failingOnce, () => 'id', (err) => errors.push(err.message));
    for (let i = 0; i < 150; i++) trail.record({ access, interaction: 'read', method: 'GET', type: 'Patient', id: `p${i}`, status: 200 });
    await trail.flush();
    expect(errors).toEqual(['disk full']);
    expect(transactions.map((t) => t.length)).toEqual([50]);
  });
});
