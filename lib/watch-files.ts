// Calls `onChange` (debounced) when one of `files` changes on disk. Watches the directories, not the
// files: writers (editors, kubectl, ConfigMap mounts) replace files by rename, which ends a watch on the
// old inode. Returns the function that stops watching.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export function watchFiles(files: readonly string[], onChange: () => void, options: { debounceMs?: number; onError?: (err: Error) => void } = {}): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files.map((f) => resolve(f))) {
    const names = byDir.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDir.set(dirname(file), names);
  }
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs ?? 100);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const watcher = watch(dir, { persistent: false }, (_event, filename) => {
      // ConfigMap mounts swap a `..data` symlink: any change in the directory may be ours.
      if (filename === null || names.has(filename.toString()) || filename.toString().startsWith('..')) schedule();
    });
    watcher.on('error', (err) => options.onError?.(err));
    watchers.push(watcher);
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
