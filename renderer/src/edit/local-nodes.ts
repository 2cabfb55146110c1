import { applyNodeChanges, type NodeChange } from '@xyflow/react';
import type { DeviceNodeType } from '../components/DeviceNode.tsx';

/**
 * The canvas's own copy of its nodes: what the lab says, plus what only the canvas knows (the
 * size the browser measured, where a drag has got to, which nodes are selected). A node keeps its
 * object while neither its lab reading nor its selection changed, so React Flow leaves it alone;
 * a changed one carries its measured size over so it is not hidden while it is measured again.
 */
export class LocalNodes {
  private basis = new Map<string, DeviceNodeType>();
  private byId = new Map<string, DeviceNodeType>();
  nodes: DeviceNodeType[] = [];

  merge(derived: readonly DeviceNodeType[], selected: ReadonlySet<string>): DeviceNodeType[] {
    const basis = new Map<string, DeviceNodeType>();
    const byId = new Map<string, DeviceNodeType>();
    const out = derived.map((d) => {
      const local = this.byId.get(d.id);
      const sel = selected.has(d.id);
      let n: DeviceNodeType;
      if (local && this.basis.get(d.id) === d && (local.selected ?? false) === sel) n = local;
      else {
        n = { ...d, selected: sel };
        if (local?.measured) n.measured = local.measured;
      }
      basis.set(d.id, d);
      byId.set(d.id, n);
      return n;
    });
    this.basis = basis;
    this.byId = byId;
    this.nodes = out;
    return out;
  }

  apply(changes: NodeChange<DeviceNodeType>[]): DeviceNodeType[] {
    const next = applyNodeChanges(changes, this.nodes);
    for (const n of next) this.byId.set(n.id, n);
    this.nodes = next;
    return next;
  }
}
