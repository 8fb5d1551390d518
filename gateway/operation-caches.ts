// The gateway's per-document caches — Apollo Server's parsed and validated documents, @apollo/gateway's
// query plans — bounded by approximate size at 4 MiB each instead of their 30 MiB defaults: a client that
// sends thousands of distinct valid documents (a scanner, the fuzz run) fills them and then evicts, so
// gateway memory stays within a few MiB of where it started. Dashboards send a few dozen documents.
import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

export const DOCUMENT_STORE_MIB = 4;
export const QUERY_PLAN_STORE_MIB = 4;

export function boundedDocumentStore(maxMiB = DOCUMENT_STORE_MIB): DocumentStore {
  const cache = new LRUCache<string, DocumentNode>({
    maxSize: maxMiB * 2 ** 20,
    // What Apollo's InMemoryLRUCache counts: the document's JSON length (computed once, when stored).
    sizeCalculation: (doc) => Math.max(1, JSON.stringify(doc).length),
  });
  return {
    get: async (key) => cache.get(key),
    set: async (key, value) => void cache.set(key, value),
    delete: async (key) => cache.delete(key),
  };
}
