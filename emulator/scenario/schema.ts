import { z } from 'zod';
import { parseDuration } from '../lab/units.ts';
import { scenarioProblems } from './compile.ts';
import { patternProblem } from './pattern.ts';

/**
 * The scenario language, as it is written inside a lab file: timed steps, traffic and
 * expectations. Plain data, interpreted by the scenario engine; nothing here is ever executed.
 *
 * Objects are strict, so a misspelt key is an error rather than a silently ignored line. Values
 * are kept as written (durations stay `10s`, not nanoseconds) so a lab loads and saves back to
 * the same text; `compileScenario` turns them into numbers. Every field carries a description,
 * which the generated JSON Schema passes on to editors. Field order is reading order: the lab
 * serializer writes them in this order.
 */

/** Unit parsing is shared with the lab file's own durations so the two can never disagree. */
export { parseDuration };

const NAME_TEXT = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

const deviceName = z
  .string()
  .regex(NAME_TEXT, 'a device name: a letter, then letters, digits, "_", "." or "-" (at most 63)')
  .describe('A device name, as listed under `devices` in this lab.');

const flowId = z
  .string()
  .regex(NAME_TEXT, 'a flow id: a letter, then letters, digits, "_", "." or "-" (at most 63)')
  .describe('The id of a flow listed under `traffic` in this scenario.');

const DURATION_TEXT = /^\d+(\.\d+)?(ns|us|ms|s|m|h)$/;

