import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCaseData, type CaseData } from '../cases/case-data.js';
import { parseHours, type HoursConfig } from '../scheduling/hours-schema.js';
import { ConfigError } from '../shared/errors.js';
import {
  aldermenFileSchema,
  districtsFileSchema,
  municipalityFileSchema,
  type Alderman,
  type District,
  type MunicipalityFile,
} from './municipality-schema.js';
import { readDataFile } from './read-data-file.js';

/** The municipality as the rest of the service sees it: settings, districts, aldermen, hours, case rules. */
export interface Municipality extends MunicipalityFile {
  districts: District[];
  aldermen: Alderman[];
  /** Consultation hours and booking rules (hours.json). */
  hours: HoursConfig;
  /** Holidays, topics and routing rules for questions (holidays.json, topics.json, routing.json). */
  cases: CaseData;
}

/** Loads and cross-checks data/municipality.json, districts.json and aldermen.json from `dir`. */
export function loadMunicipality(dir: string): Municipality {
  const settings = readDataFile(dir, 'municipality.json', municipalityFileSchema);
  const { districts } = readDataFile(dir, 'districts.json', districtsFileSchema);
  const { aldermen } = readDataFile(dir, 'aldermen.json', aldermenFileSchema);
  const aldermanIds = new Set(aldermen.map((a) => a.id));
  districts.forEach((district, i) => {
    if (!aldermanIds.has(district.aldermanId)) {
      throw new ConfigError(
        `Data error: ${dir}/districts.json: districts[${i}].aldermanId: no alderman "${district.aldermanId}" in aldermen.json`,
      );
    }
  });
  assertUnique(dir, 'districts.json', 'districts', districts);
  assertUnique(dir, 'aldermen.json', 'aldermen', aldermen);
  const hours = parseHours(readJson(dir, 'hours.json'), aldermenIds(aldermen), join(dir, 'hours.json'));
  const cases = loadCaseData(dir, {
    districtIds: districts.map((d) => d.id),
    aldermanIds: aldermenIds(aldermen),
  });
  return { ...settings, districts, aldermen, hours, cases };
}

function aldermenIds(aldermen: Alderman[]): string[] {
  return aldermen.map((a) => a.id);
}

function readJson(dir: string, file: string): unknown {
  const path = join(dir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError(`Data error: ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function assertUnique(dir: string, file: string, field: string, items: { id: string }[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      throw new ConfigError(`Data error: ${dir}/${file}: ${field}[${i}].id: "${item.id}" is used twice`);
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
