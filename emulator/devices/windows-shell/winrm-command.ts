/**
 * winrm.cmd, the WinRM command-line tool: `helpmsg` decodes an error number anywhere; `get` and
 * `set` read and write the local WinRM service's configuration, which needs that service running
 * (the tool talks to it, not to the registry). Kinds that model the service hand it in; on the
 * others `get` and `set` answer as a machine whose WinRM service is not running does.
 */

/** The configuration values the model keeps; the rest of the tree prints its shipped defaults. */
export interface WinRmConfigValues {
  maxTimeoutMs: number;
  maxConcurrentOperationsPerUser: number;
}

/** The local WinRM service as the tool sees it. */
export interface WinRmConfigStore {
  readonly running: boolean;
  /** The stored configuration: what `set` writes and `get` shows. */
  readonly stored: WinRmConfigValues;
  store(values: Partial<WinRmConfigValues>): void;
}

export const WSMAN_OPERATION_TIMEDOUT = 0x80338029;
export const WSMAN_CANNOT_CONNECT = 0x80338012;
export const WSMAN_QUOTA_MAX_OPERATIONS_USER = 0x803381a6;

/**
 * The texts `winrm helpmsg` prints. 0x80338029's is the one the field note quotes; the other two
 * are recalled [U: codes and wording not checked against a live system].
 */
