// A tiny structured logger. Every line names the peer and the transfer when it has them.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogFields {
  peer?: string; // fingerprint prefix or name
  transfer?: string;
  code?: string;
  [k: string]: unknown;
}
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one line per entry to stderr, at or above the level from FERRY_LOG (default 'warn'). */
export function stderrLogger(min: LogLevel = (process.env.FERRY_LOG as LogLevel) || 'warn'): Logger {
  return {
    log(level, msg, fields) {
      if (ORDER[level] < ORDER[min]) return;
      const parts = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      process.stderr.write(`${new Date().toISOString()} ${level} ${msg}${parts.length ? ' ' + parts.join(' ') : ''}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };

/** Logs to stderr when FERRY_LOG names a level, else nothing: the CLI's and the tests' choice. */
export function loggerFromEnv(): Logger {
  return process.env.FERRY_LOG ? stderrLogger() : silentLogger;
}
