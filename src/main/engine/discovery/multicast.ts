// The UDP sockets. One receiver per family, bound to the discovery port and joined to the group
// on every link; one sender per link, bound to that link's address so a datagram leaves by the
// right interface and answers (unicast, to the sender's port) come back to it. A socket per link
// avoids racing setMulticastInterface() against asynchronous sends.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { DISCOVERY_GROUP_V4, DISCOVERY_GROUP_V6 } from '../../../shared/protocol';
import type { Logger } from '../log';
import { linkKey, type Link } from './interfaces';

export type PacketHandler = (buf: Buffer, from: RemoteInfo) => void;

interface Receiver {
  socket: Socket;
  ready: Promise<boolean>;
}

export class MulticastSockets extends EventEmitter {
  private readonly receivers = new Map<4 | 6, Receiver>();
  private readonly senders = new Map<string, { link: Link; socket: Socket }>();
  private closed = false;

  constructor(
    private readonly port: number,
    private readonly onPacket: PacketHandler,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Joins the group on the link and opens its sender. False when the link cannot be used. */
  async addLink(link: Link): Promise<boolean> {
    const receiver = this.receiver(link.family);
    if (!(await receiver.ready) || this.closed) return false;
    try {
      receiver.socket.addMembership(groupOf(link.family), ifaceFor(link));
    } catch (err) {
      // EADDRINUSE: already joined (same address seen twice); anything else: link not usable.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        this.logger.log('warn', 'discovery: cannot join the multicast group', { iface: link.name, error: (err as Error).message });
        return false;
      }
    }
    const socket = await this.openSender(link);
    if (!socket) return false;
    this.senders.set(linkKey(link), { link, socket });
    return true;
  }

  removeLink(link: Link): void {
    const sender = this.senders.get(linkKey(link));
    this.senders.delete(linkKey(link));
    sender?.socket.close();
    try {
      this.receivers.get(link.family)?.socket.dropMembership(groupOf(link.family), ifaceFor(link));
    } catch {
      // The interface is already gone, and the kernel dropped the membership with it.
    }
  }

  /** Multicasts on every link, or on one; returns on how many. Resolves when handed to the kernel (errors logged). */
  async multicast(buf: Buffer, only?: Link): Promise<number> {
    const targets = [...this.senders.values()].filter((s) => !only || linkKey(s.link) === linkKey(only));
    await Promise.all(targets.map(({ link, socket }) => this.send(socket, buf, this.port, group(link), link.name)));
    return targets.length;
  }

  /** Unicast reply from the receiver of that family (the kernel picks the route and source). */
  async unicast(buf: Buffer, to: RemoteInfo): Promise<void> {
    const receiver = this.receivers.get(to.family === 'IPv6' ? 6 : 4);
    if (receiver && (await receiver.ready)) await this.send(receiver.socket, buf, to.port, to.address, 'unicast');
  }

  close(): void {
    this.closed = true;
    for (const { socket } of this.senders.values()) socket.close();
    this.senders.clear();
    for (const r of this.receivers.values()) void r.ready.then((ok) => ok && r.socket.close());
    this.receivers.clear();
  }

  private receiver(family: 4 | 6): Receiver {
    const existing = this.receivers.get(family);
    if (existing) return existing;
    const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', reuseAddr: true, ipv6Only: family === 6 });
    this.watch(socket, `receiver v${family}`);
    const ready = bind(socket, this.port, family === 4 ? '0.0.0.0' : '::').then(
      () => {
        socket.setMulticastLoopback(true); // two instances on one machine hear each other
        return true;
      },
      (err: Error) => {
        this.logger.log('warn', 'discovery: cannot bind the discovery port', { port: this.port, family, error: err.message });
        this.emit('error', err);
        return false;
      },
    );
    const r = { socket, ready };
    this.receivers.set(family, r);
    return r;
  }

  private async openSender(link: Link): Promise<Socket | null> {
    const socket = createSocket({ type: link.family === 4 ? 'udp4' : 'udp6', ipv6Only: link.family === 6 });
    this.watch(socket, `sender ${link.name}`);
    try {
      await bind(socket, 0, link.address);
      socket.setMulticastInterface(ifaceFor(link));
      socket.setMulticastTTL(1); // link-local group: never routed
      socket.setMulticastLoopback(true);
      if (this.closed) throw new Error('closed');
      return socket;
    } catch (err) {
      socket.close();
      this.logger.log('warn', 'discovery: cannot open a sender on the interface', { iface: link.name, error: (err as Error).message });
      return null;
    }
  }

  private watch(socket: Socket, what: string): void {
    socket.on('message', (buf, from) => this.onPacket(buf, from));
    // A socket error must never take the app down; the interface watcher recovers links.
    socket.on('error', (err) => this.logger.log('warn', `discovery: ${what} socket error`, { error: err.message }));
  }

  private send(socket: Socket, buf: Buffer, port: number, address: string, via: string): Promise<void> {
    return new Promise((resolve) => {
      try {
        socket.send(buf, port, address, (err) => {
          if (err) this.logger.log('debug', 'discovery: send failed', { via, address, error: err.message });
          resolve();
        });
      } catch (err) {
        // Socket closed under us (interface went away): nothing to send on.
        this.logger.log('debug', 'discovery: send on a closed socket', { via, error: (err as Error).message });
        resolve();
      }
    });
  }
}

const groupOf = (family: 4 | 6): string => (family === 4 ? DISCOVERY_GROUP_V4 : DISCOVERY_GROUP_V6);

/** Where to send: IPv6 link-scoped groups need the zone to pick the link. */
function group(link: Link): string {
  return link.family === 4 ? DISCOVERY_GROUP_V4 : `${DISCOVERY_GROUP_V6}%${link.scope}`;
}

/** What setMulticastInterface/addMembership want: the IPv4 address, or '::%zone' for IPv6. */
function ifaceFor(link: Link): string {
  return link.family === 4 ? link.address : `::%${link.scope}`;
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address, exclusive: false }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
