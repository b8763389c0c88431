// Engine settings the shell takes from the environment, for running two instances on one
// machine or pinning the port through a firewall: FERRY_PORT, FERRY_HOST.
// (FERRY_HOME picks the state folder; FERRY_DISCOVERY_INTERFACES limits discovery.)
import { ErrorCode, FerryError } from '../shared/errors';
import type { EngineOptions } from './engine/engine-api';

export function envEngineOptions(env: NodeJS.ProcessEnv = process.env): Pick<EngineOptions, 'port' | 'host'> {
  const out: Pick<EngineOptions, 'port' | 'host'> = {};
  if (env.FERRY_PORT) {
    const port = Number(env.FERRY_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new FerryError(ErrorCode.INVALID_ARGUMENT, `FERRY_PORT must be a port number 0-65535, not '${env.FERRY_PORT}'`);
    }
    out.port = port;
  }
  if (env.FERRY_HOST) out.host = env.FERRY_HOST;
  return out;
}
