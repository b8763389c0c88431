// One y/N question at a time on the terminal; answers default to no.
import { createInterface } from 'node:readline';

let queue: Promise<unknown> = Promise.resolve();

export function askYesNo(question: string): Promise<boolean> {
  const ask = () =>
    new Promise<boolean>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      rl.question(`${question} [y/N] `, (answer) => {
        resolve(/^y(es)?$/i.test(answer.trim())); // before close(), whose handler answers no
        rl.close();
      });
      rl.on('close', () => resolve(false)); // Ctrl-D
      // readline swallows Ctrl-C on a terminal; pass it on so the receiver still stops.
      rl.on('SIGINT', () => {
        rl.close();
        process.kill(process.pid, 'SIGINT');
      });
    });
  const next = queue.then(ask, ask);
  queue = next;
  return next;
}
