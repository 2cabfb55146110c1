import { describe, expect, it } from 'vitest';
import { addDevice, addLink, errorTarget, freshName, linkRefusal, moveDevice, readLab, setDeviceField, setDeviceSetting, setLabName } from './lab-text.ts';

const lab = `# shared with the campus team
apiVersion: labbox/v1
kind: Lab
metadata:
  name: two-switches
  title: Two switches
devices:
  - name: sw1   # core
    kind: l2-switch
    position: { x: 10, y: 20 }
    settings: { ports: 8 }
  - name: pc1
    kind: pc
links:
  - { a: sw1:Gi0/1, b: pc1:eth0, up: false }
scenarios:
  - name: ping
`;

describe('reading a lab for the canvas', () => {
  it('reads devices, positions, settings, links and scenarios', () => {
    const v = readLab(lab);
    expect(v.title).toBe('Two switches');
    expect(v.devices.map((d) => [d.name, d.kind, d.position])).toEqual([
      ['sw1', 'l2-switch', { x: 10, y: 20 }],
      ['pc1', 'pc', null],
    ]);
    expect(v.devices[0].settings).toEqual({ ports: 8 });
    expect(v.links).toEqual([{ index: 0, a: { device: 'sw1', port: 'Gi0/1' }, b: { device: 'pc1', port: 'eth0' }, speed: null, up: false }]);
    expect(v.scenarios).toEqual(['ping']);
  });

  it('draws what it can from a lab that is not valid yet, and says when the text is not YAML', () => {
    const partial = readLab('metadata: { name: x }\ndevices:\n  - { kind: pc }\n  - { name: ok, kind: pc }\nlinks:\n  - { a: nocolon, b: ok:eth0 }\n');
    expect(partial.devices.map((d) => d.name)).toEqual(['ok']);
    // The host's error paths count the nameless entry, so the device keeps its place in the file.
    expect(partial.devices[0].index).toBe(1);
    expect(partial.links).toEqual([]);
    expect(partial.syntaxError).toBeNull();
    const broken = readLab('devices: [\n');
    expect(broken.syntaxError).not.toBeNull();
    expect(broken.devices).toEqual([]);
  });
});

describe('editing a lab from the canvas', () => {
  it('moves a device and keeps the comments and the rest of the file as written', () => {
    const out = moveDevice(lab, 'sw1', { x: 100.4, y: -7.6 });
    expect(out).toContain('# shared with the campus team');
    expect(out).toContain('- name: sw1 # core');
    expect(out).toContain('position: { x: 100, y: -8 }');
    expect(readLab(out).devices[1].position).toBeNull();
  });

  it('gives a device that had no position one', () => {
    expect(readLab(moveDevice(lab, 'pc1', { x: 5, y: 6 })).devices[1].position).toEqual({ x: 5, y: 6 });
  });

  it('adds a device, and creates the devices list when the lab has none', () => {
    const out = addDevice(lab, { name: 'sw2', kind: 'l2-switch', position: { x: 1, y: 2 } });
    expect(readLab(out).devices.map((d) => d.name)).toEqual(['sw1', 'pc1', 'sw2']);
    const bare = 'apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: empty\n';
    expect(readLab(addDevice(bare, { name: 'pc1', kind: 'pc', position: { x: 0, y: 0 } })).devices).toHaveLength(1);
  });

  it('renaming a device carries its links along', () => {
    const v = readLab(setDeviceField(lab, 'sw1', 'name', 'core1'));
    expect(v.devices[0].name).toBe('core1');
    expect(v.links[0].a).toEqual({ device: 'core1', port: 'Gi0/1' });
  });

  it('sets and clears settings and startup config', () => {
    let out = setDeviceSetting(lab, 'pc1', 'ip', '10.0.0.1/24');
    expect(readLab(out).devices[1].settings).toEqual({ ip: '10.0.0.1/24' });
    out = setDeviceSetting(out, 'pc1', 'ip', null);
    expect(out).not.toContain('settings: {}');
    out = setDeviceField(out, 'sw1', 'config', 'hostname sw1\n');
    expect(readLab(out).devices[0].config).toBe('hostname sw1\n');
    expect(readLab(setDeviceField(out, 'sw1', 'config', '')).devices[0].config).toBe('');
  });

  it('leaves text it cannot read untouched, and ignores edits to devices that do not exist', () => {
    expect(moveDevice('devices: [\n', 'sw1', { x: 0, y: 0 })).toBe('devices: [\n');
    expect(moveDevice(lab, 'ghost', { x: 0, y: 0 })).toBe(lab);
  });

  it('adds links and refuses one to the same device, to a port in use, or across media', () => {
    const media: Record<string, string> = { 'Gi0/1': 'copper', 'Gi0/2': 'copper', 'Gi0/25': 'sfp', eth0: 'copper', eth1: 'copper' };
    const facts = (e: { device: string; port: string }) => {
      const canonical = e.port.replace(/^gi/i, 'Gi');
      return { canonical, medium: media[canonical] ?? null };
    };
    const v = readLab(lab);
    expect(linkRefusal(v, { device: 'sw1', port: 'Gi0/2' }, { device: 'sw1', port: 'Gi0/3' }, facts)).toMatch(/itself/);
    expect(linkRefusal(v, { device: 'sw1', port: 'gi0/1' }, { device: 'pc1', port: 'eth1' }, facts)).toMatch(/sw1:gi0\/1 is already linked/);
    expect(linkRefusal(v, { device: 'sw1', port: 'Gi0/25' }, { device: 'pc1', port: 'eth1' }, facts)).toBe(
      'cannot join an SFP port (sw1:Gi0/25) to a copper port (pc1:eth1)',
    );
    expect(linkRefusal(v, { device: 'sw1', port: 'Gi0/2' }, { device: 'pc1', port: 'eth1' }, facts)).toBeNull();
    expect(linkRefusal(v, { device: 'sw1', port: 'Gi0/9' }, { device: 'pc1', port: 'eth1' }, facts)).toBeNull();
    const out = addLink(lab, { device: 'sw1', port: 'Gi0/2' }, { device: 'pc1', port: 'eth1' });
    expect(readLab(out).links.map((l) => `${l.a.device}:${l.a.port}-${l.b.device}:${l.b.port}`)).toEqual(['sw1:Gi0/1-pc1:eth0', 'sw1:Gi0/2-pc1:eth1']);
  });

  it('renames the lab itself, and picks free device names', () => {
    expect(readLab(setLabName(lab, 'copy')).name).toBe('copy');
    expect(freshName('sw', ['sw1', 'sw3'])).toBe('sw2');
    expect(freshName('pc', [])).toBe('pc1');
  });
});

describe('pointing errors at the canvas', () => {
  it('finds the device or link an error path is about, in either path spelling', () => {
    expect(errorTarget('devices[3].kind')).toEqual({ list: 'devices', index: 3 });
    expect(errorTarget('links.12.a')).toEqual({ list: 'links', index: 12 });
    expect(errorTarget('metadata.name')).toBeNull();
    expect(errorTarget('')).toBeNull();
  });
});
