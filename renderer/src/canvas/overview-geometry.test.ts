import { describe, expect, it } from 'vitest';
import type { DeviceNodeType } from '../components/DeviceNode.tsx';
import type { LinkEdgeType } from '../components/LinkEdge.tsx';
import { boundsOf, deviceAt, devicesIn, overviewOf, PLAIN_DEVICE } from './overview-geometry.ts';

function node(id: string, x: number, y: number, extra: Partial<DeviceNodeType> = {}, container = false): DeviceNodeType {
  return {
    id,
    type: 'device',
    position: { x, y },
    data: { name: id, kind: 'pc', model: 'PC', vendor: 'Generic', role: container ? 'enclosure' : 'host', ports: [], linked: [], knownKind: true, hasProblem: false, container },
    ...extra,
  };
}

const link = (i: number, source: string, target: string, up = true): LinkEdgeType => ({ id: `link-${i}`, source, target, type: 'link', data: { aLabel: '', bLabel: '', up, speed: null } });

describe('overviewOf', () => {
  it('places what a container holds relative to it, and links between the centres of their devices', () => {
    const o = overviewOf(
      [node('enc', 1000, 500, { width: 600, height: 400 }, true), node('blade', 20, 80, { parentId: 'enc' }), node('sw', 0, 0, { measured: { width: 220, height: 100 } })],
      [link(3, 'sw', 'blade', false)],
    );
    const blade = o.devices.find((d) => d.id === 'blade');
    expect(blade).toMatchObject({ x: 1020, y: 580, parent: 'enc', ...PLAIN_DEVICE });
    // A measured device is drawn at the size the browser gave it, so zooming in does not make it jump.
    expect(o.devices.find((d) => d.id === 'sw')).toMatchObject({ width: 220, height: 100 });
    expect(o.links).toEqual([{ index: 3, a: 'sw', b: 'blade', from: { x: 110, y: 50 }, to: { x: 1020 + PLAIN_DEVICE.width / 2, y: 580 + PLAIN_DEVICE.height / 2 }, down: true }]);
    expect(o.bounds).toEqual({ x: 0, y: 0, width: 1600, height: 900 });
  });

  it('leaves out a link whose device is missing rather than drawing it to the origin', () => {
    expect(overviewOf([node('a', 0, 0)], [link(0, 'a', 'ghost')]).links).toEqual([]);
  });
});

describe('deviceAt', () => {
  it('picks the innermost device under the pointer, and nothing on empty canvas', () => {
    const o = overviewOf([node('enc', 0, 0, { width: 600, height: 400 }, true), node('blade', 20, 80, { parentId: 'enc' })], []);
    expect(deviceAt(o, { x: 30, y: 90 })?.id).toBe('blade');
    expect(deviceAt(o, { x: 500, y: 300 })?.id).toBe('enc');
    expect(deviceAt(o, { x: 900, y: 900 })).toBeNull();
  });

  it('takes a click just beside a tiny device as meant for it', () => {
    const o = overviewOf([node('enc', 0, 0, { width: 600, height: 400 }, true), node('blade', 20, 80, { parentId: 'enc' }), node('pc', 1000, 1000)], []);
    expect(deviceAt(o, { x: 995, y: 990 }, 20)?.id).toBe('pc');
    expect(deviceAt(o, { x: 995, y: 990 }, 5)).toBeNull();
    // Inside the enclosure but beside the blade: the blade.
    expect(deviceAt(o, { x: 15, y: 75 }, 20)?.id).toBe('blade');
  });
});

describe('boundsOf', () => {
  it('is empty for no boxes', () => {
    expect(boundsOf([])).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});

describe('devicesIn', () => {
  it('picks the devices a box touches, and a container only when the box holds all of it', () => {
    const o = overviewOf([node('enc', 0, 0, { width: 600, height: 400 }, true), node('blade', 20, 80, { parentId: 'enc' }), node('pc', 1000, 1000)], []);
    expect(devicesIn(o, { x: 10, y: 70, width: 30, height: 30 }).map((d) => d.id)).toEqual(['blade']);
    expect(devicesIn(o, { x: -10, y: -10, width: 700, height: 500 }).map((d) => d.id)).toEqual(['enc', 'blade']);
    expect(devicesIn(o, { x: 2000, y: 2000, width: 10, height: 10 })).toEqual([]);
  });
});