function holdsDuration(v: string | number): boolean {
  try {
    parseDuration(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * A duration as written: `500ms`, `10s`, `12m`, `1h` (units ns, us, ms, s, m, h) or a bare
 * number of seconds. The refinement refuses values that simulated time (integer nanoseconds)
 * cannot hold, such as `0.5ns`.
 */
const durationText = z
  .union(
    [
      z.number().nonnegative(),
      z.string().regex(DURATION_TEXT, 'a duration such as 500ms, 10s, 12m or 1h'),
    ],
    { error: 'a duration such as 500ms, 10s, 12m, 1h or a number of seconds' },
  )
  .refine(holdsDuration, 'expected a duration LabBox can hold: whole nanoseconds, below about 104 days');

const time = durationText.describe('A time from the start of the run: 500ms, 10s, 12m, 1h, or a number of seconds.');

const interval = durationText
  .refine((v) => !holdsDuration(v) || parseDuration(v) > 0, 'expected a duration above zero')
  .describe('A duration above zero: 500ms, 1s, 2m, or a number of seconds.');

const address = z
  .string()
  .min(1)
  .describe('An IPv4 address (10.98.0.50), or a device name meaning that device\'s own address.');

const udpPort = z.number().int().min(1).max(65535);

const MAX_CLI_LINE = 4096;
const MAX_CLI_LINES = 200;

const cliLines = z
  .union([z.string().max(MAX_CLI_LINE), z.array(z.string().max(MAX_CLI_LINE)).min(1).max(MAX_CLI_LINES)], {
    error: 'a command line, or a list of command lines',
  })
  .describe('One command line, or a list of lines typed in order (as pasted into the console).');

// ---------------------------------------------------------------------------------------------
// Traffic

const pingFlow = z
  .strictObject({
    from: deviceName.describe('The device that sends the echo requests.'),
    to: address,
    every: interval
      .optional()
      .describe('Time between echo requests. Default 1s, the pace of Windows `ping -t`.'),
    timeout: interval
      .optional()
      .describe(
        'How long a request may wait for its reply before it counts as lost ("Request timed out"). Default 4s, the default of Windows `ping -w`.',
      ),
    size: z.number().int().min(0).max(65500).optional().describe('Bytes of echo data. Default 32, as Windows ping sends.'),
  })
  .describe('An ICMP echo flow like `ping -t`: one request every interval, each answered or lost.');

const udpFlow = z
  .strictObject({
    from: deviceName.describe('The sending device.'),
    to: address,
    port: udpPort.describe('Destination UDP port.'),
    rate: z.number().positive().max(100_000).describe('Datagrams per second.'),
    size: z.number().int().min(0).max(65507).optional().describe('UDP payload bytes per datagram. Default 512.'),
  })
  .describe('A one-way UDP stream; each datagram counts as lost unless it reaches the destination within 1s.');

const multicastFlow = z
  .strictObject({
    from: deviceName.describe('The sending device.'),
    group: z
      .string()
      .regex(/^(22[4-9]|23\d)\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'an IPv4 multicast group such as 239.1.1.1')
      .describe('The IPv4 multicast group (224.0.0.0/4) the stream is sent to.'),
    port: udpPort.describe('Destination UDP port.'),
    rate: z.number().positive().max(100_000).describe('Datagrams per second.'),
    ttl: z
      .number()
      .int()
      .min(1)
      .max(255)
      .optional()
      .describe('IP TTL of each datagram. Default 1, the sockets default for multicast (RFC 1112), which keeps the stream on its own subnet.'),
    size: z.number().int().min(0).max(65507).optional().describe('UDP payload bytes per datagram. Default 512.'),
    receivers: z
      .array(deviceName)
      .min(1)
      .optional()
      .describe('Devices whose reception is measured, one loss record each. Default: every device that joins the group.'),
  })
  .describe('A multicast UDP stream; each receiver is measured on its own.');

const sessionsFlow = z
  .strictObject({
    from: deviceName.describe('The client device that opens the sessions.'),
    to: address,
    port: udpPort.describe('Service port on the destination, e.g. 80 or 443.'),
    protocol: z.enum(['tcp', 'udp']).optional().describe('Transport of each session. Default tcp.'),
    count: z.number().int().min(1).max(10_000).describe('How many sessions, each from its own source port.'),
    'source-port': udpPort
      .optional()
      .describe('First source port; session n uses this plus n. Default 49152, the start of the dynamic port range Windows uses.'),
    every: interval.optional().describe('Time between requests on each session. Default 1s.'),
    timeout: interval.optional().describe('How long a request may wait for its answer before it counts as lost. Default 4s.'),
  })
  .describe(
    'Client sessions to one address spread over source ports, as many users behind one client would open: shows which sessions a load balancer keeps and which it breaks.',
  );

export const trafficSchema = z
  .strictObject({
    id: z
      .string()
      .regex(NAME_TEXT, 'a flow id: a letter, then letters, digits, "_", "." or "-" (at most 63)')
      .describe('Names this flow for expectations and the report.'),
    start: time.optional().describe('When the flow starts. Default 0s.'),
    stop: time.optional().describe('When the flow stops sending. Default: it runs to the end.'),
    ping: pingFlow.optional(),
    udp: udpFlow.optional(),
    multicast: multicastFlow.optional(),
    sessions: sessionsFlow.optional(),
  })
  .describe('A traffic flow: `id` plus exactly one of ping, udp, multicast or sessions.');

// ---------------------------------------------------------------------------------------------
// Steps

const at = time.describe('When the step acts, from the start of the run.');
const note = z.string().max(500).optional().describe('Shown in the timeline next to the step.');

const endpointText = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*:.+$/, 'an endpoint "device:port"')
  .describe('A port, written "device:port".');

const linkRef = z
  .union([endpointText, z.tuple([endpointText, endpointText])], {
    error: 'a link: one of its ends "device:port", or both ends as a list',
  })
  .describe('A link, named by one of its ends ("sw1:Gi1/0/1") or by both ends as a list.');

const stepBase = { at, note };

const doField = <A extends string>(action: A) => z.literal(action).describe(`The action: ${action}.`);

const linkStep = (action: 'link-down' | 'link-up', words: string) =>
  z.strictObject({ ...stepBase, do: doField(action), link: linkRef }).describe(words);

const powerStep = (action: 'power-off' | 'power-on', words: string) =>
  z.strictObject({ ...stepBase, do: doField(action), device: deviceName }).describe(words);

const moduleStep = (action: 'pull-module' | 'insert-module', words: string) =>
  z
    .strictObject({
      ...stepBase,
      do: doField(action),
      target: deviceName.describe('The chassis or enclosure that holds the module.'),
      bay: z.union([z.string().min(1), z.number().int().nonnegative()]).describe('The bay or slot, as the chassis numbers it.'),
    })
    .describe(words);

const nameList = z
  .union([deviceName, z.array(deviceName).min(1)], { error: 'a name, or a list of names' })
  .describe('One name, or a list of names.');

const nodeStep = (action: 'drain-node' | 'resume-node', words: string) =>
  z.strictObject({ ...stepBase, do: doField(action), node: deviceName.describe('The cluster node.') }).describe(words);

const captureStep = (action: 'capture-start' | 'capture-stop', words: string) =>
  z
    .strictObject({
      ...stepBase,
      do: doField(action),
      target: z.string().min(1).describe('What to capture on: a port "device:port", or a device.'),
    })
    .describe(words);

export const STEP_ACTIONS = [
  'link-down',
  'link-up',
  'power-off',
  'power-on',
  'live-migrate',
  'drain-node',
  'resume-node',
  'set',
  'cli',
  'pull-module',
  'insert-module',
  'capture-start',
  'capture-stop',
  'vmm-deploy',
] as const;

export const stepSchema = z
  .discriminatedUnion(
    'do',
    [
      linkStep('link-down', 'Take a link down, as pulling its cable does: both ends lose carrier.'),
      linkStep('link-up', 'Bring a link back up.'),
      powerStep('power-off', 'Cut a device\'s power: it stops at once, with no clean shutdown.'),
      powerStep('power-on', 'Power a device on: it boots from its startup configuration.'),
      z
        .strictObject({
          ...stepBase,
          do: doField('live-migrate'),
          vms: nameList.describe('The virtual machines to move; several start moving at the same moment.'),
          to: nameList.describe('The destination host, or a list of hosts the VMs are spread over in turn.'),
        })
        .describe('Live-migrate one or several VMs at once.'),
      nodeStep('drain-node', 'Pause a cluster node and move its roles away, as Cluster-Aware Updating does before patching.'),
      nodeStep('resume-node', 'Resume a drained cluster node so it can own roles again.'),
      z
        .strictObject({
          ...stepBase,
          do: doField('set'),
          device: deviceName,
          setting: z.string().min(1).describe('A setting of the device\'s kind, as in its `settings`.'),
          value: z.union([z.string(), z.number(), z.boolean()]).describe('The new value.'),
        })
        .describe('Change a device setting while the lab runs (NLB mode, MAC spoofing, teaming mode, …).'),
      z
        .strictObject({
          ...stepBase,
          do: doField('cli'),
          on: deviceName.describe('The device whose console the lines are typed at.'),
          run: cliLines,
        })
        .describe('Type command lines at a device\'s console.'),
      moduleStep('pull-module', 'Pull a module (blade, interconnect, line card) out of its bay.'),
      moduleStep('insert-module', 'Insert a module back into its bay.'),
      captureStep('capture-start', 'Start a packet capture; it appears in the report\'s captures.'),
      captureStep('capture-stop', 'Stop the capture started on the same target.'),
      z
        .strictObject({
          ...stepBase,
          do: doField('vmm-deploy'),
          from: deviceName.describe('The VMM server that sends the requests.'),
          to: deviceName.describe('The Hyper-V host the new VMs are created on.'),
          vms: nameList.describe('Names of the new VMs; one WinRM operation each, all sent at the same moment.'),
          'disk-gb': z.number().positive().max(65536).optional().describe('Size of each new VM\'s fixed virtual disk, which the host writes, in GB. Default 10.'),
          timeout: interval.optional().describe('The OperationTimeout VMM puts on each request; the host grants at most its MaxTimeoutms. Default 30m.'),
        })
        .describe('A VMM server deploys new VMs to a Hyper-V host over WinRM.'),
    ],
    { error: `an action: one of ${STEP_ACTIONS.join(', ')}` },
  )
  .describe('A timed action: `at` a time, `do` an action, plus that action\'s fields.');

// ---------------------------------------------------------------------------------------------
// Expectations

const pattern = z
  .string()
  .superRefine((p, ctx) => {
    const problem = patternProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: `expected ${problem}` });
  })
  .describe('A regular expression (JavaScript syntax); `^` and `$` match at the start and end of each output line.');

