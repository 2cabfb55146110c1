import { describe, expect, it } from 'vitest';
import { configChecker } from './config-checkers.ts';

describe('config checkers by kind', () => {
  it('marks the line a Catalyst would refuse and passes a good config', () => {
    const check = configChecker('cisco-catalyst-3750');
    expect(check).toBeDefined();
    const good = check?.('cisco-catalyst-3750', 'vlan 10\n name users\ninterface GigabitEthernet1/0/1\n switchport access vlan 10\n') ?? [];
    expect(good).toEqual([]);
    const bad = check?.('cisco-catalyst-3750', 'vlan 10\ninterface GigabitEthernet1/0/1\n switchport mdoe trunk\n') ?? [];
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].line).toBe(3);
  });

  it('uses the PowerConnect parser for PowerConnect kinds', () => {
    const bad = configChecker('dell-powerconnect-5424')?.('dell-powerconnect-5424', 'vlan database\nnonsense here\n') ?? [];
    expect(bad.some((i) => i.line === 2)).toBe(true);
  });

  it('has no checker for kinds without a vendor CLI', () => {
    expect(configChecker('pc')).toBeUndefined();
    expect(configChecker('hp-c7000')).toBeUndefined();
  });
});
