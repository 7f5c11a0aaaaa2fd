import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from '../typeorm.js';

/**
 * A second factor for dashboard accounts: a TOTP secret and the last time step used (a code works
 * once), and sessions that wait for the code after the password was right.
 */
export class StaffTotp1765400001000 implements MigrationInterface {
  name = 'StaffTotp1765400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('staff_accounts', [
      new TableColumn({ name: 'totp_secret', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'totp_last_step', type: 'bigint', isNullable: true }),
    ]);
    await q.addColumn(
      'staff_sessions',
      new TableColumn({ name: 'pending_second_factor', type: 'boolean', default: false }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('staff_sessions', 'pending_second_factor');
    await q.dropColumn('staff_accounts', 'totp_last_step');
    await q.dropColumn('staff_accounts', 'totp_secret');
  }
}
