import { describe, expect, it } from 'vitest';
import { readLab, type LabView } from '../lab/lab-text.ts';
import { addChildDevice, copyItems, deleteItems, moveDevices, pasteItems, withDescendants } from './lab-edits.ts';

const rack = `# rack A, kept in step with the change plan
apiVersion: labbox/v1
kind: Lab
metadata:
  name: rack-a
devices:
  - name: enc1   # left enclosure
    kind: hp-c7000
    position: { x: 100, y: 50 }
  - name: esx1
    kind: hp-bl460c
    parent: enc1
    slot: "1"
    position: { x: 16, y: 64 }
    settings: { ilo: 10.0.0.5/24 }
  - name: vc1
    kind: hp-vc-flexfabric
    parent: enc1
    slot: "1"
    config: |
      add uplinkset SUS-A
  - name: sw1
    kind: l2-switch
    position: { x: 600, y: 40 }
  - name: pc1
    kind: pc
links:
  - { a: esx1:LOM1, b: vc1:d1 }
  - { a: vc1:X1, b: sw1:Gi0/1, speed: 10G }
  - { a: sw1:Gi0/2, b: pc1:eth0 }
`;

const device = (v: LabView, name: string) => {
  const d = v.devices.find((x) => x.name === name);
  if (!d) throw new Error(`no device ${name} in the lab`);
  return d;
};

const linkList = (v: LabView) => v.links.map((l) => `${l.a.device}:${l.a.port}-${l.b.device}:${l.b.port}`);

describe('moving several devices', () => {
  it('moves every dragged device in one edit, to whole pixels, and leaves the others and the comments alone', () => {
    const out = moveDevices(
      rack,
      new Map([
        ['sw1', { x: 700.4, y: 80.6 }],
        ['pc1', { x: 10, y: 300 }],
      ]),
    );
    const v = readLab(out);
    expect(device(v, 'sw1').position).toEqual({ x: 700, y: 81 });
    expect(device(v, 'pc1').position).toEqual({ x: 10, y: 300 });
    expect(device(v, 'enc1').position).toEqual({ x: 100, y: 50 });
    expect(out).toContain('# rack A, kept in step with the change plan');
    expect(out).toContain('- name: enc1 # left enclosure');
    expect(out).toContain('position: { x: 10, y: 300 }');
  });

  it('leaves the text as it was when there is nothing to move, so no empty undo step is made', () => {
    expect(moveDevices(rack, new Map())).toBe(rack);
    expect(moveDevices(rack, new Map([['gone', { x: 1, y: 1 }]]))).toBe(rack);
    expect(moveDevices('devices: [\n', new Map([['sw1', { x: 1, y: 1 }]]))).toBe('devices: [\n');
  });
});

describe('what a selection of containers takes along', () => {
  it('adds everything nested inside the chosen devices, at any depth, and nothing beside them', () => {
    const devices = [
      { name: 'cl1', parent: null },
      { name: 'hv1', parent: 'cl1' },
      { name: 'vm1', parent: 'hv1' },
      { name: 'vm2', parent: 'hv1' },
      { name: 'hv2', parent: null },
      { name: 'vm3', parent: 'hv2' },
    ];
    expect([...withDescendants(devices, ['cl1'])].sort()).toEqual(['cl1', 'hv1', 'vm1', 'vm2']);
    expect([...withDescendants(devices, ['vm3'])]).toEqual(['vm3']);
    expect([...withDescendants(devices, [])]).toEqual([]);
  });

  it('finishes on a parent loop in a half-written lab', () => {
    const devices = [
      { name: 'a', parent: 'b' },
      { name: 'b', parent: 'a' },
    ];
    expect([...withDescendants(devices, ['a'])].sort()).toEqual(['a', 'b']);
  });
});

