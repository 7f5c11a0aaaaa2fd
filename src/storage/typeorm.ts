// The TypeORM values storage uses, loaded with `require`. TypeORM is CommonJS: imported through Node's
// ESM loader, each of its ~300 files is read and lexed once more to find its named exports, which
// costs every process (each CLI command, each service start) about a third of a second of CPU.
// Types still come from `import type … from 'typeorm'`.
import { createRequire } from 'node:module';
import type * as TypeOrm from 'typeorm';

const require = createRequire(import.meta.url);
// Each from its own file, not from TypeORM's index: the index loads some 60 more files (every error
// class, decorator and operator), about 35 ms of every start.
const load = <T>(path: string): T => require(`typeorm/${path}`) as T;
type T = typeof TypeOrm;

export const { Brackets } = load<{ Brackets: T['Brackets'] }>('query-builder/Brackets.js');
export const { DataSource } = load<{ DataSource: T['DataSource'] }>('data-source/DataSource.js');
export const { EntitySchema } = load<{ EntitySchema: T['EntitySchema'] }>('entity-schema/EntitySchema.js');
export const { In } = load<{ In: T['In'] }>('find-options/operator/In.js');
export const { LessThan } = load<{ LessThan: T['LessThan'] }>('find-options/operator/LessThan.js');
export const { MigrationExecutor } = load<{ MigrationExecutor: T['MigrationExecutor'] }>(
  'migration/MigrationExecutor.js',
);
export const { Not } = load<{ Not: T['Not'] }>('find-options/operator/Not.js');
export const { QueryFailedError } = load<{ QueryFailedError: T['QueryFailedError'] }>(
  'error/QueryFailedError.js',
);
export const { Table } = load<{ Table: T['Table'] }>('schema-builder/table/Table.js');
export const { TableCheck } = load<{ TableCheck: T['TableCheck'] }>('schema-builder/table/TableCheck.js');
export const { TableColumn } = load<{ TableColumn: T['TableColumn'] }>('schema-builder/table/TableColumn.js');
export const { TableIndex } = load<{ TableIndex: T['TableIndex'] }>('schema-builder/table/TableIndex.js');
/** The instance types of the classes above, under the same names. */
export type DataSource = TypeOrm.DataSource;
