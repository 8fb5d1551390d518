// Clean stop on Ctrl-C / SIGTERM (or, for a launcher's child, when the launcher's IPC channel closes):
// run the stop functions once, in reverse order of registration, then exit. A second signal exits at once.
const stops: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  process.stderr.write(`\n${signal}: stopping…\n`);
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (err) {
      process.stderr.write(`stop failed: ${(err as Error).message}\n`);
    }
  }
  process.exit(0);
}

let installed = false;
export function onShutdown(stop: () => Promise<void>): void {
  stops.push(stop);
  if (!installed) {
    installed = true;
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    // A child of the launcher must not outlive it (the launcher crashed or was killed).
    if (process.send) process.on('disconnect', () => void shutdown('launcher gone'));
  }
}
