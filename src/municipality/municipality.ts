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

/** The municipality as the rest of the service sees it: its settings, districts and aldermen. */
export interface Municipality extends MunicipalityFile {
  districts: District[];
  aldermen: Alderman[];
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
  return { ...settings, districts, aldermen };
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
