import { newResourceId } from '../../src/fhir/resource-ids.js';

describe('resource ids', () => {
  test('are version 7 UUIDs, all different across many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, newResourceId);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // The random parts differ too: a pool handed out twice would repeat them.
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(ids.length);
  });

  test('sort by creation time across milliseconds', async () => {
    const first = newResourceId();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = newResourceId();
    expect([second, first].sort()).toEqual([first, second]);
    expect(parseInt(first.replace('-', '').slice(0, 12), 16)).toBeLessThanOrEqual(Date.now());
  });
});
