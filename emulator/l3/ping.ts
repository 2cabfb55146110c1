/** One echo request of a `ping -t`-style flow and what became of it. */
export interface PingProbe {
  seq: number;
  sentNs: number;
  /** When the reply (or error) arrived; null while outstanding or after a timeout. */
  answeredNs: number | null;
  /**
   * 'unreachable' and 'ttl-expired': an ICMP error came back (from a router, or from this host's
   * own stack when it has no route or ARP for the next hop failed). 'transmit-failed': the request never left, since
   * the host had no usable source address for it (the address was still in duplicate detection,
   * or was a duplicate).
   */
  result: 'pending' | 'reply' | 'timeout' | 'unreachable' | 'ttl-expired' | 'transmit-failed';
  /** Who answered (the target, or the router that reported an error). */
  from: number | null;
  /** TTL of the answer as it arrived (what `ping` prints as TTL=); null until answered. */
  ttl: number | null;
}

export interface PingSummary {
  sent: number;
  received: number;
  lost: number;
  /** Longest time between two consecutive successful replies (ns). */
  longestGapNs: number;
  /**
   * Total outage (ns): for every gap between consecutive successful replies, the part longer
   * than one interval; probes lost before the first or after the last reply count one interval each.
   */
  outageNs: number;
  /** Round-trip times of the replies (ns). */
  minRttNs: number | null;
  maxRttNs: number | null;
}

export interface PingOptions {
  intervalNs: number;
  /** Windows ping waits 4000 ms for each reply. */
  timeoutNs: number;
  /** Echo data bytes (Windows default 32). */
  size: number;
  /** Number of probes; 0 = until stopped (`-t`). */
  count: number;
  ttl: number;
}

/** A continuous ping from one host to one address, recording every probe. */
export class PingFlow {
  readonly probes: PingProbe[] = [];
  running = true;

  constructor(
    readonly id: number,
    readonly target: number,
    readonly options: PingOptions,
  ) {}

  summary(): PingSummary {
    const done = this.probes.filter((p) => p.result !== 'pending');
    const ok = done.filter((p) => p.result === 'reply');
    const interval = this.options.intervalNs;
    let longest = 0;
    let outage = 0;
    for (let i = 1; i < ok.length; i++) {
      const gap = (ok[i].answeredNs as number) - (ok[i - 1].answeredNs as number);
      longest = Math.max(longest, gap);
      if (gap > interval) outage += gap - interval;
    }
    if (ok.length === 0) outage = done.length * interval;
    else {
      const first = done.indexOf(ok[0]);
      const last = done.length - 1 - done.indexOf(ok[ok.length - 1]);
      outage += (first + last) * interval;
    }
    const rtts = ok.map((p) => (p.answeredNs as number) - p.sentNs);
    return {
      sent: done.length,
      received: ok.length,
      lost: done.length - ok.length,
      longestGapNs: longest,
      outageNs: outage,
      minRttNs: rtts.length ? Math.min(...rtts) : null,
      maxRttNs: rtts.length ? Math.max(...rtts) : null,
    };
  }
}
