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

  it('recalls earlier lines with the up and down arrows, and gets the draft back', () => {
    const d = new LineDiscipline();
    d.feed('show version\r');
    d.feed('show clock\r');
    d.feed('sh');
    expect(d.feed('\x1b[A')).toEqual([{ kind: 'echo', data: 'ow clock' }]);
    expect(d.feed('\x1b[A')).toEqual([{ kind: 'echo', data: '\b \b\b \b\b \b\b \b\b \bversion' }]);
    expect(d.feed('\x1b[A')).toEqual([]);
    d.feed('\x1b[B\x1b[B');
    expect(d.pending).toBe('sh');
  });

  it('hands Tab to the device, and ? only where the CLI answers it as typed', () => {
    const plain = new LineDiscipline();
    expect(plain.feed('nlb /?')).toEqual([{ kind: 'echo', data: 'nlb /?' }]);
    const ios = new LineDiscipline();
    ios.helpKey = true;
    expect(ios.feed('sh\t')).toEqual([{ kind: 'echo', data: 'sh' }, { kind: 'complete', line: 'sh' }]);
    expect(ios.replaceLine('show ')).toBe('ow ');
    expect(ios.feed('?')).toEqual([{ kind: 'echo', data: '?\r\n' }, { kind: 'help', line: 'show ?' }]);
  });

  it('sends each key straight to the device at --More--, unechoed', () => {
    const d = new LineDiscipline();
    d.paging = true;
    expect(d.feed(' \rx')).toEqual([{ kind: 'key', key: ' ' }, { kind: 'key', key: '' }, { kind: 'key', key: 'q' }]);
    expect(d.pending).toBe('');
  });

  it('turns device line ends into terminal line ends', () => {
    expect(toTerminal('a\nb\r\nc')).toBe('a\r\nb\r\nc');
  });
});
