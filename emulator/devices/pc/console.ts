/** The client PC's command prompt: the shared Windows shell over the PC's stack, one Intel adapter named Ethernet. */
import type { IpInterface } from '../../l3/ip-host.ts';
import { WindowsCommandPrompt } from '../windows-shell/command-prompt.ts';
import { numberedDescription } from '../windows-shell/net-text.ts';
import type { ClientPc } from './device.ts';
import { certificatePrograms } from '../windows-shell/certutil.ts';

export function pcConsole(pc: ClientPc): WindowsCommandPrompt {
  return new WindowsCommandPrompt(
    {
      stack: pc,
      dns: pc.dns,
      hostname: () => pc.hostname,
      adapterName: (ifc: IpInterface) => (ifc.index === 0 ? 'Ethernet' : `Ethernet ${ifc.index + 1}`),
      adapterDescription: (ifc: IpInterface) => numberedDescription('Intel(R) PRO/1000 MT Network Connection', ifc),
    },
    certificatePrograms(pc.roaming, () => pc.hostname),
    'C:\\Users\\User>',
  );
}
