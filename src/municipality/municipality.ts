import { join } from 'node:path';
import { loadCaseData, type CaseData } from './case-data.js';
import { parseHours, type HoursConfig } from './hours-schema.js';
import {
  aldermenFileSchema,
  districtsFileSchema,
  municipalityFileSchema,
  type Alderman,
  type District,
  type MunicipalityFile,
} from './municipality-schema.js';
import type { z } from '../shared/zod.js';
import { rangeWithin } from './postcode-range.js';
import { loadRetention, type Retention } from './retention.js';
import { loadWebcareAnswers, type WebcareAnswer } from './webcare-answers.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';

/** The municipality as the rest of the service sees it: settings, districts, aldermen, hours, case rules. */
export interface Municipality extends MunicipalityFile {
  districts: District[];
  aldermen: Alderman[];
  /** Consultation hours and booking rules (hours.json). */
  hours: HoursConfig;
  /** Holidays, topics and routing rules for questions (holidays.json, topics.json, routing.json). */
  cases: CaseData;
  /** How long each kind of record is kept (retention.json). */
  retention: Retention;
  /** Standard answers for webcare takeovers (webcare-answers.json; none when the file is absent). */
  webcareAnswers: WebcareAnswer[];
}

/** Loads and cross-checks data/municipality.json, districts.json, aldermen.json and the other data files from `dir`. */
export function loadMunicipality(dir: string): Municipality {
  const load = <S extends z.ZodType>(file: string, schema: S): z.output<S> => {
    const path = join(dir, file);
    return parseDataFile(schema, readJsonFile(path), path);
  };
  const settings = load('municipality.json', municipalityFileSchema);
  const { districts } = load('districts.json', districtsFileSchema);
  const { aldermen } = load('aldermen.json', aldermenFileSchema);
  const aldermanIds = aldermen.map((a) => a.id);
  districts.forEach((district, i) => {
    if (!aldermanIds.includes(district.aldermanId)) {
      const message = `no alderman "${district.aldermanId}" in aldermen.json`;
      throw dataError(join(dir, 'districts.json'), ['districts', i, 'aldermanId'], message);
    }
  });
  assertUnique(dir, 'districts.json', 'districts', districts);
  districts.forEach((district, i) =>
    district.postcodes.forEach((range, j) => {
      if (!settings.postcodeAreas.some((area) => rangeWithin(range, area))) {
        const areas = settings.postcodeAreas.join(', ');
        const message = `${range} lies outside the municipality's postcode areas (${areas} in municipality.json)`;
        throw dataError(join(dir, 'districts.json'), ['districts', i, 'postcodes', j], message);
      }
    }),
  );
  assertUnique(dir, 'aldermen.json', 'aldermen', aldermen);
  const hours = parseHours(readJsonFile(join(dir, 'hours.json')), aldermanIds, join(dir, 'hours.json'));
  const cases = loadCaseData(dir, { districtIds: districts.map((d) => d.id), aldermanIds });
  const retention = loadRetention(dir);
  const webcareAnswers = loadWebcareAnswers(join(dir, 'webcare-answers.json'));
  return { ...settings, districts, aldermen, hours, cases, retention, webcareAnswers };
}

function assertUnique(dir: string, file: string, field: string, items: { id: string }[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      throw dataError(join(dir, file), [field, i, 'id'], `"${item.id}" is used twice`);
    }
    seen.add(item.id);
  });
}

/** The alderman with this id, if any. */
export function findAlderman(m: Municipality, id: string | undefined): Alderman | undefined {
  return id === undefined ? undefined : m.aldermen.find((a) => a.id === id);
}

/** The district with this id, if any. */
export function findDistrict(m: Municipality, id: string | undefined): District | undefined {
  return id === undefined ? undefined : m.districts.find((d) => d.id === id);
}
