/**
 * Credential Roaming, the domain controller's side (DOMAIN.md §8.4): user objects in the domain
 * NC carrying the roaming attributes, the domain policy that turns roaming on, and the LDAP
 * service (TCP 389) that domain members read and write those attributes through.
 *
 * The roaming attributes are ordinary attributes of the user object, so a value written on one
 * DC replicates to the others like any other. The Credential Roaming GPO is modelled as one
 * attribute of a policy object in the domain NC, which replicates likewise; the DC setting
 * `credentialRoaming` writes it (SYSVOL and the GPO's other parts are not modelled).
 *
 * TCP here carries byte counts only, so a request's and a reply's contents are handed over beside
 * the connection, keyed by the client's `address:port`, and used once their bytes have arrived
 * (as the replication pulls in ad-dc.ts do).
 */
import type { Network } from '../../core/network.ts';
import type { TcpConnection } from '../../l3/tcp.ts';
import type { SettingSpec } from '../kind.ts';
import type { AdDomainController } from './ad-dc.ts';
import { guidFrom } from './ad-directory.ts';

export const LDAP_PORT = 389;
export const ATTR_TIMESTAMP = 'msPKIRoamingTimeStamp';
export const ATTR_MASTER_KEYS = 'msPKIDPAPIMasterKeys';
export const ATTR_CREDENTIALS = 'msPKIAccountCredentials';
/** The policy attribute standing for the GPO's "Certificate Services Client – Credential Roaming" setting. */
const ATTR_POLICY = 'credentialRoamingEnabled';

/** A certificate of a user's Personal store, reduced to what the console shows of it. */
export interface UserCertificate {
  subject: string;
  issuer: string;
  template: string;
  serial: string;
  /** SHA-1 thumbprint as 40 hex digits. */
  thumbprint: string;
  notBeforeNs: number;
  notAfterNs: number;
}

/** What roams for one user: the Personal store, the DPAPI master key, and when it last changed. */
export interface RoamingBlob {
  timestampNs: number;
  certificates: UserCertificate[];
  masterKey: string;
}

export type LdapRequest =
  | { op: 'read'; user: string; bytes: number }
  | { op: 'write'; user: string; blob: RoamingBlob; bytes: number };

export interface LdapReply {
  /** Whether the domain's Credential Roaming policy is on. */
  policy: boolean;
  /** Whether the user exists in the domain. */
  found: boolean;
  /** The user's roaming data in AD; null before the first upload. */
  blob: RoamingBlob | null;
  bytes: number;
}

/** One LDAP exchange under way: the request, and the reply once the server has answered. */
export interface LdapExchange {
  request: LdapRequest;
  reply: LdapReply | null;
}

/** Exchanges under way by the client's `address:port`; a new request on a connection replaces the last. */
const EXCHANGES = new WeakMap<Network, Map<string, LdapExchange>>();

export function ldapExchanges(net: Network): Map<string, LdapExchange> {
  let m = EXCHANGES.get(net);
  if (m === undefined) {
    m = new Map();
    EXCHANGES.set(net, m);
  }
  return m;
}

export function endpointKey(ip: number, port: number): string {
  return `${ip >>> 0}:${port}`;
}

/** Wire size of a roaming blob: a certificate with its key is a few kilobytes [U: order of magnitude]. */
export function blobBytes(blob: RoamingBlob | null): number {
  return blob === null ? 0 : 200 + 2500 * blob.certificates.length;
}

export function userDn(ncDn: string, user: string): string {
  return `CN=${user},CN=Users,${ncDn}`;
}

export class CredentialRoamingDirectory {
  readonly counters = { reads: 0, writes: 0 };

  constructor(
    readonly dc: AdDomainController,
    users: readonly string[],
  ) {
    // Users exist on every DC of the domain from the start, stamped alike so they never travel.
    const origin = guidFrom(`install:${dc.domain}`);
    users.forEach((u, i) => dc.nc.seed(userDn(dc.nc.dn, u), 'objectClass', 'user', { invocation: origin, usn: 1000 + i }));
  }

  get policyDn(): string {
    return `CN=Credential Roaming,CN=Policies,CN=System,${this.dc.nc.dn}`;
  }

  /** The GPO as this DC holds it (its own write or one replicated in). */
  policyEnabled(): boolean {
    return this.dc.nc.get(this.policyDn, ATTR_POLICY) === 'TRUE';
  }

  /** An administrator editing the GPO on this DC: an originating write that replicates. */
  setPolicy(enabled: boolean): void {
    this.dc.write(this.policyDn, ATTR_POLICY, enabled ? 'TRUE' : 'FALSE');
  }

  userExists(user: string): boolean {
    return this.dc.nc.get(userDn(this.dc.nc.dn, user), 'objectClass') === 'user';
  }

  read(user: string): RoamingBlob | null {
    const dn = userDn(this.dc.nc.dn, user);
    const ts = this.dc.nc.get(dn, ATTR_TIMESTAMP);
    if (ts === undefined) return null;
    const creds = this.dc.nc.get(dn, ATTR_CREDENTIALS) ?? '[]';
    return { timestampNs: Number(ts), certificates: JSON.parse(creds) as UserCertificate[], masterKey: this.dc.nc.get(dn, ATTR_MASTER_KEYS) ?? '' };
  }

  write(user: string, blob: RoamingBlob): void {
    const dn = userDn(this.dc.nc.dn, user);
    this.dc.write(dn, ATTR_CREDENTIALS, JSON.stringify(blob.certificates));
    this.dc.write(dn, ATTR_MASTER_KEYS, blob.masterKey);
    this.dc.write(dn, ATTR_TIMESTAMP, String(blob.timestampNs));
  }

  start(): void {
    this.dc.server.host.tcp.listen(LDAP_PORT, (c) => this.accept(c));
  }

  /** Answers each request once its bytes are in; several requests may follow on one connection. */
  private accept(c: TcpConnection): void {
    const key = endpointKey(c.remoteIp, c.remotePort);
    let got = 0;
    let consumed = 0;
    c.events = {
      onData: (conn, bytes) => {
        got += bytes;
        const ex = ldapExchanges(this.dc.net).get(key);
        if (ex === undefined || ex.reply !== null || got - consumed < ex.request.bytes) return;
        consumed += ex.request.bytes;
        const req = ex.request;
        const found = this.userExists(req.user);
        if (req.op === 'write' && found) {
          this.counters.writes++;
          this.write(req.user, req.blob);
        } else this.counters.reads++;
        const blob = found ? this.read(req.user) : null;
        ex.reply = { policy: this.policyEnabled(), found, blob, bytes: 150 + (req.op === 'read' ? blobBytes(blob) : 0) };
        conn.send(ex.reply.bytes);
      },
      onPeerClose: (conn) => conn.close(),
    };
  }
}

export const CREDENTIAL_ROAMING_DC_SETTINGS: Record<string, SettingSpec> = {
  adUsers: { type: 'string', description: 'User accounts of the domain (comma-separated), created on this DC as on every DC of the domain', default: '' },
  credentialRoaming: {
    type: 'boolean',
    description: 'Domain GPO: Certificate Services Client – Credential Roaming enabled (written on this DC and replicated); off by default',
    default: false,
  },
};
