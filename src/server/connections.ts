// A cap on the connections one client may hold open. Without it, one client that opens sockets
// and sends nothing (or a byte a minute) exhausts the process's file descriptors, and everyone
// else is refused. Behind a reverse proxy every connection comes from the proxy: the proxy must
// cap connections itself, and this cap is not applied. Nor is it to the machine itself (loopback):
// that is a local client, a benchmark, or a proxy that was not declared (set TRUST_PROXY).
import type { Server } from 'node:http';

/** Closes a new connection at once when `keyOf(address)` already holds `max` (0: no cap). */
export function connectionCap(
  server: Server,
  max: number,
  keyOf: (address: string) => string,
  exempt: (address: string) => boolean = () => false,
) {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || exempt(address)) return;
    const key = keyOf(address);
    const n = open.get(key) ?? 0;
    if (n >= max) {
      socket.destroy();
      return;
    }
    open.set(key, n + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
