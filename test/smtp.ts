// A real SMTP server (smtp-server) for the newsletter tests, started before them and closed after:
// every mail it takes lands in `inbox`; a recipient whose address starts with "refused" is refused
// at RCPT TO with 550, as a mail server refuses an unknown user.
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { SMTPServer } from 'smtp-server';

export interface Received {
  readonly to: string[];
  readonly raw: string;
}

export function smtpServer(): { readonly inbox: Received[]; port(): number } {
  const inbox: Received[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('refused')) return callback();
      callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => {
        raw += d.toString('utf8');
      });
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  let port = 0;
  before(async () => {
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    port = (smtp.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => smtp.close(() => r())));
  return { inbox, port: () => port };
}
