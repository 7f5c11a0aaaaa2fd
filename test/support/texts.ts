import { loadTexts } from '../../src/i18n/translator.js';

/** The texts shipped in data/i18n, as the service loads them. */
export const shippedTexts = loadTexts('data/i18n');
