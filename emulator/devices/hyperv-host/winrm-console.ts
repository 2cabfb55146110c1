/**
 * The native programs the host's console runs besides cmdlets for WinRM: winrm.cmd, and
 * `net stop` / `net start` of the WinRM service and of the VMM agent that depends on it.
 * Stopping WinRM stops the agent too, after net.exe asks (answer `Y`, or pass `/y`); that is why
 * the field note's procedure ends with `net start vmmagent`.
 */
import { winrmCommand } from '../windows-shell/winrm-command.ts';
import type { HypervHost } from './host.ts';

const WINRM = 'Windows Remote Management (WS-Management)';
/** Display name of the VMM 2008 R2 agent service [U: recalled]. */
const AGENT = 'Virtual Machine Manager Agent';

const started = (name: string): string => `The ${name} service is starting.\nThe ${name} service was started successfully.\n\n`;
const stopped = (name: string): string => `The ${name} service is stopping.\nThe ${name} service was stopped successfully.\n\n`;
const ALREADY_STARTED = 'The requested service has already been started.\n\nMore help is available by typing NET HELPMSG 2182.\n\n';
const NOT_STARTED = (name: string): string => `The ${name} service is not started.\n\nMore help is available by typing NET HELPMSG 3521.\n\n`;
const NO_SERVICE = 'The service name is invalid.\n\nMore help is available by typing NET HELPMSG 2185.\n\n';

export class HostNativeCommands {
  /** `net stop winrm` waiting for its Y/N answer. */
  private confirming = false;

  constructor(private readonly host: HypervHost) {}

  /** True while net.exe waits for an answer: the console shows no prompt of its own then. */
  get waiting(): boolean {
    return this.confirming;
  }

  /** The program's output, or null when the line is not one of these programs (a cmdlet). */
  input(line: string): string | null {
    const text = line.trim();
    if (this.confirming) {
      this.confirming = false;
      if (/^y(es)?$/i.test(text)) return this.stopWinrm();
      return '\n';
    }
    const words = text.split(/\s+/);
    const program = words[0].toLowerCase().replace(/\.(exe|cmd)$/, '');
    if (program === 'winrm') return winrmCommand(words.slice(1), this.host.winrm);
    if (program === 'net') return this.net(words.slice(1));
    return null;
  }

  private net(args: string[]): string {
    const verb = (args[0] ?? '').toLowerCase();
    const name = (args[1] ?? '').toLowerCase();
    const yes = args.slice(2).some((a) => /^\/y(es)?$/i.test(a));
    const svc = this.host.winrm;
    if (verb !== 'start' && verb !== 'stop') return 'The syntax of this command is:\n\nNET\n    [ ACCOUNTS | COMPUTER | CONFIG | CONTINUE | FILE | GROUP | HELP |\n      HELPMSG | LOCALGROUP | PAUSE | SESSION | SHARE | START |\n      STATISTICS | STOP | TIME | USE | USER | VIEW ]\n\n';
    if (name === 'winrm') {
      if (verb === 'start') {
        if (svc.running) return ALREADY_STARTED;
        svc.start();
        return started(WINRM);
      }
      if (!svc.running) return NOT_STARTED(WINRM);
      if (this.host.vmmAgentRunning && !yes) {
        this.confirming = true;
        return `The following services are dependent on the ${WINRM} service.\nStopping the ${WINRM} service will also stop these services.\n\n   ${AGENT}\n\nDo you want to continue this operation? (Y/N) [N]: `;
      }
      return this.stopWinrm();
    }
    if (name === 'vmmagent') {
      if (verb === 'stop') {
        if (!this.host.vmmAgentRunning) return NOT_STARTED(AGENT);
        this.host.vmmAgentRunning = false;
        return stopped(AGENT);
      }
      if (this.host.vmmAgentRunning) return ALREADY_STARTED;
      // Starting a service starts the services it depends on first.
      let out = '';
      if (!svc.running) {
        svc.start();
        out += started(WINRM);
      }
      this.host.vmmAgentRunning = true;
      return out + started(AGENT);
    }
    return NO_SERVICE;
  }

  private stopWinrm(): string {
    let out = '';
    if (this.host.vmmAgentRunning) {
      this.host.vmmAgentRunning = false;
      out += stopped(AGENT);
    }
    this.host.winrm.stop();
    return out + stopped(WINRM);
  }
}
