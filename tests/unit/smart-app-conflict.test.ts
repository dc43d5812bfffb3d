import { changes, readablePath } from '../../smart-app/src/conflict.js';
import { CATALOGUES } from '../../smart-app/src/i18n/index.js';

describe('the SMART app explains conflicting edits in words', () => {
  test('element paths become the reader\'s words, in French and English', () => {
    expect(readablePath('note[1].text', CATALOGUES.fr)).toBe('note n°2 — texte');
    expect(readablePath('participant[2].period.end', CATALOGUES.en)).toBe('member no.3 — period — end');
    expect(readablePath('activity[0].detail.scheduledTiming', CATALOGUES.fr)).toBe('activité n°1 — détail — rythme');
    expect(readablePath('someNewElement', CATALOGUES.en)).toBe('some new element');
  });

  test('only what changed is listed, not the bookkeeping', () => {
    const before = { resourceType: 'Goal', meta: { versionId: '1' }, lifecycleStatus: 'active', note: [{ text: 'a' }] } as never;
    const after = { resourceType: 'Goal', meta: { versionId: '2' }, lifecycleStatus: 'completed', note: [{ text: 'a' }, { text: 'b' }] } as never;
    expect(changes(before, after)).toEqual([
      { path: 'lifecycleStatus', before: 'active', after: 'completed' },
      { path: 'note[1].text', before: undefined, after: 'b' },
    ]);
  });
});
