import { loadCaseData, type CaseData } from '../../src/municipality/case-data.js';

/** The shipped Rijswijk data: holidays, topics, routing. */
export const rijswijk: CaseData = loadCaseData('data');
export const timeZone = 'Europe/Amsterdam';
export const holidays = rijswijk.holidays;
export const options = { timeZone, holidays };
