import { useEffect, useRef } from 'react';
import type { CaptureTreeNode } from '../../../electron/host/contract.ts';
import { ancestors, deepestAt, formatCaptureTime, hex2, hexLines, nodeAt, printable, type NodePath } from './capture-model.ts';
import { useCaptures } from './capture-store.ts';

/** The synthetic first line of the tree (the frame itself), as a protocol analyser shows it. */
const FRAME_NODE = 'frame';

function TreeNodes({ nodes, prefix, depth }: { nodes: readonly CaptureTreeNode[]; prefix: string; depth: number }) {
  const selected = useCaptures((s) => s.node);
  const expanded = useCaptures((s) => s.expanded);
  const selectNode = useCaptures((s) => s.selectNode);
  const toggleNode = useCaptures((s) => s.toggleNode);
  return (
    <>
      {nodes.map((n, i) => {
        const path = `${prefix}${i}`;
        const open = expanded.has(path);
        const hasChildren = (n.children?.length ?? 0) > 0;
        return (
          <div key={path} role="treeitem" aria-expanded={hasChildren ? open : undefined} aria-selected={selected === path} aria-level={depth + 1}>
            <div
              className={`tree-line${selected === path ? ' selected' : ''}`}
              style={{ paddingLeft: 6 + depth * 14 }}
              data-testid="tree-line"
              onClick={() => selectNode(path)}
              onDoubleClick={() => hasChildren && toggleNode(path)}
            >
              <span
                className="twisty"
                onClick={(e) => {
                  e.stopPropagation();
                  if (hasChildren) toggleNode(path);
                  selectNode(path);
                }}
              >
                {hasChildren ? (open ? '▾' : '▸') : ''}
              </span>
              {n.label}
            </div>
            {hasChildren && open && n.children && <TreeNodes nodes={n.children} prefix={`${path}.`} depth={depth + 1} />}
          </div>
        );
      })}
    </>
  );
}

export function DecodeTree() {
  const frame = useCaptures((s) => s.frame);
  const selected = useCaptures((s) => s.node);
  const selectNode = useCaptures((s) => s.selectNode);
  const ref = useRef<HTMLDivElement>(null);
  // The picked field stays in view when it is picked from the bytes or kept across frames.
  useEffect(() => {
    ref.current?.querySelector('.tree-line.selected')?.scrollIntoView({ block: 'nearest' });
  }, [frame, selected]);
  if (!frame) return <div className="decode-tree empty-note">Select a packet to see its layers.</div>;
  return (
    <div className="decode-tree" role="tree" aria-label="Packet details" ref={ref}>
      <div className={`tree-line${selected === FRAME_NODE ? ' selected' : ''}`} style={{ paddingLeft: 6 }} onClick={() => selectNode(FRAME_NODE)}>
        <span className="twisty" />
        Frame {frame.number}: {frame.length} bytes on {frame.interfaceName} ({frame.direction === 'in' ? 'received' : 'sent'}), at {formatCaptureTime(frame.timeNs)} s
      </div>
      {frame.comments.map((c, i) => (
        <div key={`c${i}`} className="tree-line comment" style={{ paddingLeft: 20 }}>
          Comment: {c}
        </div>
      ))}
      {frame.problems.map((p, i) => (
        <div key={`p${i}`} className="tree-line problem" style={{ paddingLeft: 20 }}>
          Problem: {p}
        </div>
      ))}
      <TreeNodes nodes={frame.tree} prefix="" depth={0} />
    </div>
  );
}

export function HexDump() {
  const frame = useCaptures((s) => s.frame);
  const node = useCaptures((s) => s.node);
  if (!frame) return <div className="hex-dump empty-note" />;
  const range = node === FRAME_NODE ? { offset: 0, length: frame.bytes.length } : node ? nodeAt(frame.tree, node) : null;
  const lit = (i: number) => range !== null && i >= range.offset && i < range.offset + range.length;
  const reveal = (offset: number) => {
    const path: NodePath | null = deepestAt(frame.tree, offset);
    if (!path) return;
    useCaptures.setState((s) => ({ node: path, expanded: new Set([...s.expanded, ...ancestors(path)]) }));
  };
  return (
    <div className="hex-dump" aria-label="Packet bytes" data-testid="hex-dump">
      {hexLines(frame.bytes).map((line) => (
        <div key={line.offset} className="hex-line">
          <span className="hex-off">{line.offset.toString(16).padStart(4, '0')}</span>
          <span className="hex-bytes">
            {line.bytes.map((b, j) => (
              <span key={j} className={`${lit(line.offset + j) ? 'lit' : ''}${j === 8 ? ' gap' : ''}`} onClick={() => reveal(line.offset + j)}>
                {hex2(b)}
              </span>
            ))}
          </span>
          <span className="hex-ascii">
            {line.bytes.map((b, j) => (
              <span key={j} className={lit(line.offset + j) ? 'lit' : ''} onClick={() => reveal(line.offset + j)}>
                {printable(b)}
              </span>
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}
