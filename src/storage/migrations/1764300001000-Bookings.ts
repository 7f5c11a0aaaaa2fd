import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableCheck, TableIndex } from '../typeorm.js';

/** The `bookings` and `cancelled_days` tables (see entities/booking.ts). */
export class Bookings1764300001000 implements MigrationInterface {
  name = 'Bookings1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bookings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'reference', type: 'varchar', length: '16' },
          { name: 'alderman_id', type: 'varchar', length: '100' },
          { name: 'slot_start', type: 'bigint' },
          { name: 'slot_end', type: 'bigint' },
          { name: 'resident_key', type: 'varchar', length: '200' },
          { name: 'resident_first_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'topic', type: 'text' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'place', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'ics_token', type: 'varchar', length: '64' },
          { name: 'transcript', type: 'text', default: "'[]'" },
          { name: 'rating', type: 'integer', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
        checks: [
          new TableCheck({
            name: 'CHK_bookings_rating',
            expression: 'rating IS NULL OR (rating >= 1 AND rating <= 5)',
          }),
        ],
      }),
    );
    // The guarantee that two residents never hold one slot: at most one ACTIVE booking per
    // (alderman, start), enforced by the database itself. Partial, so a cancelled or moved
    // booking frees the slot for the next resident.
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({
        name: 'UQ_bookings_active_slot',
        columnNames: ['alderman_id', 'slot_start'],
        isUnique: true,
        where: "status = 'active'",
      }),
    );
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({ name: 'UQ_bookings_reference', columnNames: ['reference'], isUnique: true }),
    );
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({ name: 'UQ_bookings_ics_token', columnNames: ['ics_token'], isUnique: true }),
    );
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({ name: 'IDX_bookings_resident', columnNames: ['resident_key', 'status'] }),
    );
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({ name: 'IDX_bookings_alderman_start', columnNames: ['alderman_id', 'slot_start'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cancelled_days',
        columns: [
          { name: 'alderman_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'local_date', type: 'varchar', length: '10', isPrimary: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cancelled_days');
    await queryRunner.dropTable('bookings');
  }
}
