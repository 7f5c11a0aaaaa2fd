import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/**
 * Dashboard accounts, their sessions and one-time set-password links, the sign-in throttle, and the
 * audit log (a hash chain: each row holds the previous row's hash, so no row can be changed,
 * removed or slipped in unseen). Times are milliseconds since 1970 (bigint).
 */
export class StaffAccounts1765400000000 implements MigrationInterface {
  name = 'StaffAccounts1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'staff_accounts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'email', type: 'varchar', length: '254', isUnique: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '100' },
          { name: 'password_hash', type: 'varchar', length: '200', isNullable: true },
          { name: 'disabled_at', type: 'bigint', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'bigint' },
          { name: 'last_seen_at', type: 'bigint' },
          { name: 'ended_at', type: 'bigint', isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['account_id'],
            referencedTableName: 'staff_accounts',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [new TableIndex({ name: 'IDX_staff_sessions_account', columnNames: ['account_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_password_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['account_id'],
            referencedTableName: 'staff_accounts',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_sign_in_throttle',
        columns: [
          { name: 'key', type: 'varchar', length: '300', isPrimary: true },
          { name: 'failures', type: 'integer' },
          { name: 'window_start', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'at', type: 'bigint' },
          { name: 'actor', type: 'varchar', length: '300' },
          { name: 'action', type: 'varchar', length: '100' },
          { name: 'subject', type: 'varchar', length: '300' },
          { name: 'detail', type: 'text' },
          // Unique: the chain cannot fork, even if two writers raced past the lock.
          { name: 'prev_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        indices: [new TableIndex({ name: 'IDX_audit_log_subject', columnNames: ['subject', 'seq'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_log');
    await q.dropTable('staff_sign_in_throttle');
    await q.dropTable('staff_password_tokens');
    await q.dropTable('staff_sessions');
    await q.dropTable('staff_accounts');
  }
}
