import type { EntitySchema } from 'typeorm';
import { JobEntity } from './job.js';
import { BookingEntity, CancelledDayEntity } from './booking.js';
import { CaseEntity } from './case.js';
import { CaseEventEntity } from './case-event.js';
import { CaseCounterEntity } from './case-counter.js';

/** Every entity schema; each feature adds its own file and one line here. */
export const entities: EntitySchema[] = [
  JobEntity,
  BookingEntity,
  CancelledDayEntity,
  CaseEntity,
  CaseEventEntity,
  CaseCounterEntity,
];
