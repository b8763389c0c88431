// When discovery finds nobody for a while, the usual cause is a firewall dropping the
// multicast port, so the UI gets the port and the interfaces to name in its advice.
import { networkInterfaces } from 'node:os';
import type { DiscoveryHint } from '../../../shared/api';

export function currentHint(port: number): DiscoveryHint {
  const names = Object.entries(networkInterfaces())
    .filter(([, addrs]) => addrs?.some((a) => !a.internal))
    .map(([name]) => name);
  return { port, interfaces: names };
}

/** Calls back with a hint after `afterMs` without a discovered peer, and with null once one shows up. */
export class DiscoveryHintWatch {
  private timer: NodeJS.Timeout | null;
  private hint: DiscoveryHint | null = null;

  constructor(
    private readonly port: number,
    afterMs: number,
    private readonly onChange: (hint: DiscoveryHint | null) => void,
  ) {
    this.timer = setTimeout(() => this.raise(), afterMs);
    this.timer.unref();
  }

  get current(): DiscoveryHint | null {
    return this.hint;
  }

  peerFound(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.hint) {
      this.hint = null;
      this.onChange(null);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private raise(): void {
    this.timer = null;
    this.hint = currentHint(this.port);
    this.onChange(this.hint);
  }
}
