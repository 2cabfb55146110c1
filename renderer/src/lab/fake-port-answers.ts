import type { CatalogPort, DevicePortsQuery } from '../../../electron/host/contract.ts';
import type { PortAnswers } from './port-cache.ts';

/**
 * For tests: the host's answers as a stand-in gives them. It records what is wanted; `answered()`
 * gives the next answers, with every wanted key answered by `portsOf`, each key's list kept as the
 * same array from one answers to the next, as the cache keeps it.
 */
export class FakePortAnswers implements PortAnswers {
  readonly wanted = new Map<string, DevicePortsQuery>();

  constructor(
    private readonly portsOf: (query: DevicePortsQuery) => CatalogPort[] | null,
    private readonly known: ReadonlyMap<string, CatalogPort[] | null> = new Map(),
  ) {}

  get(key: string): readonly CatalogPort[] | null | undefined {
    return this.known.get(key);
  }

  want(key: string, query: DevicePortsQuery): void {
    if (!this.known.has(key)) this.wanted.set(key, query);
  }

  answered(): FakePortAnswers {
    const known = new Map(this.known);
    for (const [key, query] of this.wanted) known.set(key, this.portsOf(query));
    return new FakePortAnswers(this.portsOf, known);
  }
}

/** A router's ports as the emulator names them, for `ports` (default 4). */
export function routerPorts(query: DevicePortsQuery): CatalogPort[] | null {
  const n = query.settings['ports'] ?? 4;
  if (query.kind !== 'router' || typeof n !== 'number') return null;
  return Array.from({ length: n }, (_, i) => ({ name: `GigabitEthernet0/${i}`, aliases: [`Gi0/${i}`], speedBps: 1e9, medium: 'copper' }));
}
