// The Helm chart's generated part and the RBAC sources it renders, checked without Helm (the chart is
// rendered and applied to a real kube-apiserver by test/e2e/helm-chart.test.ts): domains.yaml is what
// `npm run compose` makes of the manifest, every domain has its least-privilege rules, and the only
// writes anywhere are o2ims's create/delete of ProvisioningRequests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CHART_DOMAINS_PATH, chartDomains, chartDomainsFile, withRbacTable } from '../../scripts/chart-domains.js';
import { DOMAINS } from '../../subgraphs/domains.js';

const READ_VERBS = new Set(['get', 'list', 'watch']);

describe('the Helm chart', () => {
  it('has domains.yaml as `npm run compose` generates it from the manifest', async () => {
    expect(readFileSync(CHART_DOMAINS_PATH, 'utf8')).toBe(await chartDomainsFile(DOMAINS));
    const file = parse(readFileSync(CHART_DOMAINS_PATH, 'utf8')) as { domains: { name: string; port: number }[] };
    expect(file.domains.map((d) => [d.name, d.port])).toEqual(DOMAINS.map((d) => [d.name, d.port]));
  });

  it('documents each domain\'s ClusterRole in the README as the RBAC to grant (npm run compose)', async () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withRbacTable(readme, await chartDomains(DOMAINS)));
  });

  it('gives every domain RBAC rules, each either resource or non-resource, with known verbs', async () => {
    for (const d of await chartDomains(DOMAINS)) {
      expect({ domain: d.name, rules: d.rbac.length > 0 }).toEqual({ domain: d.name, rules: true });
      for (const rule of d.rbac) {
        const resource = Boolean(rule.resources?.length) && Boolean(rule.apiGroups?.length);
        const nonResource = Boolean(rule.nonResourceURLs?.length);
        expect({ domain: d.name, rule, shape: resource !== nonResource }).toEqual({ domain: d.name, rule, shape: true });
        if (nonResource) expect(rule.verbs).toEqual(['get']);
      }
    }
  });

  it('writes nothing anywhere except ProvisioningRequests, and those only for o2ims (opt-in features aside)', async () => {
    const writes = (await chartDomains(DOMAINS)).flatMap((d) =>
      d.rbac.flatMap((rule) =>
        rule.verbs.filter((v) => !READ_VERBS.has(v)).map((verb) => `${d.name}: ${verb} ${rule.apiGroups?.join(',')}/${rule.resources?.join(',')}${rule.feature ? ` [${rule.feature}]` : ''}`),
      ),
    );
    for (const write of writes) expect(write).toMatch(/^o2ims: (create|delete) o2ims\.provisioning\.oran\.org\/provisioningrequests$|^timing: (create|delete) \/pods\/proxy \[ptpEventPush\]$/);
    expect(writes.filter((w) => w.includes('['))).toEqual(['timing: create /pods/proxy [ptpEventPush]', 'timing: delete /pods/proxy [ptpEventPush]']);
  });

  it('never grants Secrets, wildcards or escalation verbs', async () => {
    for (const d of await chartDomains(DOMAINS)) {
      const text = JSON.stringify(d.rbac);
      expect({ domain: d.name, text }).not.toEqual(expect.objectContaining({ text: expect.stringMatching(/secrets|"\*"|escalate|bind|impersonate/) }));
    }
  });
});