const MESSAGES: ReadonlyMap<number, string> = new Map([
  [WSMAN_OPERATION_TIMEDOUT, 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.'],
  [
    WSMAN_CANNOT_CONNECT,
    'The client cannot connect to the destination specified in the request. Verify that the service on the destination is running and is accepting requests. Consult the logs and documentation for the WS-Management service running on the destination, most commonly IIS or WinRM. If the destination is the WinRM service, run the following command on the destination to analyze and configure the WinRM service: "winrm quickconfig".',
  ],
  [
    WSMAN_QUOTA_MAX_OPERATIONS_USER,
    'The WS-Management service cannot process the request. This user is allowed a maximum number of {0} concurrent operations, which has been exceeded. Close existing operations for this user, or raise the quota for this user.',
  ],
]);

/** The message of a WinRM error number, with `{0}` filled in where the message has one. */
export function winrmMessage(code: number, arg = ''): string {
  return (MESSAGES.get(code) ?? 'The system cannot find message text for message number 0x%1 in the message file for %2.').replace('{0}', arg);
}

/** How winrm.cmd shows a fault: the message, then the error as a signed decimal and in hex. */
export function winrmFaultText(code: number, arg = ''): string {
  const msg = winrmMessage(code, arg);
  const signed = code >= 0x80000000 ? code - 0x100000000 : code;
  return `WSManFault\n    Message = ${msg}\n\nError number:  ${signed} 0x${code.toString(16).toUpperCase()}\n${msg}\n`;
}

const USAGE =
  'Windows Remote Management Command Line Tool\n\nWindows Remote Management (WinRM) is the Microsoft implementation of\nthe WS-Management protocol which provides a secure way to communicate\nwith local and remote computers using web services.\n\nUsage:\n  winrm OPERATION RESOURCE_URI [-SWITCH:VALUE [-SWITCH:VALUE] ...]\n        [@{KEY=VALUE[;KEY=VALUE]...}]\n\nFor help on a specific operation:\n  winrm g[et] -?        Retrieving management information.\n  winrm s[et] -?        Modifying management information.\n  winrm helpmsg errorcode  Displays error message for the error code.\n\n';

/** `winrm ARGS` at a console; `service` is the machine's own WinRM service, when modelled. */
export function winrmCommand(args: readonly string[], service: WinRmConfigStore | null): string {
  const op = (args[0] ?? '').toLowerCase();
  if (op === 'helpmsg') return helpmsg(args[1]);
  const isGet = op === 'get' || op === 'g';
  const isSet = op === 'set' || op === 's';
  if (!isGet && !isSet) return USAGE;
  const section = sectionOf(args[1] ?? '');
  // Resources other than the two the model keeps are not modelled: the tool's usage answers.
  if (section === null) return USAGE;
  if (service === null || !service.running) return winrmFaultText(WSMAN_CANNOT_CONNECT) + '\n';
  if (isSet) {
    // cmd.exe split the line on spaces; the hashtable may hold spaces (`@{MaxTimeoutms = "1800000"}`).
    const change = parseHashtable(args.slice(2).join(' '));
    if (change === null) return USAGE;
    const values: Partial<WinRmConfigValues> = {};
    for (const [key, value] of change) {
      const n = Number(value);
      const k = key.toLowerCase();
      if (section === 'config' && k === 'maxtimeoutms' && Number.isInteger(n) && n >= 500) values.maxTimeoutMs = n;
      else if (section === 'service' && k === 'maxconcurrentoperationsperuser' && Number.isInteger(n) && n >= 1) values.maxConcurrentOperationsPerUser = n;
      // Keys the model does not keep, or values out of range: nothing is changed.
      else return USAGE;
    }
    service.store(values);
  }
  // `set` echoes the resource as it now stands, as `get` of the same URI would [U].
  return configText(service.stored, section) + '\n';
}

function helpmsg(code: string | undefined): string {
  if (code === undefined) return USAGE;
  const n = /^0x[0-9a-f]+$/i.test(code) ? parseInt(code, 16) : Number(code);
  if (!Number.isInteger(n)) return USAGE;
  const unsigned = n < 0 ? n + 0x100000000 : n;
  return `${winrmMessage(unsigned)}\n\n`;
}

type Section = 'config' | 'service';

function sectionOf(uri: string): Section | null {
  const u = uri.toLowerCase().replace(/\\/g, '/');
  if (u === 'winrm/config') return 'config';
  if (u === 'winrm/config/service') return 'service';
  return null;
}

/** `@{Key="Value";Key2="Value2"}` → pairs; null when it is not one. */
function parseHashtable(text: string): [string, string][] | null {
  const m = /^@\{(.*)\}$/s.exec(text.trim());
  if (m === null) return null;
  const out: [string, string][] = [];
  for (const part of m[1].split(';')) {
    if (part.trim() === '') continue;
    const kv = /^\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (kv === null) return null;
    out.push([kv[1], kv[2]]);
  }
  return out.length > 0 ? out : null;
}

/**
 * The configuration tree as WinRM 2.0 (Windows Server 2008 R2) prints it [U: the shape and the
 * fixed values are recalled, not checked against a live host; later versions ship larger values
 * for some, e.g. MaxEnvelopeSizekb and MaxConnections]. The two modelled values come from the
 * store; the rest are shipped defaults the model does not act on.
 */
function serviceLines(v: WinRmConfigValues): string[] {
  return [
    'Service',
    '    RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)(AU;SA;GWGX;;;WD)',
    '    MaxConcurrentOperations = 4294967295',
    `    MaxConcurrentOperationsPerUser = ${v.maxConcurrentOperationsPerUser}`,
    '    EnumerationTimeoutms = 60000',
    '    MaxConnections = 25',
    '    MaxPacketRetrievalTimeSeconds = 120',
    '    AllowUnencrypted = false',
    '    Auth',
    '        Basic = false',
    '        Kerberos = true',
    '        Negotiate = true',
    '        Certificate = false',
    '        CredSSP = false',
    '        CbtHardeningLevel = Relaxed',
    '    DefaultPorts',
    '        HTTP = 5985',
    '        HTTPS = 5986',
    '    IPv4Filter = *',
    '    IPv6Filter = *',
    '    EnableCompatibilityHttpListener = false',
    '    EnableCompatibilityHttpsListener = false',
    '    CertificateThumbprint',
  ];
}

function configText(v: WinRmConfigValues, section: Section): string {
  if (section === 'service') return serviceLines(v).join('\n') + '\n';
  const indent = (lines: string[]): string[] => lines.map((l) => `    ${l}`);
  return [
    'Config',
    '    MaxEnvelopeSizekb = 150',
    `    MaxTimeoutms = ${v.maxTimeoutMs}`,
    '    MaxBatchItems = 32000',
    '    MaxProviderRequests = 4294967295',
    ...indent([
      'Client',
      '    NetworkDelayms = 5000',
      '    URLPrefix = wsman',
      '    AllowUnencrypted = false',
      '    Auth',
      '        Basic = true',
      '        Digest = true',
      '        Kerberos = true',
      '        Negotiate = true',
      '        Certificate = true',
      '        CredSSP = false',
      '    DefaultPorts',
      '        HTTP = 5985',
      '        HTTPS = 5986',
      '    TrustedHosts',
    ]),
    ...indent(serviceLines(v)),
    ...indent([
      'Winrs',
      '    AllowRemoteShellAccess = true',
      '    IdleTimeout = 180000',
      '    MaxConcurrentUsers = 5',
      '    MaxShellRunTime = 2147483647',
      '    MaxProcessesPerShell = 15',
      '    MaxMemoryPerShellMB = 150',
      '    MaxShellsPerUser = 5',
    ]),
  ].join('\n') + '\n';
}
