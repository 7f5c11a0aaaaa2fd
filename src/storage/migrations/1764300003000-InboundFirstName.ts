import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from '../typeorm.js';

/** The first name a channel gave with a message (only the first word is kept: data minimisation). */
export class InboundFirstName1764300003000 implements MigrationInterface {
  name = 'InboundFirstName1764300003000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'inbound',
      new TableColumn({ name: 'first_name', type: 'varchar', length: '40', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('inbound', 'first_name');
  }
}
