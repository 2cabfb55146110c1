/**
 * Programming a switch from an IOS or NX-OS running configuration, change by change. `applied`
 * holds what each setting was last programmed as, so one that did not change is left alone and a
 * reprogram after every command costs nothing where nothing moved.
 */
import type { ChannelMode } from '../../l2/port-channel.ts';
import type { EthernetSwitch } from '../../l2/switch.ts';

/**
 * The configured VLANs exist under their names (the switch's default `VLANnnnn` where none is
 * given); VLANs the configuration no longer has go, but VLAN 1, which cannot.
 */
export function programVlans(sw: EthernetSwitch, applied: Map<string, string>, vlans: ReadonlyMap<number, string | null>): void {
  for (const [id, name] of vlans) {
    const want = name ?? '';
    if (!sw.hasVlan(id) || applied.get(`vlan${id}`) !== want) {
      sw.createVlan(id, name ?? undefined);
      applied.set(`vlan${id}`, want);
    }
  }
  for (const v of sw.vlans()) if (!vlans.has(v.id) && v.id !== 1) {
    sw.deleteVlan(v.id);
    applied.delete(`vlan${v.id}`);
  }
}

/**
 * Port `name` is in the bundle its channel-group names, or in none. A port that moves in or out
 * has its own VLAN settings programmed anew (`vlan:<name>` forgotten), as it switches alone again.
 */
export function programChannelMember(sw: EthernetSwitch, applied: Map<string, string>, name: string, group: { readonly id: number; readonly mode: ChannelMode } | null): void {
  const want = group ? `${group.id}:${group.mode}` : '';
  const key = `chan:${name}`;
  if ((applied.get(key) ?? '') === want) return;
  if (group) sw.joinChannel(name, group.id, group.mode);
  else sw.leaveChannel(name);
  applied.set(key, want);
  applied.delete(`vlan:${name}`);
}
