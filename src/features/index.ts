import { accountsFeature } from './accounts/feature.js';
import { auditFeature } from './audit/feature.js';
import { casesFeature } from './cases/feature.js';
import { conversationsFeature } from './conversations/feature.js';
import { chatLogsFeature } from './chat-logs/feature.js';
import type { FeatureDeps, ServiceDeps } from '../ports/feature.js';
import { schedulingFeature } from './scheduling/feature.js';
import { staffFeature } from './staff/feature.js';
import { privacyFeature } from './privacy/feature.js';
import { webcareFeature } from './webcare/feature.js';
import { pollsFeature } from './polls/feature.js';
import { participationFeature } from './participation/feature.js';

/** Every feature the service runs. A new feature is one folder and one line here. */
export const features = [
  conversationsFeature,
  staffFeature,
  casesFeature,
  schedulingFeature,
  accountsFeature,
  auditFeature,
  privacyFeature,
  chatLogsFeature,
  webcareFeature,
  pollsFeature,
  participationFeature,
] as const;

type Features = (typeof features)[number];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

type ServicesOf<F> = F extends { services?(deps: ServiceDeps): infer S } ? S : never;
type CommandsOf<F> = F extends { commands?(deps: FeatureDeps): infer C } ? C : never;

/** Every service a flow may call, by name, with its argument and result types. */
export type Services = UnionToIntersection<ServicesOf<Features>>;

/** Every feature's commands, by feature name (`app.commands.scheduling.cancelDay(…)`). */
export type Commands = { [F in Features as F['name']]: CommandsOf<F> };
