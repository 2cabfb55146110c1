/**
 * Credential Roaming on a domain member (DOMAIN.md §8.4): each user's Personal certificate store,
 * who is logged on, and the synchronisation with the user's object in AD.
 *
 * A sync runs at logon and logoff, at unlock, at each Group Policy refresh (every 8 h while the
 * user is logged on), after an enrollment and on `certutil -user -pulse`. It reads the user's
 * roaming attributes and the domain policy from a DC over LDAP (TCP 389): with the policy off
 * nothing is copied; when AD holds nothing yet the local store is copied up (first use);
 * otherwise the side with the later roaming timestamp is copied over the other. A DC that cannot
 * be reached means no sync until the next trigger. Local accounts never roam.
 *
 * The whole store is compared by one timestamp; per-certificate merging, the token attribute of
 * 2008+, removal at logoff and the CA that real enrollment talks to are not modelled: `certreq
 * -enroll` issues the certificate at once, as an enterprise CA would to a domain user.
 */
import type { Network } from '../../core/network.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import type { Settings, SettingSpec } from '../kind.ts';
import { domainDn, guidFrom } from './ad-directory.ts';
import { blobBytes, endpointKey, ldapExchanges, LDAP_PORT, type LdapReply, type LdapRequest, type RoamingBlob, type UserCertificate } from './credential-roaming.ts';

export const GP_REFRESH_NS = 8 * 3600 * SECOND;
const YEAR_NS = 365 * 86400 * SECOND;
const FIRST_PORT = 50100;
const GP_REFRESH = 1;

export type SyncTrigger = 'logon' | 'logoff' | 'unlock' | 'gp-refresh' | 'enrollment' | 'pulse';
export type SyncOutcome = 'uploaded' | 'downloaded' | 'in-sync' | 'policy-off' | 'unknown-user' | 'unreachable';

export interface SyncRecord {
  atNs: number;
  user: string;
  trigger: SyncTrigger;
  outcome: SyncOutcome;
}

interface LocalStore {
  certificates: UserCertificate[];
  /** When the store last changed here or was copied from AD; null while it never has. */
  timestampNs: number | null;
  masterKey: string;
}

/** 40 hex digits derived from a text, standing in for a SHA-1 thumbprint. */
export function thumbprintOf(text: string): string {
  return [0, 1, 2].map((i) => guidFrom(`${i}:${text}`).replace(/-/g, '')).join('').slice(0, 40);
}

export class CredentialRoamingClient implements EventHandler {
  readonly stores = new Map<string, LocalStore>();
  readonly syncs: SyncRecord[] = [];
  /** The logged-on domain user; null when nobody is (the console then runs as the local account). */
  user: string | null = null;
  locked = false;
  private readonly handlerId: number;
  private gpTimer = -1;
  private nextPort = FIRST_PORT;

  constructor(
    readonly host: IpHost,
    readonly machine: string,
    readonly domain: string,
    readonly dcIp: number,
  ) {
    this.handlerId = host.net.sched.register(this);
  }

  get net(): Network {
    return this.host.net;
  }

  /** NetBIOS-style domain name, as `whoami` prints it. */
  get netbiosDomain(): string {
    return this.domain.split('.')[0];
  }

  store(user: string): LocalStore {
    let s = this.stores.get(user);
    if (s === undefined) {
      s = { certificates: [], timestampNs: null, masterKey: guidFrom(`dpapi:${this.domain}:${user}`) };
      this.stores.set(user, s);
    }
    return s;
  }

  logon(user: string): void {
    if (this.user !== null) this.logoff();
    this.user = user;
    this.locked = false;
    this.gpTimer = this.net.sched.schedule(GP_REFRESH_NS, this.handlerId, GP_REFRESH, null);
    this.sync(user, 'logon');
  }

  logoff(): void {
    if (this.user === null) return;
    this.sync(this.user, 'logoff');
    this.user = null;
    this.locked = false;
    if (this.gpTimer >= 0) this.net.sched.cancel(this.gpTimer);
    this.gpTimer = -1;
  }

  unlock(): void {
    if (this.user === null || !this.locked) return;
    this.locked = false;
    this.sync(this.user, 'unlock');
  }

  onEvent(code: number): void {
    if (code !== GP_REFRESH || this.user === null) return;
    this.gpTimer = this.net.sched.schedule(GP_REFRESH_NS, this.handlerId, GP_REFRESH, null);
    this.sync(this.user, 'gp-refresh');
  }

