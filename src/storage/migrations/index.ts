import type { MigrationInterface } from 'typeorm';
import { Jobs1764300000000 } from './1764300000000-Jobs.js';

/** Every migration in order; each feature adds its own file and one line here. */
export const migrations: (new () => MigrationInterface)[] = [Jobs1764300000000];
