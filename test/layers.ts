/**
 * The unit layer: pure tests that open no database, no queue, no socket and start no process
 * (`npm run test:unit`, seconds). `test/unit/test-layers.test.ts` checks that none of these files
 * reaches storage, a queue, the app or the service probes. Every other test is `integration`.
 */
export const unitTests = [
  'test/unit/**/*.test.ts',
  'test/flows/**/*.test.ts',
  'test/understanding/**/*.test.ts',
  'test/cases/case-data.test.ts',
  'test/cases/case-status.test.ts',
  'test/cases/escalation-plan.test.ts',
  'test/cases/holidays.test.ts',
  'test/cases/reference.test.ts',
  'test/cases/routing.test.ts',
  'test/cases/texts.test.ts',
  'test/cases/working-days.test.ts',
  'test/participation/update-draft.test.ts',
  'test/scheduling/hours-schema.test.ts',
  'test/scheduling/ics-reminders.test.ts',
  'test/scheduling/slot-wish.test.ts',
  'test/scheduling/slots.test.ts',
];