describe('deleting devices and links', () => {
  it('removes a device with every link that touches it, and keeps the other links and the comments', () => {
    const out = deleteItems(rack, new Set(['sw1']), new Set());
    const v = readLab(out);
    expect(v.devices.map((d) => d.name)).toEqual(['enc1', 'esx1', 'vc1', 'pc1']);
    expect(linkList(v)).toEqual(['esx1:LOM1-vc1:d1']);
    expect(out).toContain('# rack A, kept in step with the change plan');
  });

  it('removes exactly the links picked by their place in the file', () => {
    const v = readLab(deleteItems(rack, new Set(), new Set([0, 2])));
    expect(linkList(v)).toEqual(['vc1:X1-sw1:Gi0/1']);
    expect(v.links[0].speed).toBe('10G');
    expect(v.devices).toHaveLength(5);
  });

  it('deletes devices and links in one edit, and changes nothing when nothing named exists', () => {
    const v = readLab(deleteItems(rack, new Set(['pc1']), new Set([0])));
    expect(v.devices.map((d) => d.name)).toEqual(['enc1', 'esx1', 'vc1', 'sw1']);
    expect(linkList(v)).toEqual(['vc1:X1-sw1:Gi0/1']);
    expect(deleteItems(rack, new Set(), new Set())).toBe(rack);
    expect(deleteItems(rack, new Set(['ghost']), new Set([9]))).toBe(rack);
  });
});