  /** A certificate issued for `user` from `template`, stored locally and then synced. */
  enroll(user: string, template: string): UserCertificate {
    const now = this.net.now;
    const seed = `${this.domain}|${user}|${template}|${this.machine}|${now}`;
    const cert: UserCertificate = {
      subject: `CN=${user}, CN=Users, ${domainDn(this.domain).replace(/,/g, ', ')}`,
      issuer: `CN=${this.netbiosDomain}-CA, ${domainDn(this.domain).replace(/,/g, ', ')}`,
      template,
      serial: thumbprintOf(`serial:${seed}`).slice(0, 20),
      thumbprint: thumbprintOf(seed),
      notBeforeNs: now,
      notAfterNs: now + YEAR_NS,
    };
    const s = this.store(user);
    s.certificates.push(cert);
    s.timestampNs = now;
    this.sync(user, 'enrollment');
    return cert;
  }

  /** One synchronisation of `user`'s store with AD, over a connection of its own. */
  sync(user: string, trigger: SyncTrigger): void {
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 60000 ? FIRST_PORT : this.nextPort + 1;
    const exchanges = ldapExchanges(this.net);
    let key = '';
    let got = 0;
    let consumed = 0;
    let done = false;
    const finish = (outcome: SyncOutcome): void => {
      if (done) return;
      done = true;
      exchanges.delete(key);
      this.syncs.push({ atNs: this.net.now, user, trigger, outcome });
    };
    const send = (req: LdapRequest): void => {
      exchanges.set(key, { request: req, reply: null });
      c.send(req.bytes);
    };
    const c = this.host.tcp.connect(this.dcIp, LDAP_PORT, port, {
      onOpen: () => send({ op: 'read', user, bytes: 300 }),
      onData: (conn, bytes) => {
        got += bytes;
        const ex = exchanges.get(key);
        if (ex === undefined || ex.reply === null || got - consumed < ex.reply.bytes) return;
        consumed += ex.reply.bytes;
        if (ex.request.op === 'write') {
          conn.close();
          return finish('uploaded');
        }
        const next = this.decide(user, ex.reply);
        if (next === null) return;
        if (typeof next === 'string') {
          conn.close();
          return finish(next);
        }
        send({ op: 'write', user, blob: next, bytes: 300 + blobBytes(next) });
      },
      onPeerClose: (conn) => conn.close(),
      onClosed: () => finish('unreachable'),
    });
    key = endpointKey(c.localIp, c.localPort);
  }

  /** The sync algorithm on the reply to a read: an outcome, or the blob to write to AD. */
  private decide(user: string, reply: LdapReply): SyncOutcome | RoamingBlob | null {
    if (!reply.found) return 'unknown-user';
    if (!reply.policy) return 'policy-off';
    const local = this.store(user);
    const mine: RoamingBlob = { timestampNs: local.timestampNs ?? 0, certificates: local.certificates.map((x) => ({ ...x })), masterKey: local.masterKey };
    if (reply.blob === null) return mine;
    if (local.timestampNs !== null && local.timestampNs > reply.blob.timestampNs) return mine;
    if (local.timestampNs === null || reply.blob.timestampNs > local.timestampNs) {
      local.certificates = reply.blob.certificates.map((x) => ({ ...x }));
      local.timestampNs = reply.blob.timestampNs;
      local.masterKey = reply.blob.masterKey;
      return 'downloaded';
    }
    return 'in-sync';
  }
}

/** The member's client from its settings; null when it is not in a domain. */
export function roamingClientFromSettings(host: IpHost, machine: string, s: Settings): CredentialRoamingClient | null {
  const domain = typeof s['domain'] === 'string' ? s['domain'].trim().toLowerCase() : '';
  const dc = typeof s['dc'] === 'string' ? s['dc'].trim() : '';
  if (domain === '' || dc === '') return null;
  return new CredentialRoamingClient(host, machine, domain, parseIpv4(dc));
}

export const DOMAIN_MEMBER_SETTINGS: Record<string, SettingSpec> = {
  domain: { type: 'string', description: 'Active Directory domain this computer is a member of (e.g. corp.example); empty: a workgroup computer', default: '' },
  dc: { type: 'ipv4', description: 'Address of the domain controller the computer talks LDAP to (logon, Credential Roaming)' },
};
