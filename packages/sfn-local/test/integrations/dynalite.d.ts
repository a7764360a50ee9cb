declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
    ssl?: boolean;
  }

  /** dynalite 4: an in-memory DynamoDB-compatible HTTP server (not listening until `listen`). */
  export default function dynalite(options?: DynaliteOptions): Server;
}
