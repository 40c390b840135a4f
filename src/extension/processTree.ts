/**
 * Killing a process together with everything it started. A trainer is a single Node process
 * today, but a native backend or a future helper may spawn children; leaving them behind after
 * a "stop" would keep CPU busy and files open.
 */

import { execFile } from 'node:child_process';

/** Every descendant of `root` in a (pid, parent pid) table, deepest first (so children die before parents). */
export function descendantsOf(root: number, table: ReadonlyArray<readonly [pid: number, ppid: number]>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of table) {
    if (pid === ppid) continue; // pid 0 on some systems lists itself as its parent
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const ordered: number[] = [];
  const seen = new Set<number>([root]);
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (seen.has(child)) continue; // guards against a malformed table with a cycle
      seen.add(child);
      visit(child);
      ordered.push(child);
    }
  };
  visit(root);
  return ordered;
}

/** Parses `ps -A -o pid=,ppid=` output. */
export function parsePsTable(output: string): Array<[number, number]> {
  const rows: Array<[number, number]> = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) rows.push([Number(match[1]), Number(match[2])]);
  }
  return rows;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- err is an Error; @types/node's Omit<> type hides that
    execFile(file, args, { timeout: 3000, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: that is the goal.
  }
}

/** Kills `pid` and all its descendants. Never throws: a process that is already gone is fine. */
export async function killProcessTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (process.platform === 'win32') {
    try {
      await run('taskkill', ['/pid', String(pid), '/T', '/F']);
    } catch {
      killQuietly(pid, signal);
    }
    return;
  }
  let descendants: number[] = [];
  try {
    descendants = descendantsOf(pid, parsePsTable(await run('ps', ['-A', '-o', 'pid=,ppid='])));
  } catch {
    // Without ps we can still kill the process itself.
  }
  for (const child of descendants) killQuietly(child, signal);
  killQuietly(pid, signal);
}
