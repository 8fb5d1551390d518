// createProvisioningRequest input checks (what the CRD or the hub's operator would reject) and the
// body sent for a valid input.
import { provisioningRequestBody, validateCreateInput, type CreateProvisioningRequestInput } from '../../subgraphs/o2ims/validation.js';

const nephioInput = (over: Partial<CreateProvisioningRequestInput> = {}): CreateProvisioningRequestInput => ({
  name: 'pr-du-020',
  templateName: 'sno-ran-du',
  templateVersion: 'v4.18.0-1',
  templateParameters: { clusterName: 'du-020', labels: { region: 'east' } },
  ...over,
});
const ocmInput = (tp: Record<string, unknown>): CreateProvisioningRequestInput => ({ ...nephioInput(), templateParameters: tp });

describe('validateCreateInput', () => {
  it('accepts a complete input for either schema', () => {
    expect(validateCreateInput(nephioInput(), 'NEPHIO')).toEqual([]);
    expect(validateCreateInput(ocmInput({ nodeClusterName: 'du-020', oCloudSiteId: 'site-1', clusterInstanceParameters: {}, policyTemplateParameters: {} }), 'OPENSHIFT')).toEqual([]);
    expect(validateCreateInput(nephioInput(), null)).toEqual([]);
  });

  it('refuses what the CRD or the API server would, each problem on its field', () => {
    const problems = validateCreateInput(
      { name: 'Bad_Name', displayName: 3 as unknown as string, templateName: '', templateVersion: undefined as unknown as string, templateParameters: ['x'] },
      'NEPHIO',
    );
    expect(problems).toEqual([
      { field: 'input.name', message: `"Bad_Name" must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character` },
      { field: 'input.displayName', message: 'must be a string' },
      { field: 'input.templateName', message: 'must not be empty' },
      { field: 'input.templateVersion', message: 'is required' },
      { field: 'input.templateParameters', message: 'must be a JSON object' },
    ]);
    expect(validateCreateInput(nephioInput({ name: 'a'.repeat(254) }), 'NEPHIO')).toEqual([{ field: 'input.name', message: 'must be no more than 253 characters' }]);
  });

  it('refuses what the Nephio operator would fail at once', () => {
    expect(validateCreateInput(nephioInput({ templateParameters: { clusterProvisioner: 'metal3', labels: { a: 1 } } }), 'NEPHIO')).toEqual([
      { field: 'input.templateParameters.clusterName', message: 'is required' },
      { field: 'input.templateParameters.clusterProvisioner', message: 'must be one of capi (the Nephio operator provisions through Cluster API only)' },
      { field: 'input.templateParameters.labels.a', message: 'must be a string' },
    ]);
    expect(validateCreateInput(nephioInput({ templateParameters: { clusterName: 'du.020' } }), 'NEPHIO')[0].message).toMatch(/RFC 1123 label/);
  });

  it('refuses what the O-Cloud Manager\'s template schema requires', () => {
    expect(validateCreateInput(ocmInput({ nodeClusterName: 'du-020', clusterInstanceParameters: 'x' }), 'OPENSHIFT')).toEqual([
      { field: 'input.templateParameters.oCloudSiteId', message: 'is required' },
      { field: 'input.templateParameters.clusterInstanceParameters', message: 'must be a JSON object' },
      { field: 'input.templateParameters.policyTemplateParameters', message: 'is required' },
    ]);
    // a Nephio-shaped input on an O-Cloud Manager hub
    expect(validateCreateInput(nephioInput(), 'OPENSHIFT').map((p) => p.field)).toEqual([
      'input.templateParameters.nodeClusterName',
      'input.templateParameters.oCloudSiteId',
      'input.templateParameters.clusterInstanceParameters',
      'input.templateParameters.policyTemplateParameters',
    ]);
  });

  it('asks for a cluster name under either key when the hub\'s schema is unknown', () => {
    expect(validateCreateInput(nephioInput({ templateParameters: {} }), null)).toEqual([
      { field: 'input.templateParameters', message: 'must name the cluster to provision (clusterName, or nodeClusterName for the O-Cloud Manager)' },
    ]);
  });
});

describe('provisioningRequestBody', () => {
  it('builds the object to POST, filling the only Nephio provisioner', () => {
    expect(provisioningRequestBody(nephioInput({ displayName: 'du-020 DU', description: 'east DU' }), 'NEPHIO')).toEqual({
      apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
      kind: 'ProvisioningRequest',
      metadata: { name: 'pr-du-020' },
      spec: {
        name: 'du-020 DU',
        description: 'east DU',
        templateName: 'sno-ran-du',
        templateVersion: 'v4.18.0-1',
        templateParameters: { clusterName: 'du-020', labels: { region: 'east' }, clusterProvisioner: 'capi' },
      },
    });
    expect((provisioningRequestBody(nephioInput(), 'OPENSHIFT').spec as { templateParameters: object }).templateParameters).not.toHaveProperty('clusterProvisioner');
  });
});
