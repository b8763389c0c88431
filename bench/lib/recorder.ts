// Collects results and failures as the run goes, printing one line per measured transfer.
import type { RunResult, Tool } from './types';
import { filesPerSec, mbPerSec } from './types';

export interface RunError {
  scenario: string;
  tool: Tool;
  message: string;
}

export class Recorder {
  readonly results: RunResult[] = [];
  readonly errors: RunError[] = [];
  constructor(private readonly print: (line: string) => void = (l) => process.stderr.write(l + '\n')) {}

  /** Runs one measurement; a failure is recorded (and printed) rather than ending the whole bench. */
  async measure(scenario: string, tool: Tool, run: () => Promise<RunResult>): Promise<RunResult | null> {
    try {
      const r = await run();
      this.results.push(r);
      const rate = r.files > 1 ? `${filesPerSec(r).toFixed(0)} files/s` : `${mbPerSec(r).toFixed(1)} MB/s`;
      this.print(`  ${scenario} / ${tool}: ${rate} in ${r.seconds.toFixed(2)} s${r.verified ? '' : `  VERIFY FAILED: ${r.mismatch}`}`);
      return r;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.errors.push({ scenario, tool, message });
      this.print(`  ${scenario} / ${tool}: ERROR ${message.split('\n')[0]}`);
      return null;
    }
  }
}
