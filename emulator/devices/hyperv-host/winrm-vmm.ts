/**
 * A VMM server deploying new VMs to a Hyper-V host: one WinRM operation per VM, all sent at the
 * same moment, each writing the VM's virtual disk on the host. A VM exists on the host once its
 * operation completed; one whose operation failed (timed out, refused) is not created.
 */
import type { Network } from '../../core/network.ts';
import { HypervHost, findVm } from './host.ts';
import { vmSpecFromSettings } from './vm.ts';

export interface VmmDeployment {
  /** The VMM server that sends the requests. */
  from: string;
  /** The Hyper-V host the VMs go to. */
  to: string;
  vms: readonly string[];
  /** Size of each VM's fixed virtual disk, in bytes. */
  diskBytes: number;
  /** The OperationTimeout VMM puts on each request, in ms. */
  timeoutMs: number;
}

/**
 * The account VMM's requests run as; one account for all of them, so all of them count against
 * one user's MaxConcurrentOperationsPerUser.
 */
export const VMM_ACCOUNT = 'NT AUTHORITY\\SYSTEM';

/** Send the deployment's requests. Returns the reasons some could not be sent. */
export function deployVms(net: Network, d: VmmDeployment): string[] {
  const host = net.node(d.to);
  if (!(host instanceof HypervHost)) return [`${d.to} is not a Hyper-V host`];
  const errors: string[] = [];
  const asked = new Set<string>();
  for (const name of d.vms) {
    if (findVm(net, name) !== null || asked.has(name.toLowerCase())) {
      errors.push(`a VM named ${name} already exists`);
      continue;
    }
    asked.add(name.toLowerCase());
    const what = `create virtual machine ${name}`;
    if (!host.vmmAgentRunning) {
      // VMM reaches its agent on the host over WinRM; with the agent stopped nothing answers [U: VMM's own error].
      net.emit('winrm.fault', `${d.to}: ${what} from ${d.from} failed: the Virtual Machine Manager Agent is not running`, d.to);
      continue;
    }
    host.winrm.request({
      user: VMM_ACCOUNT,
      from: d.from,
      what,
      timeoutMs: d.timeoutMs,
      workBytes: d.diskBytes,
      complete: () => {
        // Another deployment may have created a VM of that name meanwhile: the later one loses.
        if (findVm(net, name) !== null) net.emit('vmm.job.failed', `${d.to}: ${what} from ${d.from} failed: a VM named ${name} already exists`, d.to);
        else host.createVm(vmSpecFromSettings(name, {}));
      },
      done: () => {},
    });
  }
  return errors;
}
