import { z } from '../shared/zod.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const dayKey = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** data/municipality.json */
export const municipalityFileSchema = z.object({
  name: z.string().min(1),
  code: z.string().regex(/^[a-z0-9-]+$/, 'expected lower-case letters, digits and -'),
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Amsterdam'),
  referencePrefix: z.string().regex(/^[A-Z]{2,5}$/, 'expected 2 to 5 capital letters'),
  defaultLanguage: z.enum(['nl', 'en']).default('nl'),
  postcodeAreas: z.array(z.string().regex(/^\d{4}(-\d{4})?$/, 'expected NNNN or NNNN-NNNN')).min(1),
  /** Where residents read the full privacy statement; the terms are in retention.json. */
  privacy: z.object({ url: z.string().url() }),
  officeHours: z.partialRecord(dayKey, z.tuple([hhmm, hhmm])),
  humanResponseMinutes: z.number().int().positive().default(30),
  phone: z.string().min(1),
  /** Where residents find the municipality ("Bogaardplein 15, Rijswijk"), told when they ask. */
  address: z.string().min(1).optional(),
});

const postcodeRange = z
  .string()
  .regex(/^\d{4}([A-Z]{2})?(-\d{4}([A-Z]{2})?)?$/, 'expected NNNN, NNNN-NNNN or NNNNAA-NNNNZZ');

/** data/districts.json */
export const districtsFileSchema = z.object({
  districts: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/, 'expected lower-case letters, digits and -'),
        name: z.string().min(1),
        postcodes: z.array(postcodeRange).min(1),
        aldermanId: z.string().min(1),
      }),
    )
    .min(1),
});

/** data/aldermen.json */
export const aldermenFileSchema = z.object({
  aldermen: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/, 'expected lower-case letters, digits and -'),
        name: z.string().min(1),
        title: z.object({ nl: z.string().min(1), en: z.string().min(1) }),
      }),
    )
    .min(1),
});

export type MunicipalityFile = z.output<typeof municipalityFileSchema>;
export type District = z.output<typeof districtsFileSchema>['districts'][number];
export type Alderman = z.output<typeof aldermenFileSchema>['aldermen'][number];
export type DayKey = z.output<typeof dayKey>;

function isTimeZone(zone: string): boolean {
  // The list of canonical zones answers for the usual ones without building a formatter, whose
  // first build (ICU's locale and zone data) costs a command some 10 ms; aliases take the long way.
  if (Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
