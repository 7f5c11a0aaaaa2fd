import type { MigrationInterface } from 'typeorm';

/** Every migration in order; each feature adds its own file and one line here. */
export const migrations: (new () => MigrationInterface)[] = [];
