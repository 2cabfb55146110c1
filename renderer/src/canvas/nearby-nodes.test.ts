import { describe, expect, it } from 'vitest';
import { NearbyDevices, viewArea } from './nearby-nodes.ts';
import type { Overview, OverviewDevice } from './overview-geometry.ts';

function device(id: string, x: number, y: number, extra: Partial<OverviewDevice> = {}): OverviewDevice {
  return { id, x, y, width: 100, height: 50, parent: null, role: 'host', model: 'PC', container: false, problem: false, ...extra };
}

/** A row of 50 PCs 200 apart, each linked to one switch far to the right. */
function row(): Overview {
  const devices = [device('sw', 20_000, 0, { role: 'switch' })];
  const links = [];
  for (let i = 0; i < 50; i++) {
    devices.push(device(`pc${i}`, i * 200, 0));
    links.push({ index: i, a: `pc${i}`, b: 'sw', from: { x: 0, y: 0 }, to: { x: 0, y: 0 }, down: false });
  }
  return { devices, links, bounds: { x: 0, y: 0, width: 20_100, height: 50 } };
}

describe('NearbyDevices', () => {
  it('gives only the devices in the window, then the far ends of their links', () => {
    const n = new NearbyDevices();
    n.reset(row(), false);
    expect(n.reach({ x: 0, y: 0, width: 450, height: 100 }, Infinity, false)).toEqual({ added: 3, more: false });
    expect(n.has('pc2')).toBe(true);
    expect(n.has('pc3')).toBe(false);
    // The switch their links lead to is off screen, but must be there for the links to be drawn.
    expect(n.has('sw')).toBe(false);
    n.reach({ x: 0, y: 0, width: 450, height: 100 }, Infinity, true);
    expect(n.has('sw')).toBe(true);
    expect(n.size).toBe(4);
  });

  it('hands over at most a budget of new devices per call and says when more are waiting', () => {
    const n = new NearbyDevices();
    n.reset(row(), false);
    const all = { x: 0, y: 0, width: 10_000, height: 100 };
    expect(n.reach(all, 12, false)).toEqual({ added: 12, more: true });
    let calls = 1;
    while (n.reach(all, 12, false).more) calls++;
    expect(n.size).toBe(50);
    expect(calls).toBeLessThanOrEqual(5);
  });

  it('brings a device in with the containers that hold it, since React Flow needs a parent before its child', () => {
    const o: Overview = {
      devices: [
        device('enc', 0, 0, { container: true, width: 2000, height: 900, role: 'enclosure' }),
        device('blade', 5000, 5000, { parent: 'enc' }),
        device('vm', 5010, 5010, { parent: 'blade' }),
      ],
      links: [],
      bounds: { x: 0, y: 0, width: 6000, height: 6000 },
    };
    const n = new NearbyDevices();
    n.reset(o, false);
    n.reach({ x: 5000, y: 5000, width: 50, height: 50 }, Infinity, false);
    expect(['enc', 'blade', 'vm'].every((id) => n.has(id))).toBe(true);
  });

  it('keeps what it gave across an edit of the same lab and forgets it for another lab', () => {
    const n = new NearbyDevices();
    n.reset(row(), false);
    n.reach({ x: 0, y: 0, width: 50, height: 50 }, Infinity, false);
    n.reset(row(), true);
    expect(n.has('pc0')).toBe(true);
    n.reset(row(), false);
    expect(n.has('pc0')).toBe(false);
  });
});

describe('viewArea', () => {
  it('turns the viewport into flow coordinates, grown by the margin on every side', () => {
    // Panned by (-1000, -500) at zoom 2: the 800x600 window shows flow x 500..900, y 250..550.
    expect(viewArea([-1000, -500, 2], 800, 600, 0)).toEqual({ x: 500, y: 250, width: 400, height: 300 });
    expect(viewArea([-1000, -500, 2], 800, 600, 0.5)).toEqual({ x: 300, y: 100, width: 800, height: 600 });
  });
});
