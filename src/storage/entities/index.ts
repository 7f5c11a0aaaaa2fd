import type { EntitySchema } from 'typeorm';
import { JobEntity } from './job.js';
import { BookingEntity, CancelledDayEntity } from './booking.js';

/** Every entity schema; each feature adds its own file and one line here. */
export const entities: EntitySchema[] = [JobEntity, BookingEntity, CancelledDayEntity];
