/**
 * Whether a process id still names a live process: what tells a crashed writer's leftovers (temp
 * files, runs still marked running) from those of a process that is merely still at work.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