describe('copy and paste', () => {
  it('copies the devices with their settings and config, and only the links among them', () => {
    const clip = copyItems(rack, new Set(['esx1', 'vc1', 'sw1']));
    expect(clip?.count).toBe(3);
    expect(clip?.devices).toContain('ilo: 10.0.0.5/24');
    expect(clip?.devices).toContain('add uplinkset SUS-A');
    expect(clip?.devices).not.toContain('pc1');
    expect(clip?.links).toContain('esx1:LOM1');
    expect(clip?.links).toContain('vc1:X1');
    expect(clip?.links).not.toContain('pc1:eth0');
  });

  it('has nothing to copy when no device is picked or the text is unreadable', () => {
    expect(copyItems(rack, new Set())).toBeNull();
    expect(copyItems(rack, new Set(['ghost']))).toBeNull();
    expect(copyItems('devices: [\n', new Set(['sw1']))).toBeNull();
  });

  it('pastes under the next free name of each stem, moved by the offset, keeping the original in place', () => {
    const clip = copyItems(rack, new Set(['sw1', 'pc1']));
    if (!clip) throw new Error('nothing copied');
    const { text, names } = pasteItems(rack, clip, { x: 40, y: 40 });
    expect(names).toEqual(['sw2', 'pc2']);
    const v = readLab(text);
    expect(device(v, 'sw2').position).toEqual({ x: 640, y: 80 });
    expect(device(v, 'sw1').position).toEqual({ x: 600, y: 40 });
    // A device the lab lays out itself stays laid out by the lab.
    expect(device(v, 'pc2').position).toBeNull();
    expect(linkList(v)).toContain('sw2:Gi0/2-pc2:eth0');
    expect(linkList(v)).toContain('sw1:Gi0/2-pc1:eth0');
  });

  it('gives two pasted devices of the same stem two different names', () => {
    const lab = 'devices:\n  - { name: sw1, kind: l2-switch }\n  - { name: sw2, kind: l2-switch }\nlinks:\n  - { a: sw1:Gi0/1, b: sw2:Gi0/1 }\n';
    const clip = copyItems(lab, new Set(['sw1', 'sw2']));
    if (!clip) throw new Error('nothing copied');
    const { text, names } = pasteItems(lab, clip, { x: 40, y: 40 });
    expect(names).toEqual(['sw3', 'sw4']);
    expect(linkList(readLab(text))).toEqual(['sw1:Gi0/1-sw2:Gi0/1', 'sw3:Gi0/1-sw4:Gi0/1']);
  });

  it('names the copies of a device whose name has no number after its whole name', () => {
    const lab = 'devices:\n  - { name: core, kind: l2-switch, position: { x: 0, y: 0 } }\n';
    const clip = copyItems(lab, new Set(['core']));
    if (!clip) throw new Error('nothing copied');
    const first = pasteItems(lab, clip, { x: 40, y: 40 });
    const second = pasteItems(first.text, clip, { x: 80, y: 80 });
    expect([first.names, second.names]).toEqual([['core1'], ['core2']]);
  });

  it('pastes a whole enclosure with its blades and modules in their own bays, wired to each other and not to the originals', () => {
    const clip = copyItems(rack, withDescendants(readLab(rack).devices, ['enc1']));
    if (!clip) throw new Error('nothing copied');
    const { text, names } = pasteItems(rack, clip, { x: 40, y: 40 });
    expect(names).toEqual(['enc2', 'esx2', 'vc2']);
    const v = readLab(text);
    expect(device(v, 'enc2').position).toEqual({ x: 140, y: 90 });
    // Children are placed relative to their container, so they stay where they were inside it.
    expect(device(v, 'esx2')).toMatchObject({ parent: 'enc2', slot: '1', position: { x: 16, y: 64 } });
    expect(device(v, 'vc2')).toMatchObject({ parent: 'enc2', slot: '1', config: 'add uplinkset SUS-A\n' });
    expect(linkList(v)).toEqual(['esx1:LOM1-vc1:d1', 'vc1:X1-sw1:Gi0/1', 'sw1:Gi0/2-pc1:eth0', 'esx2:LOM1-vc2:d1']);
  });

  it('seats a blade pasted without its enclosure in the next free bay of that enclosure', () => {
    const clip = copyItems(rack, new Set(['esx1']));
    if (!clip) throw new Error('nothing copied');
    const once = pasteItems(rack, clip, { x: 40, y: 40 });
    const twice = pasteItems(once.text, clip, { x: 80, y: 80 });
    const v = readLab(twice.text);
    expect(device(v, 'esx2')).toMatchObject({ parent: 'enc1', slot: '2', position: { x: 56, y: 104 } });
    expect(device(v, 'esx3')).toMatchObject({ parent: 'enc1', slot: '3', position: { x: 96, y: 144 } });
    // The interconnect bays are counted apart from the device bays.
    const vcClip = copyItems(twice.text, new Set(['vc1']));
    if (!vcClip) throw new Error('nothing copied');
    expect(device(readLab(pasteItems(twice.text, vcClip, { x: 40, y: 40 }).text), 'vc2').slot).toBe('2');
  });

  it('leaves a blade pasted into a full enclosure without a bay rather than doubling one up', () => {
    const blades = Array.from({ length: 16 }, (_, i) => `  - { name: b${i + 1}, kind: hp-bl460c, parent: enc1, slot: "${i + 1}" }\n`).join('');
    const full = `devices:\n  - { name: enc1, kind: hp-c7000 }\n${blades}`;
    const clip = copyItems(full, new Set(['b3']));
    if (!clip) throw new Error('nothing copied');
    const v = readLab(pasteItems(full, clip, { x: 40, y: 40 }).text);
    expect(device(v, 'b17')).toMatchObject({ parent: 'enc1', slot: null });
  });

  it('after a cut, pastes the devices back under their own names', () => {
    const clip = copyItems(rack, new Set(['sw1', 'pc1']));
    if (!clip) throw new Error('nothing copied');
    const cut = deleteItems(rack, new Set(['sw1', 'pc1']), new Set());
    const { names, text } = pasteItems(cut, clip, { x: 40, y: 40 });
    expect(names).toEqual(['sw1', 'pc1']);
    expect(linkList(readLab(text))).toEqual(['esx1:LOM1-vc1:d1', 'sw1:Gi0/2-pc1:eth0']);
  });

  it('pastes into a lab that has no devices or links yet, and leaves unreadable text alone', () => {
    const clip = copyItems(rack, new Set(['sw1', 'pc1']));
    if (!clip) throw new Error('nothing copied');
    const empty = 'apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: blank\n';
    const v = readLab(pasteItems(empty, clip, { x: 40, y: 40 }).text);
    expect(v.devices.map((d) => d.name)).toEqual(['sw1', 'pc1']);
    expect(linkList(v)).toEqual(['sw1:Gi0/2-pc1:eth0']);
    expect(pasteItems('devices: [\n', clip, { x: 40, y: 40 })).toEqual({ text: 'devices: [\n', names: [] });
  });
});

describe('adding a device inside a container', () => {
  it('records the container and, when it has bays, the bay', () => {
    const out = addChildDevice(rack, { name: 'esx2', kind: 'hp-bl460c', position: { x: 20.2, y: 70.7 }, parent: 'enc1', slot: '2' });
    expect(device(readLab(out), 'esx2')).toMatchObject({ kind: 'hp-bl460c', parent: 'enc1', slot: '2', position: { x: 20, y: 71 } });
    expect(out).toContain('# rack A, kept in step with the change plan');
  });

  it('writes no bay for a container without bays, and starts the devices list when there is none', () => {
    const out = addChildDevice('metadata:\n  name: blank\n', { name: 'vm1', kind: 'hyperv-vm', position: { x: 16, y: 64 }, parent: 'hv1', slot: null });
    const v = readLab(out);
    expect(v.devices).toEqual([expect.objectContaining({ name: 'vm1', parent: 'hv1', slot: null })]);
    expect(out).not.toContain('slot');
  });
});
