// `npm run compose`: writes schema/supergraph.graphql from schema/*.graphql.
import { writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './supergraph.js';

const header = '# Composed by `npm run compose` from schema/<subgraph>.graphql. Do not edit.\n';
writeFileSync(SUPERGRAPH_PATH, header + composeSupergraph() + '\n');
console.log(`wrote ${SUPERGRAPH_PATH}`);
