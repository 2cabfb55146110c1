import { describe, expect, it } from 'vitest';
import { LineDiscipline, toTerminal } from './line-discipline.ts';

describe('console line discipline', () => {
  it('echoes typing and hands over whole lines on Enter', () => {
    const d = new LineDiscipline();
    expect(d.feed('sh')).toEqual([{ kind: 'echo', data: 'sh' }]);
    expect(d.feed('ow ver\r')).toEqual([
      { kind: 'echo', data: 'ow ver\r\n' },
      { kind: 'line', line: 'show ver' },
    ]);
    expect(d.pending).toBe('');
  });

  it('rubs out with Backspace and abandons the line on Ctrl-C', () => {
    const d = new LineDiscipline();
    expect(d.feed('shx\x7f')).toEqual([{ kind: 'echo', data: 'shx\b \b' }]);
    expect(d.pending).toBe('sh');
    expect(d.feed('\x7f\x7f\x7f')).toEqual([{ kind: 'echo', data: '\b \b\b \b' }]);
    d.feed('conf t');
    expect(d.feed('\x03')).toEqual([{ kind: 'echo', data: '^C\r\n' }, { kind: 'interrupt' }]);
    expect(d.pending).toBe('');
  });

  it('treats a pasted CR LF as one Enter and splits pasted lines', () => {
    const d = new LineDiscipline();
    const lines = d.feed('conf t\r\nvlan 98\r\nend\r\n').filter((a) => a.kind === 'line');
    expect(lines).toEqual([
      { kind: 'line', line: 'conf t' },
      { kind: 'line', line: 'vlan 98' },
      { kind: 'line', line: 'end' },
    ]);
  });

  it('swallows cursor keys, even split across writes', () => {
    const d = new LineDiscipline();
    expect(d.feed('a\x1b[A\x1b')).toEqual([{ kind: 'echo', data: 'a' }]);
    expect(d.feed('[1;5Db')).toEqual([{ kind: 'echo', data: 'b' }]);
    expect(d.pending).toBe('ab');
  });

  it('turns device line ends into terminal line ends', () => {
    expect(toTerminal('a\nb\r\nc')).toBe('a\r\nb\r\nc');
  });
});
