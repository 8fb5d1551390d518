// Admission of a client connection and of each of its subscriptions: who the connection is
// (`authenticate`), whether one more subscription fits (per-connection and gateway-wide quotas), whether
// the operation is valid (parse, validate, plan, variables) and allowed (`authorize`). Answers are
// decisions; the connection carries them out (client-connection.ts).
import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { log } from '../../lib/log.js';
import { checkArguments } from '../argument-checks.js';
import type { Authenticate, Authorize, Principal } from './auth.js';
import { SubscriptionErrorCode, subscriptionError } from './errors.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { SubscriptionLimits } from './options.js';
import { checkVariables, prepareSubscription, type PreparedSubscription } from './prepare.js';
import type { SupergraphSnapshot } from './supergraph-snapshot.js';

export interface AdmissionDeps {
  limits: SubscriptionLimits;
  metrics: SubscriptionMetrics;
  authenticate: Authenticate;
  authorize: Authorize;
  /** The supergraph new subscriptions are planned on (changes on reload). */
  snapshot: () => SupergraphSnapshot;
}

export interface Prepared {
  kind: 'prepared';
  prepared: PreparedSubscription;
  variables: Record<string, unknown>;
}
export interface Admitted {
  kind: 'admitted';
  prepared: PreparedSubscription;
  variables: Record<string, unknown>;
}
export interface Refused {
  kind: 'refused';
  errors: readonly GraphQLError[];
}
/** The client completed the id or went away while it was being admitted: nothing to answer. */
export interface Abandoned {
  kind: 'abandoned';
}

export class SubscriptionAdmission {
  constructor(private readonly deps: AdmissionDeps) {}

  /** The connection's principal, or null to refuse it; a failing hook refuses (and is logged). */
  async authenticate(connectionParams: Record<string, unknown>, request: IncomingMessage | null): Promise<Principal | null> {
    try {
      return request ? await this.deps.authenticate({ connectionParams, request }) : null;
    } catch (err) {
      // Never log connectionParams: they carry credentials.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'subscription authentication failed');
      return null;
    }
  }

  /** Before any work: does one more subscription fit on this connection and on the gateway? */
  quota(openOnConnection: number): GraphQLError | null {
    const { maxSubscriptionsPerConnection } = this.deps.limits;
    if (openOnConnection >= maxSubscriptionsPerConnection) {
      return subscriptionError(
        SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS,
        `This connection already has ${maxSubscriptionsPerConnection} subscriptions (the limit).`,
        { limit: 'connection', max: maxSubscriptionsPerConnection },
      );
    }
    return this.gatewayQuota();
  }

  /** Parses, validates and plans the operation and checks its variables and arguments; synchronous, like the quota. */
  prepare(payload: SubscribePayload): Prepared | Refused {
    const variables = (payload.variables ?? {}) as Record<string, unknown>;
    const { prepared, errors } = prepareSubscription(this.deps.snapshot(), payload.query, payload.operationName);
    const problems = prepared ? checkVariables(prepared, variables) : errors;
    if (!prepared || problems.length > 0) return { kind: 'refused', errors: problems };
    // The argument rules of HTTP operations (gateway/argument-rules.ts) hold for subscriptions too.
    const badArguments = checkArguments(prepared.document, prepared.definition, variables);
    if (badArguments.length > 0) return { kind: 'refused', errors: badArguments };
    return { kind: 'prepared', prepared, variables };
  }

  /**
   * The authorize hook, then the gateway quota again. `stillWanted` is asked after the (asynchronous)
   * hook: the client may have completed the id, or gone away, meanwhile.
   */
  async authorize(principal: Principal, { prepared, variables }: Prepared, stillWanted: () => boolean): Promise<Admitted | Refused | Abandoned> {
    let allowed: boolean | Error;
    try {
      allowed = await this.deps.authorize(principal, {
        document: prepared.document,
        operationName: prepared.operationName,
        variables,
        rootField: prepared.rootField,
        subgraph: prepared.primary.serviceName,
      });
    } catch (err) {
      allowed = err instanceof Error ? err : new Error(String(err));
    }
    if (!stillWanted()) return { kind: 'abandoned' };
    if (allowed instanceof Error) {
      log.error({ err: allowed.message }, 'subscription authorize hook failed');
      return { kind: 'refused', errors: [subscriptionError(SubscriptionErrorCode.INTERNAL_SERVER_ERROR, 'Authorization check failed.')] };
    }
    if (!allowed) {
      return { kind: 'refused', errors: [subscriptionError(SubscriptionErrorCode.FORBIDDEN, 'Not authorized to run this subscription.')] };
    }
    // Others may have taken the last places while this one was being authorized.
    const full = this.gatewayQuota();
    if (full) return { kind: 'refused', errors: [full] };
    return { kind: 'admitted', prepared, variables };
  }

  private gatewayQuota(): GraphQLError | null {
    if (this.deps.metrics.value('clientSubscriptions') < this.deps.limits.maxSubscriptions) return null;
    return subscriptionError(SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS, 'The gateway has reached its subscription limit; try again later.', {
      limit: 'gateway',
    });
  }
}
