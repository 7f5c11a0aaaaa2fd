import type { EntitySchema } from 'typeorm';

/** Every entity schema; each feature adds its own file and one line here. */
export const entities: EntitySchema[] = [];
