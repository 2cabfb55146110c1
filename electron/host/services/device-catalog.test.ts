import { describe, expect, it } from 'vitest';
import { portInSlot, type CatalogPort } from '../contract.ts';
import { memberPorts, STACK_KIND } from '../../../emulator/devices/cisco-catalyst-stack/info.ts';
import type { ContainerSpec } from '../../../emulator/devices/kind.ts';
import { catalogEntries, containerData } from './device-catalog.ts';

const plain = (ports: readonly { name: string; aliases?: readonly string[]; speedBps: number; medium: string }[]): CatalogPort[] =>
  ports.map((p) => ({ name: p.name, speedBps: p.speedBps, medium: p.medium, ...(p.aliases ? { aliases: [...p.aliases] } : {}) }));

describe('the catalog the renderer gets', () => {
  it('carries the stack\'s member port naming as a template that gives every member exactly the ports the emulator gives it', () => {
    const stack = catalogEntries().find((e) => e.kind === STACK_KIND);
    expect(stack?.container).toMatchObject({ accepts: ['cisco-catalyst-3750', 'cisco-catalyst-3750g-12s'], slots: { min: 1, max: 9 } });
    const rule = stack?.container?.childPorts?.['cisco-catalyst-3750'];
    if (!rule || !('template' in rule)) throw new Error('no template for stack members');
    expect(rule.template[0]).toMatchObject({ name: 'GigabitEthernet{slot}/0/1', aliases: expect.arrayContaining(['Gi{slot}/0/1']) });
    for (let n = 1; n <= 9; n++) expect(rule.template.map((p) => portInSlot(p, n))).toEqual(plain(memberPorts(n)));
    expect(JSON.parse(JSON.stringify(stack))).toEqual(stack);
  });

  it('sends each slot\'s own list when the renaming is not a matter of putting the slot number in the name', () => {
    const spec: ContainerSpec = {
      accepts: ['pc'],
      slots: { min: 1, max: 3, word: 'bay' },
      childPorts: (_kind, _settings, slot) => [{ name: `lan${slot * 10}`, speedBps: 1e9, medium: 'copper' }],
    };
    expect(containerData(spec).childPorts).toEqual({
      pc: { bySlot: { '1': [{ name: 'lan10', speedBps: 1e9, medium: 'copper' }], '2': [{ name: 'lan20', speedBps: 1e9, medium: 'copper' }], '3': [{ name: 'lan30', speedBps: 1e9, medium: 'copper' }] } },
    });
  });

  it('leaves out the port rule of a container whose children keep their own ports', () => {
    expect(containerData({ accepts: ['pc'], slots: { min: 1, max: 4, word: 'bay' } })).toEqual({ accepts: ['pc'], slots: { min: 1, max: 4, word: 'bay' } });
  });
});
