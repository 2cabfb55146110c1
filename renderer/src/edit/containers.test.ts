import { describe, expect, it } from 'vitest';
import { acceptsChild, freeSlot, isContainerKind } from './containers.ts';

const held = (kind: string, slot: string | null) => ({ kind, slot });

describe('which devices are drawn as containers', () => {
  it('draws an enclosure and a cluster as frames even while empty, and nothing else', () => {
    expect(isContainerKind('hp-c7000')).toBe(true);
    expect(isContainerKind('hyperv-cluster')).toBe(true);
    // A host or a blade holds VMs, but with none it is drawn as a plain device.
    expect(isContainerKind('hyperv-host')).toBe(false);
    expect(isContainerKind('hp-bl460c')).toBe(false);
    expect(isContainerKind('l2-switch')).toBe(false);
  });
});

describe('what a container accepts when a device is dropped on it', () => {
  it('takes only the kinds that sit inside it', () => {
    expect(acceptsChild('hyperv-cluster', 'hyperv-host')).toBe(true);
    expect(acceptsChild('hyperv-cluster', 'hp-bl460c')).toBe(true);
    expect(acceptsChild('hyperv-cluster', 'hyperv-vm')).toBe(false);
    expect(acceptsChild('hyperv-host', 'hyperv-vm')).toBe(true);
    expect(acceptsChild('hyperv-host', 'windows-server')).toBe(true);
    expect(acceptsChild('hyperv-host', 'esxi-vm')).toBe(false);
    expect(acceptsChild('hp-bl460c', 'hyperv-vm')).toBe(true);
    expect(acceptsChild('esxi-host', 'esxi-vm')).toBe(true);
    expect(acceptsChild('esxi-host', 'hyperv-vm')).toBe(false);
    expect(acceptsChild('hp-c7000', 'hp-bl460c')).toBe(true);
    expect(acceptsChild('hp-c7000', 'hp-vc-flexfabric')).toBe(true);
    expect(acceptsChild('hp-c7000', 'hp-vc-fc')).toBe(true);
    expect(acceptsChild('hp-c7000', 'l2-switch')).toBe(false);
  });

  it('lets nothing be dropped into a device that is not a container', () => {
    expect(acceptsChild('l2-switch', 'pc')).toBe(false);
    expect(acceptsChild('pc', 'hyperv-vm')).toBe(false);
    expect(acceptsChild('no-such-kind', 'pc')).toBe(false);
  });
});

describe('bays of an enclosure', () => {
  it('seats a device in the lowest free bay of its type, filling gaps first', () => {
    expect(freeSlot('hp-c7000', 'hp-bl460c', [])).toBe('1');
    expect(freeSlot('hp-c7000', 'hp-bl460c', [held('hp-bl460c', '1'), held('hp-bl460c', '3')])).toBe('2');
    expect(freeSlot('hp-c7000', 'hp-vc-flex10', [held('hp-vc-flexfabric', '1')])).toBe('2');
  });

  it('counts device bays and interconnect bays apart', () => {
    const blades = [held('hp-bl460c', '1'), held('hp-bl460c', '2')];
    expect(freeSlot('hp-c7000', 'hp-vc-flexfabric', blades)).toBe('1');
    expect(freeSlot('hp-c7000', 'hp-bl460c', [held('hp-vc-flexfabric', '1')])).toBe('1');
  });

  it('says when all sixteen device bays or all eight interconnect bays are taken', () => {
    const blades = Array.from({ length: 16 }, (_, i) => held('hp-bl460c', String(i + 1)));
    expect(freeSlot('hp-c7000', 'hp-bl460c', blades.slice(0, 15))).toBe('16');
    expect(freeSlot('hp-c7000', 'hp-bl460c', blades)).toBeUndefined();
    const modules = Array.from({ length: 8 }, (_, i) => held('hp-vc-fc', String(i + 1)));
    expect(freeSlot('hp-c7000', 'hp-vc-flex10', modules)).toBeUndefined();
    // Full interconnect bays leave the device bays free.
    expect(freeSlot('hp-c7000', 'hp-bl460c', modules)).toBe('1');
  });

  it('gives no bay where the container has none', () => {
    expect(freeSlot('hyperv-host', 'hyperv-vm', [held('hyperv-vm', null)])).toBeNull();
    expect(freeSlot('hyperv-cluster', 'hyperv-host', [])).toBeNull();
    expect(freeSlot('l2-switch', 'pc', [])).toBeNull();
  });
});
