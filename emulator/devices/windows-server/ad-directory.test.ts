import { describe, expect, it } from 'vitest';
import { domainDn, guidFrom, NamingContext } from './ad-directory.ts';

describe('a naming context', () => {
  it('stamps an originating write with its invocation ID and a new USN, and raises the version on each change', () => {
    const nc = new NamingContext('DC=corp,DC=example', 'inv-a', 100);
    nc.write('CN=x,DC=corp,DC=example', 'description', 'one', 5);
    nc.write('CN=x,DC=corp,DC=example', 'description', 'two', 6);
    const v = nc.objects.get('cn=x,dc=corp,dc=example')?.get('description');
    expect(v).toMatchObject({ value: 'two', version: 2, originInvocation: 'inv-a', originUsn: 102, localUsn: 102 });
    expect(nc.utd.get('inv-a')).toBe(102);
    // The same value again is no change at all.
    expect(nc.write('CN=x,DC=corp,DC=example', 'description', 'two', 7)).toBe(false);
    expect(nc.usn).toBe(102);
  });

  it('sends only what is above the high-water mark and not already covered by the destination vector', () => {
    const a = new NamingContext('DC=corp,DC=example', 'inv-a', 100);
    const b = new NamingContext('DC=corp,DC=example', 'inv-b', 500);
    a.write('CN=one,DC=corp,DC=example', 'description', '1', 1);
    const first = a.changesFor(0, b.utd);
    expect(first.changes.map((c) => c.dn)).toEqual(['cn=one,dc=corp,dc=example']);
    expect(b.apply(first)).toBe(1);
    // Nothing new: the mark says so, and so does the vector even from a mark of zero.
    expect(a.changesFor(first.highUsn, b.utd).changes).toEqual([]);
    expect(a.changesFor(0, b.utd).changes).toEqual([]);
    // B keeps A's stamp, so a third DC pulling from B is not sent A's change again either.
    const c = new NamingContext('DC=corp,DC=example', 'inv-c', 900);
    c.apply(a.changesFor(0, c.utd));
    expect(b.changesFor(0, c.utd).changes).toEqual([]);
  });

  it('resolves a conflict by version, then originating time, then invocation ID, the same way on both sides', () => {
    const a = new NamingContext('DC=corp,DC=example', 'inv-a', 100);
    const b = new NamingContext('DC=corp,DC=example', 'inv-b', 500);
    a.write('CN=z,DC=corp,DC=example', 'description', 'from a', 10);
    b.write('CN=z,DC=corp,DC=example', 'description', 'from b', 20);
    const fromA = a.changesFor(0, b.utd);
    const fromB = b.changesFor(0, a.utd);
    b.apply(fromA);
    a.apply(fromB);
    expect(a.get('CN=z,DC=corp,DC=example', 'description')).toBe('from b');
    expect(b.get('CN=z,DC=corp,DC=example', 'description')).toBe('from b');
  });
});

describe('names', () => {
  it('derives the domain DN and stable, distinct GUIDs', () => {
    expect(domainDn('corp.example')).toBe('DC=corp,DC=example');
    expect(guidFrom('dc1')).toBe(guidFrom('dc1'));
    expect(guidFrom('dc1')).not.toBe(guidFrom('dc2'));
    expect(guidFrom('dc1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