const probeOptions = {
  count: z.number().int().min(1).max(100).optional().describe('Echo requests to send. Default 4, as Windows `ping` sends.'),
  every: interval.optional().describe('Time between requests. Default 1s.'),
  timeout: interval.optional().describe('How long each request waits for its reply. Default 4s.'),
};

const reachability = z
  .strictObject({ from: deviceName.describe('The device that pings.'), to: address, ...probeOptions })
  .describe('Pings sent from `at`; the check is decided when the last one has had its timeout.');

const counterRef = z
  .strictObject({
    on: deviceName,
    port: z.string().min(1).describe('The port or port-channel, as the device names it (Gi1/0/1, Po1).'),
    name: z.string().min(1).describe('The counter, as the device names it: e.g. out-multicast, out-unicast, in-octets.'),
  })
  .describe('One interface counter.');

export const expectationSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional().describe('Names the check in reports and CI. Default: generated from the check.'),
    flow: flowId.optional().describe('The flow this check measures, at the end of the run.'),
    'max-outage': durationText.optional().describe('The flow\'s longest outage must be at most this.'),
    'max-lost': z.number().int().nonnegative().optional().describe('At most this many of the flow\'s probes may be lost.'),
    'min-lost': z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('At least this many probes must be lost: for outcomes that must fail.'),
    at: time.optional().describe('When the check looks at the network.'),
    reachable: reachability.optional().describe('At least one echo request must be answered.'),
    unreachable: reachability.optional().describe('No echo request may be answered.'),
    cli: z
      .strictObject({ on: deviceName, run: cliLines })
      .optional()
      .describe('Type these lines at the device; its output is what `matches` or `not-matches` look at.'),
    matches: pattern.optional().describe('The CLI output must contain a match of this pattern.'),
    'not-matches': pattern.optional().describe('The CLI output must contain no match of this pattern.'),
    'ignore-case': z.boolean().optional().describe('Match letters of either case. Default false.'),
    counter: counterRef.optional().describe('A counter read at both ends of `between`.'),
    between: z.tuple([time, time]).optional().describe('The two times [from, to] the counter is read at.'),
    rises: z.literal(true).optional().describe('The counter must rise between the two times.'),
    'stays-flat': z.literal(true).optional().describe('The counter must not change between the two times.'),
    'at-most': z.number().int().nonnegative().optional().describe('The counter may rise by at most this much.'),
    'at-least': z.number().int().nonnegative().optional().describe('The counter must rise by at least this much.'),
    state: z
      .strictObject({
        on: deviceName,
        is: z.string().min(1).optional().describe('The state that must hold.'),
        'is-not': z.string().min(1).optional().describe('The state that must not hold.'),
      })
      .optional()
      .describe(
        'A state the device reports, by name: nlb-converged, nlb-misconfigured, duplicate-ip-warning, lacp-bundled, … (each device kind lists its own).',
      ),
  })
  .describe(
    'One check: a flow bound ({flow, max-outage}), reachability at a time, CLI output at a time, a counter between two times, or a device state at a time.',
  );

