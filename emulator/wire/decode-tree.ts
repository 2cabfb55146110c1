/**
 * The shape of a decoded frame for a packet-detail view: nested labelled byte ranges, the way a
 * protocol analyser's detail pane shows them. Offsets are from the first byte of the frame so a
 * hex view can highlight the bytes behind any node.
 */

export interface DecodeNode {
  label: string;
  offset: number;
  length: number;
  children?: DecodeNode[];
}

export function field(label: string, offset: number, length: number, children?: DecodeNode[]): DecodeNode {
  return children && children.length > 0 ? { label, offset, length, children } : { label, offset, length };
}

/** What each protocol decoder returns for its layer. */
export interface LayerDecode<T> {
  record: T;
  /** This layer's node; inner layers are appended to `nodes` after it, as siblings, like an analyser does. */
  nodes: DecodeNode[];
  /** One-line description for a packet list ("Who has 10.0.0.2? Tell 10.0.0.1"). */
  summary: string;
  /** Short protocol name for a packet list's protocol column. */
  protocol: string;
  /** Checksum mismatches, truncation and other things a reader should be told about. */
  problems: string[];
}

/** Thrown by decoders when a layer's bytes end before its fixed fields do. */
export class TruncatedError extends Error {
  constructor(layer: string) {
    super(`${layer}: truncated`);
    this.name = 'TruncatedError';
  }
}

export function need(bytes: Uint8Array, length: number, layer: string): void {
  if (bytes.length < length) throw new TruncatedError(layer);
}
