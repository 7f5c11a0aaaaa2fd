import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/** Days and bookings staff called off, told to the residents after a grace period in which they can be undone. */
export class HoursCancellations1766300000000 implements MigrationInterface {
  name = 'HoursCancellations1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'hours_cancellations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'alderman_id', type: 'varchar', length: '100' },
          // YYYY-MM-DD for a called-off day; null for one booking.
          { name: 'local_date', type: 'varchar', length: '10', isNullable: true },
          // The cancelled bookings' ids as a JSON array.
          { name: 'booking_ids', type: 'text' },
          { name: 'reason', type: 'text', isNullable: true },
          // pending | told | undone
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'tell_at', type: 'bigint' },
          { name: 'actor', type: 'varchar', length: '200' },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'hours_cancellations',
      new TableIndex({ name: 'hours_cancellations_status_tell_at', columnNames: ['status', 'tell_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('hours_cancellations');
  }
}
