import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { LowDetail } from '../edit/detail.ts';
import type { PortView } from '../lab/catalog-view.ts';
import { RoleIcon } from './RoleIcon.tsx';

export type DeviceNodeData = {
  name: string;
  kind: string;
  model: string;
  vendor: string;
  role: string;
  ports: PortView[];
  linked: string[];
  knownKind: boolean;
  hasProblem: boolean;
  /** Drawn as a frame holding the devices whose parent it is. */
  container: boolean;
};

export type DeviceNodeType = Node<DeviceNodeData, 'device'>;

/** Above this many ports the node shows a faceplate of numbered ports instead of named chips. */
const NAMED_PORT_LIMIT = 12;

/** Faceplate groups: ports sharing a prefix (`Gi1/0/`, `Te1/1/`) sit together, as on the hardware. */
function faceGroups(ports: readonly PortView[]): { prefix: string; ports: PortView[] }[] {
  const groups: { prefix: string; ports: PortView[] }[] = [];
  for (const p of ports) {
    const prefix = p.label.replace(/\d+$/, '');
    const last = groups[groups.length - 1];
    if (last && last.prefix === prefix) last.ports.push(p);
    else groups.push({ prefix, ports: [p] });
  }
  return groups;
}

function faceLabel(port: PortView, prefix: string): string {
  return port.label.slice(prefix.length) || port.label;
}

function portTitle(port: PortView, linked: boolean): string {
  const speed = port.speedBps ? ` · ${port.speedBps >= 1e9 ? `${port.speedBps / 1e9}G` : `${port.speedBps / 1e6}M`}` : '';
  const medium = port.medium ? ` · ${port.medium}` : '';
  const state = port.unknown ? ' · not a port of this kind' : linked ? ' · linked' : '';
  return `${port.name}${speed}${medium}${state}`;
}

function Port({ port, label, linked }: { port: PortView; label: string; linked: boolean }) {
  const cls = ['port', linked ? 'linked' : '', port.unknown ? 'unknown' : '', port.medium ? `medium-${port.medium}` : ''].filter(Boolean).join(' ');
  return (
    <div className={cls} title={portTitle(port, linked)} data-port={port.name}>
      <span className="port-label">{label}</span>
      <Handle type="source" id={port.name} position={Position.Top} className="port-handle" />
    </div>
  );
}

/** "Generic" says nothing on a node that is short of room; real vendors stay. */
function modelLine(d: DeviceNodeData): string {
  // Some product names already start with the vendor ("HP VC FlexFabric…"): say it once.
  if (!d.vendor || d.vendor === 'Generic' || d.model.startsWith(`${d.vendor} `)) return d.model;
  return `${d.vendor} ${d.model}`;
}

/**
 * Zoomed out, a device is its name in a box; links still need their handles, so only the linked
 * ones are kept, stacked out of sight where the link meets the box.
 */
function LowDetailNode({ data, classes }: { data: DeviceNodeData; classes: string[] }) {
  return (
    <div className={[...classes, 'low-detail'].join(' ')} data-testid={`device-${data.name}`}>
      <div className="device-name">{data.name}</div>
      {/* Bare handle elements: React Flow finds them by class and data attributes when it measures the node, without a store subscription per port. */}
      {data.linked.map((p) => (
        <div key={p} className="react-flow__handle source port-handle low-detail-handle" data-handleid={p} data-nodeid={data.name} data-handlepos="top" />
      ))}
    </div>
  );
}

function DeviceNodeImpl({ data, selected }: NodeProps<DeviceNodeType>) {
  const low = useContext(LowDetail);
  const classes = ['device-node', `role-${data.role}`];
  if (selected) classes.push('selected');
  if (data.hasProblem || !data.knownKind) classes.push('has-problem');
  if (data.container) classes.push('container');
  if (low && !data.container) return <LowDetailNode data={data} classes={classes} />;
  const linked = new Set(data.linked);
  const compact = data.ports.length > NAMED_PORT_LIMIT;
  return (
    <div className={classes.join(' ')} data-testid={`device-${data.name}`}>
      <div className="device-head">
        <span className="device-icon">
          <RoleIcon role={data.role} />
        </span>
        <div className="device-titles">
          <div className="device-name">{data.name}</div>
          <div className="device-model" title={data.kind}>
            {data.knownKind ? modelLine(data) : `unknown kind: ${data.kind}`}
          </div>
        </div>
      </div>
      {data.ports.length > 0 && !compact && (
        <div className="ports named">
          {data.ports.map((p) => (
            <Port key={p.name} port={p} label={p.label} linked={linked.has(p.name)} />
          ))}
        </div>
      )}
      {compact && (
        <div className="ports faceplate">
          {faceGroups(data.ports).map((g) => (
            <div key={g.prefix} className="face-group">
              <span className="face-prefix">{g.prefix}</span>
              <div className="face-grid">
                {g.ports.map((p) => (
                  <Port key={p.name} port={p} label={faceLabel(p, g.prefix)} linked={linked.has(p.name)} />
                ))}
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const DeviceNode = memo(DeviceNodeImpl);
