/**
 * `tsx bench/profile-top.ts <file.cpuprofile> [--last=<seconds>] [--top=<n>]`: where a server's CPU time goes, from a
 * V8 CPU profile (as `npm run bench` writes with BENCH_CPU_PROF): self and inclusive time per function and time per
 * source file or package. `--last` keeps only the profile's final seconds (the workload, not start-up). For
 * comparing changes on a machine whose wall-clock figures move with other load.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [--last=<seconds>] [--top=<n>]');
const topCount = Number(option('top') ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const source = (url: string) => url.replace(/^.*\/node_modules\//, '~/').replace(/^file:\/\/.*?\/(src|bench|tests)\//, '$1/') || '(native)';
const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${source(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const packageOf = (url: string) => {
  const s = source(url);
  return s.startsWith('~/') ? s.split('/').slice(0, s.startsWith('~/@') ? 3 : 2).join('/') : s;
};

// Sample times, to keep only the final seconds.
const times: number[] = [];
let clock = 0;
for (const delta of profile.timeDeltas) times.push((clock += delta));
const last = option('last');
const from = last ? clock - Number(last) * 1e6 : -Infinity;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
profile.samples.forEach((id, i) => {
  if (times[i] < from) return;
  const delta = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(id)!;
  total += delta;
  add(self, label(node), delta);
  add(byPackage, packageOf(node.callFrame.url), delta);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at)!);
    if (!seen.has(key)) add(inclusive, key, delta);
    seen.add(key);
  }
});

const top = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');
console.log(`${(total / 1e6).toFixed(2)} s sampled\n\nself time:\n${top(self, topCount)}\n\ninclusive time:\n${top(inclusive, topCount)}\n\nby file or package:\n${top(byPackage, 20)}`);
