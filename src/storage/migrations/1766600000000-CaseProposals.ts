import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from '../typeorm.js';

/** Residents' own plans become cases of their own kind: the kind, the proposal's fields and its stage. */
export class CaseProposals1766600000000 implements MigrationInterface {
  name = 'CaseProposals1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cases', [
      new TableColumn({ name: 'kind', type: 'varchar', length: '16', default: "'question'" }),
      new TableColumn({ name: 'proposal', type: 'text', isNullable: true }),
      new TableColumn({ name: 'stage', type: 'varchar', length: '16', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cases', 'stage');
    await queryRunner.dropColumn('cases', 'proposal');
    await queryRunner.dropColumn('cases', 'kind');
  }
}
