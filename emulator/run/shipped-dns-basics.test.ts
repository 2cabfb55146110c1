import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failures, replaceAll } from './test-support/lab-variants.ts';

/**
 * The shipped DNS lab: a deleted zone keeps answering from the client's cache for the record's
 * TTL, then the name is gone until the zone is added back from its zone file.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/dns-basics.lab.yaml'), 'utf8');

describe('dns-basics: the shipped scenario', () => {
  it('holds every expectation', () => {
    expect(failures(LAB, 'zone-deleted')).toEqual([]);
  });

  it('with a 10-minute TTL on web the name still resolves at 80s, so that expectation fails', () => {
    const text = replaceAll(LAB, [['web              60 A   10.0.0.20', 'web              600 A  10.0.0.20']]);
    expect(failures(text, 'zone-deleted').map((f) => f.replace(/: .*/, ''))).toEqual(['once the TTL has run out the name is not found']);
  });

  it('without the zone added back the name stays unknown', () => {
    const text = replaceAll(LAB, [['/zoneadd corp.contoso.com', '/zoneadd other.test']]);
    expect(failures(text, 'zone-deleted').map((f) => f.replace(/: .*/, ''))).toEqual(['the rebuilt zone answers again']);
  });
});
