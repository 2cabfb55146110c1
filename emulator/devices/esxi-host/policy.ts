/**
 * ESXi port group policies: VLAN, NIC teaming (route based on originating virtual port, explicit
 * active/standby order, link-state failover, failback, Notify Switches) and the security policy
 * (MAC address changes, forged transmits, promiscuous mode).
 *
 * Defaults marked [U] are choices where DOMAIN.md gives no verified value; each is a setting.
 */

/** The teaming part of a port group (or vSwitch) policy. Uplinks are named by vmnic. */
export interface TeamingPolicy {
  /** Active uplinks in order. */
  active: string[];
  /** Standby uplinks in order: used only when no active uplink has link. */
  standby: string[];
  /**
   * Send a RARP with the vNIC's MAC out its new uplink whenever a vNIC is (re)pinned (DOMAIN §2.4,
   * vSphere API `notifySwitches`, VMW-KB1556). Default Yes: the standard vSphere default, which
   * DOMAIN §2.4 marks [U].
   */
  notifySwitches: boolean;
  /**
   * Return vNICs to their home uplink when it comes back. Default Yes [U: the vSphere client's
   * default as commonly documented; not verified in DOMAIN].
   */
  failback: boolean;
}

/** Security policy of a port group (vSphere HostNetworkSecurityPolicy). */
export interface SecurityPolicy {
  /**
   * MAC address changes: Accept lets the guest's own MAC (an NLB unicast cluster MAC, for one)
   * become the port's address. Default Accept on a standard vSwitch [U: recalled vSphere
   * default; the seed-001 dvPorts show "allow mac change"].
   */
  macChanges: boolean;
  /** Forged transmits: Accept lets frames with a source other than the port's MAC leave. Default Accept [U, as above]. */
  forgedTransmits: boolean;
  /** Promiscuous mode: the port also gets frames for other MACs. Default Reject [U, as above; the seed shows "deny promiscuous"]. */
  promiscuous: boolean;
}

export interface PortGroupSpec {
  name: string;
  /** 0 = untagged (no VLAN), 1–4094 = the port group's VLAN (VST: the vSwitch tags on the uplinks). */
  vlan: number;
  /** Teaming settings this port group overrides; the rest come from its switch. */
  teaming: Partial<TeamingPolicy>;
  security: Partial<SecurityPolicy>;
}

export const DEFAULT_SECURITY: SecurityPolicy = { macChanges: true, forgedTransmits: true, promiscuous: false };

/**
 * Parse a port group list as the lab writes it: entries separated by `;`, fields by `/`:
 * `Name/VLAN[/option…]`, options `notify=yes|no`, `failback=yes|no`, `active=vmnic2,vmnic3`,
 * `standby=vmnic1`, `macchanges=accept|reject`, `forged=accept|reject`, `promiscuous=accept|reject`.
 * Example: `VM Network/0; NLB/98/notify=no`.
 */
export function parsePortGroups(text: string): PortGroupSpec[] {
  const out: PortGroupSpec[] = [];
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const fields = entry.split('/').map((f) => f.trim());
    const name = fields[0];
    if (name === '') throw new Error(`port group without a name in "${entry}"`);
    const vlanText = fields[1] ?? '0';
    if (!/^\d+$/.test(vlanText) || Number(vlanText) > 4094) throw new Error(`port group ${name}: VLAN must be 0–4094, not "${vlanText}"`);
    const pg: PortGroupSpec = { name, vlan: Number(vlanText), teaming: {}, security: {} };
    for (const opt of fields.slice(2)) {
      const m = /^([a-z]+)\s*=\s*(.*)$/i.exec(opt);
      if (m === null) throw new Error(`port group ${name}: option "${opt}" is not key=value`);
      const key = m[1].toLowerCase();
      const value = m[2].trim();
      switch (key) {
        case 'notify':
          pg.teaming.notifySwitches = yesNo(name, key, value);
          break;
        case 'failback':
          pg.teaming.failback = yesNo(name, key, value);
          break;
        case 'active':
          pg.teaming.active = nicList(value);
          break;
        case 'standby':
          pg.teaming.standby = nicList(value);
          break;
        case 'macchanges':
          pg.security.macChanges = yesNo(name, key, value);
          break;
        case 'forged':
          pg.security.forgedTransmits = yesNo(name, key, value);
          break;
        case 'promiscuous':
          pg.security.promiscuous = yesNo(name, key, value);
          break;
        default:
          throw new Error(`port group ${name}: unknown option "${key}"`);
      }
    }
    if (out.some((p) => p.name.toLowerCase() === name.toLowerCase())) throw new Error(`port group ${name} is declared twice`);
    out.push(pg);
  }
  return out;
}

function yesNo(pg: string, key: string, v: string): boolean {
  const k = v.toLowerCase();
  if (k === 'yes' || k === 'true' || k === 'on' || k === 'accept') return true;
  if (k === 'no' || k === 'false' || k === 'off' || k === 'reject') return false;
  throw new Error(`port group ${pg}: ${key} takes yes or no, not "${v}"`);
}

/** `vmnic0,vmnic1` or `vmnic0 vmnic1`. */
export function nicList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Route based on originating virtual port: a vNIC's home is active uplink (port ID mod the number
 * of active uplinks), so the same port always lands on the same uplink and consecutive ports
 * spread over the team. When its home has no link it takes a surviving active uplink by the same
 * rule over the survivors, and only when no active uplink is up the first standby with link.
 * Failback off keeps a vNIC where it is while that uplink still has link.
 */
export function chooseUplink(portId: number, current: string | null, policy: TeamingPolicy, hasLink: (nic: string) => boolean): string | null {
  const member = (n: string): boolean => policy.active.includes(n) || policy.standby.includes(n);
  if (!policy.failback && current !== null && member(current) && hasLink(current)) return current;
  if (policy.active.length > 0) {
    const home = policy.active[portId % policy.active.length];
    if (hasLink(home)) return home;
    const up = policy.active.filter(hasLink);
    if (up.length > 0) return up[portId % up.length];
  }
  return policy.standby.find(hasLink) ?? null;
}
