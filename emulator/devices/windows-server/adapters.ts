/** The server's adapters: lab port names and the names Windows gives them (ipconfig, netsh, nlb). */
export const NIC_NAMES = ['NIC1', 'NIC2'] as const;

const WINDOWS_NAMES: Readonly<Record<string, string>> = { NIC1: 'Ethernet', NIC2: 'Ethernet 2' };

export function windowsAdapterName(nic: string): string {
  return WINDOWS_NAMES[nic] ?? nic;
}