// ---------------------------------------------------------------------------------------------
// The scenario

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME_TEXT, 'a name: a letter, then letters, digits, "_", "." or "-" (at most 63)')
      .describe('Names the scenario for `labbox run --scenario` and reports.'),
    title: z.string().optional().describe('A one-line title for people.'),
    description: z.string().optional().describe('What the scenario shows and why; shown to trainees.'),
    seed: z.number().int().nonnegative().optional().describe('Seed of the run\'s random choices. Same lab, scenario and seed: same run.'),
    duration: z
      .union([z.number().nonnegative(), z.string().regex(DURATION_TEXT, 'a duration such as 500ms, 10s, 12m or 1h')], {
        error: 'a duration such as 500ms, 10s, 12m, 1h or a number of seconds',
      })
      .optional()
      .describe('Simulated time the run lasts. Default: 60s, or 10s past the last timed entry if that is later.'),
    traffic: z.array(trafficSchema).optional().describe('Flows that run during the scenario and are measured.'),
    steps: z.array(stepSchema).optional().describe('Timed actions.'),
    expect: z.array(expectationSchema).optional().describe('Checks; the run passes when every one holds.'),
  })
  .superRefine((s, ctx) => {
    for (const p of scenarioProblems(s)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  })
  .describe('A scenario: traffic, timed steps and expectations, run on this lab\'s devices.');

export type ScenarioSpec = z.infer<typeof scenarioSchema>;
export type TrafficSpec = z.infer<typeof trafficSchema>;
export type StepSpec = z.infer<typeof stepSchema>;
export type ExpectationSpec = z.infer<typeof expectationSchema>;

