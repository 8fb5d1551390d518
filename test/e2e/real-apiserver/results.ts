// The suite's one table: every check with what each server answered (✓ summary, or ✗ why).
export type Results = { domain: string; check: string; real: string; simulator: string }[];

export function renderResults(results: Results): string {
  const rows = [['domain', 'check', 'real kube-apiserver', 'simulator'], ...results.map((r) => [r.domain, r.check, r.real, r.simulator])];
  const widths = rows[0].map((_, i) => Math.min(70, Math.max(...rows.map((r) => r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join(' | ');
  return ['real-apiserver results', line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}
