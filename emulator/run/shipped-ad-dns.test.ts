import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';

/**
 * The shipped AD DNS lab: deleting the AD-integrated zones breaks replication with 8524 once the
 * DCs' cached CNAMEs expire; the zones rebuilt from their files and Netlogon restarted repair it.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/ad-dns-rebuild.lab.yaml'), 'utf8');
const names = (text: string): string[] => failures(text, 'zones-deleted').map((f) => f.replace(/: .*/, ''));

describe('ad-dns-rebuild: the shipped scenario', () => {
  it('holds every expectation', () => {
    expect(failures(LAB, 'zones-deleted')).toEqual([]);
  });

  it('without restarting Netlogon the DCs are not in the rebuilt zones and the syncs still fail with 8524', () => {
    const text = editScenario(LAB, 'zones-deleted', (b) => b.split('\n').filter((l) => !l.includes('netlogon"')).join('\n'));
    expect(names(text)).toEqual([
      "Netlogon registered DC1's CNAME in the rebuilt zone",
      'DC2 replicates from DC1 again',
      'DC1 replicates from DC2 again',
      'showrepl is clean',
    ]);
  });

  it('with the rebuilt zones refusing dynamic updates Netlogon cannot register, so replication stays broken', () => {
    const text = replaceAll(LAB, [['/allowupdate 1', '/allowupdate 0']]);
    expect(names(text)).toEqual([
      "Netlogon registered DC1's CNAME in the rebuilt zone",
      'DC2 replicates from DC1 again',
      'DC1 replicates from DC2 again',
      'showrepl is clean',
    ]);
  });

  it('with zones kept in files instead of AD the deletion stays on DC1 and DC2 keeps its zones; the rest runs as before', () => {
    const text = replaceAll(LAB, [['adIntegratedZones: "corp.example, _msdcs.corp.example"', 'dnsDynamicUpdate: NonsecureAndSecure']]);
    expect(names(text)).toEqual(['the zones are AD-integrated', 'the deletion replicated to DC2']);
  });
});
