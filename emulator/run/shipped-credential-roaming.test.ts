import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures } from './test-support/lab-variants.ts';

/**
 * The shipped Credential Roaming lab: a certificate alice enrolls on pc1 reaches her store on pc2
 * only with the domain GPO on, and only when pc2 can reach the DC at a sync trigger.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/credential-roaming.lab.yaml'), 'utf8');
const names = (text: string, scenario: string): string[] => failures(text, scenario).map((f) => f.replace(/: .*/, ''));
const withoutGpo = (block: string): string => block.split('\n').filter((l) => !l.includes('setting: credentialRoaming')).join('\n');

describe('credential-roaming: the shipped scenarios', () => {
  for (const s of ['roaming-off', 'roaming-on', 'dc-unreachable']) {
    it(`${s} holds every expectation`, () => {
      expect(failures(LAB, s)).toEqual([]);
    });
  }

  it('roaming-on without the GPO step: pc2 never gets the certificate', () => {
    const text = editScenario(LAB, 'roaming-on', withoutGpo);
    expect(names(text, 'roaming-on')).toEqual(["pc2 has alice's certificate", 'it is the same certificate as on pc1']);
  });

  it('roaming-off with the GPO turned on: pc2 gets the certificate, which that scenario says it must not', () => {
    const text = editScenario(LAB, 'roaming-off', (b) => b.replace('    steps:\n', '    steps:\n      - { at: 0s, do: set, device: DC1, setting: credentialRoaming, value: true }\n'));
    expect(names(text, 'roaming-off')).toEqual(['pc2 has no certificate for alice']);
  });

  it('dc-unreachable without the pulse: the certificate does not come by itself once the cable is back', () => {
    const text = editScenario(LAB, 'dc-unreachable', (b) => b.split('\n').filter((l) => !l.includes('-pulse')).join('\n'));
    expect(names(text, 'dc-unreachable')).toEqual(["the pulse brings alice's certificate down"]);
  });

  it('dc-unreachable without the GPO: the pulse brings nothing', () => {
    const text = editScenario(LAB, 'dc-unreachable', withoutGpo);
    expect(names(text, 'dc-unreachable')).toEqual(["the pulse brings alice's certificate down"]);
  });
});
