// Help texts: `ferry --help` and `ferry <command> --help`.
import { RECONNECT_WINDOW_MS } from '../shared/protocol';

/** What to check when discovery finds nobody (docs/PROTOCOL.md, section 10.8). */
export const NOTHING_FOUND = `If the other device runs Ferry on the same network:
  - Allow Ferry through the firewall on both devices: UDP port 53417 (discovery) and
    TCP port 53417 (transfers).
  - Some networks keep devices apart: guest Wi-Fi, "AP isolation" / "client isolation"
    on the router, or separate VLANs. Then devices cannot discover each other.
  - You can still send by address: ferry send PATH --to 192.168.1.20:53417`;

const COMMON = `Common options:
  --state-dir DIR   identity, known devices and transfer state
                    (default: $FERRY_HOME, else the OS config folder)
  --json            one JSON object per line on stdout
  -h, --help        this help`;

export const HELP: Record<string, string> = {
  main: `ferry: send files straight to another computer on the same network.

Usage: ferry <command> [options]

Commands:
  receive --dir DIR          receive files into DIR until stopped
  send PATH... --to TARGET   send files and folders; TARGET is HOST:PORT or a device name
  peers                      list devices found on the network
  devices                    list known devices
  trust NAME|FINGERPRINT     accept from this device without asking (--accept trusted)
  untrust NAME|FINGERPRINT   stop trusting a device

Run 'ferry <command> --help' for a command's options. 'ferry --version' prints the version.
Exit codes: 0 done, 1 failed (the reason is on stderr with its code), 2 usage error.

${COMMON}`,

  receive: `Usage: ferry receive --dir DIR [options]

Receives files into DIR until stopped (Ctrl-C). Interrupted transfers continue when the
sender sends again.

Options:
  --dir DIR                    where received files go (required)
  --port N                     TCP port to listen on (default 53417; 0 picks a free one)
  --accept ask|trusted|all     ask for each offer (default), accept trusted devices
                               without asking, or accept everything
  --name NAME                  the name other devices see (default: host name)
  --no-discovery               do not announce or look for devices on the network

Without a terminal to ask on, offers that would need an answer are declined.

${COMMON}`,

  send: `Usage: ferry send PATH... --to TARGET [options]

Sends files and folders. Exits 0 only when the receiver has verified every file.
If the connection drops, ferry keeps retrying and continues where it stopped.

Options:
  --to TARGET          HOST:PORT ([::1]:53417 for IPv6) or a device name found on the network
  --fingerprint FP     refuse the receiver unless its fingerprint is FP
  --name NAME          the name the receiver sees (default: host name)
  --retry SECONDS      how long to keep reconnecting after the connection drops
                       (default ${RECONNECT_WINDOW_MS / 1000}; 0 tries once)

${COMMON}`,

  peers: `Usage: ferry peers [--wait SECONDS] [options]

Lists devices that announce themselves on the local network. It only looks:
this device is not announced while it does.

Options:
  --wait SECONDS   how long to look (default 3)

When nothing is found:
${NOTHING_FOUND}

${COMMON}`,

  devices: `Usage: ferry devices [options]

Lists the devices this one has met, and whether they are trusted.

${COMMON}`,

  trust: `Usage: ferry trust NAME|FINGERPRINT [options]

Trusts a device: with 'receive --accept trusted' its offers are accepted without asking.
A name is looked up among known devices, then on the network (up to 5 s).
Options:
  --wait SECONDS   how long to look on the network for a name (default 5)

${COMMON}`,

  untrust: `Usage: ferry untrust NAME|FINGERPRINT [options]

Stops trusting a known device.

${COMMON}`,
};
