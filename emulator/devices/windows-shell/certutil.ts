/**
 * The user side of certificates at a domain member's command prompt: certutil (-store, -pulse),
 * certreq -enroll, whoami, and logon/logoff/lock/unlock standing for the Windows logon screen
 * [U: these four are not cmd.exe commands; they are how a lab signs a user on and off].
 */
import { windowsTime } from '../windows-server/clock.ts';
import type { CredentialRoamingClient } from '../windows-server/credential-roaming-client.ts';
import type { UserCertificate } from '../windows-server/credential-roaming.ts';
import type { WindowsProgram } from './command-prompt.ts';

/** The local account the console runs as while no domain user is logged on. */
const LOCAL_USER = 'user';

/** `M/D/YYYY h:mm AM`, as certutil prints validity dates. */
function certTime(ns: number): string {
  return windowsTime(ns).replace(/:\d\d (AM|PM)$/, ' $1');
}

function hashText(hex: string): string {
  return hex.match(/../g)?.join(' ') ?? hex;
}

export function certificateText(c: UserCertificate, index: number): string {
  return [
    `================ Certificate ${index} ================`,
    `Serial Number: ${c.serial}`,
    `Issuer: ${c.issuer}`,
    ` NotBefore: ${certTime(c.notBeforeNs)}`,
    ` NotAfter: ${certTime(c.notAfterNs)}`,
    `Subject: ${c.subject}`,
    `Certificate Template Name (Certificate Type): ${c.template}`,
    'Non-root Certificate',
    `Template: ${c.template}`,
    `Cert Hash(sha1): ${hashText(c.thumbprint)}`,
    '  Key Container = ' + `te-${c.template}-${c.thumbprint.slice(0, 8)}`,
    '  Provider = Microsoft Enhanced Cryptographic Provider v1.0',
    'Encryption test passed',
    '',
  ].join('\n');
}

/** The console's programs for certificates and logon, over the member's client (null: not in a domain). */
export function certificatePrograms(client: CredentialRoamingClient | null, hostname: () => string): Record<string, WindowsProgram> {
  const current = (): string => client?.user ?? LOCAL_USER;
  const localCerts = new Map<string, UserCertificate[]>();
  const certsOf = (user: string): UserCertificate[] => {
    if (client !== null && client.user === user) return client.store(user).certificates;
    return localCerts.get(user) ?? [];
  };
  return {
    certutil: (args) => {
      const opts = args.map((a) => a.toLowerCase());
      const user = opts.includes('-user');
      if (opts.includes('-pulse')) {
        if (user && client !== null && client.user !== null) client.sync(client.user, 'pulse');
        return 'CertUtil: -pulse command completed successfully.\n\n';
      }
      const at = opts.indexOf('-store');
      if (at >= 0) {
        const name = args[at + 1] ?? 'My';
        if (name.toLowerCase() !== 'my') return `${name}\nCertUtil: -store command FAILED: 0x80070002 (WIN32: 2 ERROR_FILE_NOT_FOUND)\nCertUtil: The system cannot find the file specified.\n\n`;
        // Without -user the machine store is shown; it never roams and holds nothing here.
        const certs = user ? certsOf(current()) : [];
        return `My "Personal"\n${certs.map((c, i) => certificateText(c, i)).join('\n')}CertUtil: -store command completed successfully.\n\n`;
      }
      return 'Usage:\n  CertUtil [Options] -store [CertificateStoreName [CertId [OutputFile]]]\n  CertUtil [Options] -pulse\nOptions:\n  -user -- Use HKEY_CURRENT_USER keys or certificate store\n\n';
    },
    certreq: (args) => {
      const opts = args.map((a) => a.toLowerCase());
      if (!opts.includes('-enroll')) return 'Usage:\n  CertReq -enroll [-user|-machine] TemplateName\n\n';
      const template = args.filter((a) => !a.startsWith('-')).pop();
      if (template === undefined) return 'Usage:\n  CertReq -enroll [-user|-machine] TemplateName\n\n';
      if (client === null || client.user === null || !opts.includes('-user')) {
        return 'Active Directory Enrollment Policy\n  ldap:\n\nCertReq: The RPC server is unavailable. 0x800706ba (WIN32: 1722 RPC_S_SERVER_UNAVAILABLE)\n\n';
      }
      const cert = client.enroll(client.user, template);
      return `Active Directory Enrollment Policy\n  ldap:\n\nCertificate retrieved(Issued) Issued\n  Thumbprint: ${cert.thumbprint}\n\n`;
    },
    whoami: () => `${client !== null && client.user !== null ? `${client.netbiosDomain}\\${client.user}` : `${hostname().toLowerCase()}\\${LOCAL_USER}`}\n\n`,
    logon: (args) => {
      const name = args[0];
      if (client === null) return 'This computer is not a member of a domain.\n\n';
      if (name === undefined) return 'Usage: logon <user>\n\n';
      const user = name.replace(/^.*\\/, '').toLowerCase();
      client.logon(user);
      return `${client.netbiosDomain}\\${user} logged on.\n\n`;
    },
    logoff: () => {
      if (client !== null) client.logoff();
      return '';
    },
    lock: () => {
      if (client !== null && client.user !== null) client.locked = true;
      return '';
    },
    unlock: () => {
      if (client !== null) client.unlock();
      return '';
    },
  };
}
