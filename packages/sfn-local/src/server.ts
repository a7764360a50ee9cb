import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSfnRequestListener, type SfnHttpOptions } from './api/http.js';
import { SfnService, type SfnServiceOptions } from './service.js';

export interface SfnLocalOptions extends SfnServiceOptions, SfnHttpOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Serve this service instead of creating one from the options. */
  service?: SfnService;
}

export interface SfnLocal {
  /** `http://<host>:<port>`, for `new SFNClient({ endpoint, disableHostPrefix: true, ... })`. */
  endpoint: string;
  port: number;
  service: SfnService;
  server: Server;
  /** Stops the service (running executions stay resumable from the data folder) and the server. */
  close(): Promise<void>;
}

/** Starts a local Step Functions endpoint. */
export async function startSfnLocal(options: SfnLocalOptions): Promise<SfnLocal> {
  const service = options.service ?? new SfnService(options);
  const server = createServer(createSfnRequestListener(service, options));
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    if (!options.service) await service.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    service,
    server,
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await service.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
