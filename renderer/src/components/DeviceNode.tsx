import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
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
};

export type DeviceNodeType = Node<DeviceNodeData, 'device'>;

/** Above this many ports the node shows a faceplate of numbered ports instead of named chips. */
const NAMED_PORT_LIMIT = 12;

function faceLabel(port: PortView): string {
  const m = /(\d+)$/.exec(port.label);
  return m && port.label.includes('/') ? m[1] : port.label;
}

function portTitle(port: PortView, linked: boolean): string {
  const speed = port.speedBps ? ` · ${port.speedBps >= 1e9 ? `${port.speedBps / 1e9}G` : `${port.speedBps / 1e6}M`}` : '';
  const medium = port.medium ? ` · ${port.medium}` : '';
  const state = port.unknown ? ' · not a port of this kind' : linked ? ' · linked' : '';
  return `${port.name}${speed}${medium}${state}`;
}

function DeviceNodeImpl({ data, selected }: NodeProps<DeviceNodeType>) {
  const linked = new Set(data.linked);
  const compact = data.ports.length > NAMED_PORT_LIMIT;
  const classes = ['device-node', `role-${data.role}`];
  if (selected) classes.push('selected');
  if (data.hasProblem || !data.knownKind) classes.push('has-problem');
  return (
    <div className={classes.join(' ')} data-testid={`device-${data.name}`}>
      <div className="device-head">
        <span className="device-icon">
          <RoleIcon role={data.role} />
        </span>
        <div className="device-titles">
          <div className="device-name">{data.name}</div>
          <div className="device-model" title={data.kind}>
            {data.knownKind ? `${data.vendor} ${data.model}` : `unknown kind: ${data.kind}`}
          </div>
        </div>
      </div>
      {data.ports.length > 0 && (
        <div className={compact ? 'ports faceplate' : 'ports named'}>
          {data.ports.map((p) => {
            const isLinked = linked.has(p.name);
            const cls = ['port', isLinked ? 'linked' : '', p.unknown ? 'unknown' : '', p.medium ? `medium-${p.medium}` : '']
              .filter(Boolean)
              .join(' ');
            return (
              <div key={p.name} className={cls} title={portTitle(p, isLinked)} data-port={p.name}>
                <span className="port-label">{compact ? faceLabel(p) : p.label}</span>
                <Handle type="source" id={p.name} position={Position.Top} className="port-handle" />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const DeviceNode = memo(DeviceNodeImpl);
