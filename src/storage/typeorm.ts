// The TypeORM values storage uses, loaded with `require`. TypeORM is CommonJS: imported through Node's
// ESM loader, each of its ~300 files is read and lexed once more to find its named exports, which
// costs every process (each CLI command, each service start) about a third of a second of CPU.
// Types still come from `import type … from 'typeorm'`.
import { createRequire } from 'node:module';
import type * as TypeOrm from 'typeorm';

const typeorm = createRequire(import.meta.url)('typeorm') as typeof TypeOrm;

export const {
  Brackets,
  DataSource,
  EntitySchema,
  In,
  LessThan,
  MigrationExecutor,
  Not,
  QueryFailedError,
  Table,
  TableCheck,
  TableColumn,
  TableIndex,
} = typeorm;
/** The instance types of the classes above, under the same names. */
export type DataSource = TypeOrm.DataSource;
