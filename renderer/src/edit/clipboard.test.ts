import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readLab } from '../lab/lab-text.ts';
import type * as ClipboardModule from './clipboard.ts';
import { copyItems, pasteItems } from './lab-edits.ts';

const lab = `devices:
  - { name: sw1, kind: l2-switch, position: { x: 100, y: 200 } }
  - { name: pc1, kind: pc, position: { x: 100, y: 400 } }
links:
  - { a: sw1:Gi0/1, b: pc1:eth0 }
`;

// The clipboard lives for the whole window, so each test starts from a freshly loaded one.
let clipboard: typeof ClipboardModule;
beforeEach(async () => {
  vi.resetModules();
  clipboard = await import('./clipboard.ts');
});

function copy(text: string, names: string[]) {
  const clip = copyItems(text, new Set(names));
  if (!clip) throw new Error('nothing copied');
  clipboard.hold(clip);
}

function paste(text: string) {
  const next = clipboard.nextPaste();
  if (!next) throw new Error('nothing to paste');
  return pasteItems(text, next.clip, next.offset);
}

describe('the canvas clipboard', () => {
  it('has nothing to paste before anything is copied', () => {
    expect(clipboard.nextPaste()).toBeNull();
  });

  it('pasting twice gives sw2 then sw3, each a further step away from the original', () => {
    copy(lab, ['sw1']);
    const first = paste(lab);
    const second = paste(first.text);
    expect([first.names, second.names]).toEqual([['sw2'], ['sw3']]);
    const at = (name: string) => readLab(second.text).devices.find((d) => d.name === name)?.position;
    expect(at('sw1')).toEqual({ x: 100, y: 200 });
    expect(at('sw2')).toEqual({ x: 140, y: 240 });
    expect(at('sw3')).toEqual({ x: 180, y: 280 });
  });

  it('pastes what was copied, even after the original has been edited or deleted', () => {
    copy(lab, ['sw1', 'pc1']);
    const emptied = 'devices: []\n';
    const { names, text } = paste(emptied);
    expect(names).toEqual(['sw1', 'pc1']);
    expect(readLab(text).links.map((l) => `${l.a.device}-${l.b.device}`)).toEqual(['sw1-pc1']);
  });

  it('starts the steps over when something new is copied', () => {
    copy(lab, ['sw1']);
    const first = paste(lab);
    copy(first.text, ['pc1']);
    const again = paste(first.text);
    expect(again.names).toEqual(['pc2']);
    expect(readLab(again.text).devices.find((d) => d.name === 'pc2')?.position).toEqual({ x: 140, y: 440 });
  });
});
