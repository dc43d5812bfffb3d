import { createValidator } from '../../src/validation/index.js';
import { usCoreDefinitions, workload } from '../../bench/validate-workload.js';

// Deterministic mutation fuzzing: dropped properties and junk values of every JSON kind must give issues, never an
// internal failure (the validator never throws and never reports "Internal validator error").
const junk: unknown[] = [null, 0, -1, 1.5, '', 'x', true, [], {}, [null], [{}], { a: 1 }, '2020-13-45', { reference: '#' }, { url: 5 }];

function mutator(seed: number): (x: unknown) => unknown {
  let s = seed;
  const rnd = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const mutate = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map((e) => (rnd(10) === 0 ? junk[rnd(junk.length)] : mutate(e)));
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        const r = rnd(12);
        if (r === 0) continue;
        o[k] = r === 1 ? junk[rnd(junk.length)] : mutate(v);
      }
      return o;
    }
    return x;
  };
  return mutate;
}

describe('robustness', () => {
  it('mutated resources never cause an internal error', async () => {
    const v = await createValidator({ resources: usCoreDefinitions() });
    const mutate = mutator(7);
    const failures: string[] = [];
    for (let round = 0; round < 10; round++) {
      for (const r of workload(40)) {
        const out = v.validate(mutate(r));
        for (const i of out.issue) if (i.details?.text?.startsWith('Internal')) failures.push(i.diagnostics ?? '');
      }
    }
    expect(failures).toEqual([]);
  });
});
