// The logging surface storage needs; a pino logger fits it. Calls are pino-style:
// `logger.warn({ partition, from, to }, 'message')`.

export interface StorageLogger {
  info(obj: unknown, msg?: string, ...args: unknown[]): void;
  warn(obj: unknown, msg?: string, ...args: unknown[]): void;
  error(obj: unknown, msg?: string, ...args: unknown[]): void;
}

/** Default: warnings and errors to stderr as one line each, info dropped. */
export const stderrLogger: StorageLogger = {
  info() {},
  warn(obj, msg) {
    process.stderr.write(`kafkalite storage WARN ${format(obj, msg)}\n`);
  },
  error(obj, msg) {
    process.stderr.write(`kafkalite storage ERROR ${format(obj, msg)}\n`);
  },
};

function format(obj: unknown, msg?: string): string {
  if (typeof obj === 'string') return obj;
  let fields: string;
  try {
    fields = JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : v));
  } catch {
    fields = String(obj);
  }
  return msg ? `${msg} ${fields}` : fields;
}
