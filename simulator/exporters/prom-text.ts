// A small Prometheus text-format (0.0.4) writer. Samples of one metric family are grouped under a single
// `# HELP` / `# TYPE` header even when several exporters (or several pods on the cluster page) add to it,
// as the format requires; label values and help text are escaped per the exposition format spec.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'untyped';
export type Labels = Readonly<Record<string, string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

interface Family {
  type: MetricType;
  help: string;
  lines: string[];
}

/** Collects samples; `withLabels` gives a view that adds labels (e.g. pod/namespace) to everything it writes. */
export class MetricWriter {
  private constructor(
    private readonly families: Map<string, Family>,
    private readonly extra: Labels,
  ) {}

  static create(): MetricWriter {
    return new MetricWriter(new Map(), {});
  }

  withLabels(labels: Labels): MetricWriter {
    return new MetricWriter(this.families, { ...this.extra, ...labels });
  }

  gauge(name: string, help: string, labels: Labels, value: number): void {
    this.add(name, 'gauge', help, labels, value);
  }

  counter(name: string, help: string, labels: Labels, value: number): void {
    this.add(name, 'counter', help, labels, value);
  }

  add(name: string, type: MetricType, help: string, labels: Labels, value: number): void {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    let family = this.families.get(name);
    if (!family) this.families.set(name, (family = { type, help, lines: [] }));
    else if (family.type !== type) throw new Error(`metric ${name} written as ${type} and ${family.type}`);
    // Target labels win; a clashing exporter label is kept as exported_<name>, as Prometheus does.
    const all: Record<string, string> = {};
    for (const [key, v] of Object.entries(labels)) all[key in this.extra ? `exported_${key}` : key] = v;
    Object.assign(all, this.extra);
    const pairs: string[] = [];
    for (const [key, v] of Object.entries(all)) {
      if (!LABEL_NAME.test(key)) throw new Error(`invalid label name ${key} on ${name}`);
      pairs.push(`${key}="${escapeLabelValue(v)}"`);
    }
    family.lines.push(pairs.length > 0 ? `${name}{${pairs.join(',')}} ${formatValue(value)}` : `${name} ${formatValue(value)}`);
  }

  render(): string {
    let out = '';
    for (const [name, family] of this.families) {
      out += `# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type}\n`;
      for (const line of family.lines) out += `${line}\n`;
    }
    return out;
  }
}
