import type { ScenarioSpec } from './schema.ts';

/**
 * Every device (and port) a scenario names, with where it names it, so validation can say
 * "scenarios[0].steps[2].node: no device named hv9" before anything runs. The scenario schema
 * cannot check these itself: it does not see the lab's device list.
 */
export interface ScenarioReference {
  /** Path inside the scenario, e.g. ['steps', 2, 'link', 0]. */
  path: (string | number)[];
  device: string;
  /** Set when the reference is a `device:port` endpoint or names a counter's port. */
  port?: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function scenarioReferences(s: ScenarioSpec): ScenarioReference[] {
  const out: ScenarioReference[] = [];
  const device = (path: (string | number)[], name: string): void => {
    out.push({ path, device: name });
  };
  /** An address field: an IPv4 address names no device. */
  const address = (path: (string | number)[], text: string): void => {
    if (!IPV4.test(text)) device(path, text);
  };
  const endpoint = (path: (string | number)[], text: string): void => {
    const colon = text.indexOf(':');
    if (colon < 0) device(path, text);
    else out.push({ path, device: text.slice(0, colon), port: text.slice(colon + 1) });
  };
  const names = (path: (string | number)[], v: string | readonly string[]): void => {
    if (typeof v === 'string') device(path, v);
    else v.forEach((n, i) => device([...path, i], n));
  };

  (s.traffic ?? []).forEach((t, i) => {
    const at = (...rest: (string | number)[]): (string | number)[] => ['traffic', i, ...rest];
    if (t.ping) {
      device(at('ping', 'from'), t.ping.from);
      address(at('ping', 'to'), t.ping.to);
    }
    if (t.udp) {
      device(at('udp', 'from'), t.udp.from);
      address(at('udp', 'to'), t.udp.to);
    }
    if (t.multicast) {
      device(at('multicast', 'from'), t.multicast.from);
      t.multicast.receivers?.forEach((r, k) => device(at('multicast', 'receivers', k), r));
    }
    if (t.sessions) {
      device(at('sessions', 'from'), t.sessions.from);
      address(at('sessions', 'to'), t.sessions.to);
    }
  });

  (s.steps ?? []).forEach((st, i) => {
    const at = (...rest: (string | number)[]): (string | number)[] => ['steps', i, ...rest];
    switch (st.do) {
      case 'link-down':
      case 'link-up':
        if (typeof st.link === 'string') endpoint(at('link'), st.link);
        else st.link.forEach((end, k) => endpoint(at('link', k), end));
        return;
      case 'power-off':
      case 'power-on':
      case 'set':
        device(at('device'), st.device);
        return;
      case 'live-migrate':
        names(at('vms'), st.vms);
        names(at('to'), st.to);
        return;
      case 'drain-node':
      case 'resume-node':
        device(at('node'), st.node);
        return;
      case 'cli':
        device(at('on'), st.on);
        return;
      case 'pull-module':
      case 'insert-module':
        device(at('target'), st.target);
        return;
      case 'capture-start':
      case 'capture-stop':
        endpoint(at('target'), st.target);
        return;
      case 'vmm-deploy':
        device(at('from'), st.from);
        device(at('to'), st.to);
        return;
    }
  });

  (s.expect ?? []).forEach((e, i) => {
    const at = (...rest: (string | number)[]): (string | number)[] => ['expect', i, ...rest];
    for (const key of ['reachable', 'unreachable'] as const) {
      const p = e[key];
      if (p) {
        device(at(key, 'from'), p.from);
        address(at(key, 'to'), p.to);
      }
    }
    if (e.cli) device(at('cli', 'on'), e.cli.on);
    if (e.counter) out.push({ path: at('counter'), device: e.counter.on, port: e.counter.port });
    if (e.state) device(at('state', 'on'), e.state.on);
  });
  return out;
}
