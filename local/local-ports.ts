import { LocalModeError } from './local-mode-error.ts';
import { portInUseMessage, tcpPortFree, udpPortFree } from './port-check.ts';

/**
 * Check the DNS port (UDP and TCP on 127.0.0.1) and the servers' port on each loopback address
 * before anything starts; the first problem is thrown as one line naming the option that moves
 * it. Port 0 means "pick one" and is not checked.
 */
export async function checkLocalPorts(options: {
  dnsPort: number;
  tierPort: number;
  hosts: readonly string[];
}): Promise<void> {
  const { dnsPort, tierPort, hosts } = options;
  if (dnsPort !== 0) {
    const guess = dnsPort === 5353 ? 'mDNS?' : undefined;
    if (!(await udpPortFree('127.0.0.1', dnsPort)))
      throw new LocalModeError(portInUseMessage(`${dnsPort}/udp`, '--dns-port', dnsPort, guess));
    if (!(await tcpPortFree('127.0.0.1', dnsPort)))
      throw new LocalModeError(portInUseMessage(`${dnsPort}/tcp`, '--dns-port', dnsPort));
  }
  if (tierPort === 0) return;
  for (const host of hosts) {
    let free: boolean;
    try {
      free = await tcpPortFree(host, tierPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL')
        throw new LocalModeError(
          `${host} is not an address of this machine (on macOS: sudo ifconfig lo0 alias ${host} up)`,
        );
      throw error;
    }
    if (!free)
      throw new LocalModeError(portInUseMessage(`${tierPort}/tcp on ${host}`, '--tier-port', tierPort));
  }
}
