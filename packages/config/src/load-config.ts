import { configLoader, type ConfigFrom } from './config-loader';
import { sections } from './settings-schema';

type Sections = typeof sections;

/** Name of one section of the product's configuration (`redis`, `pipeline`, ...). */
export type SectionName = keyof Sections;

/**
 * The typed configuration holding only the sections `K`. `Config` alone is every section;
 * `Config['pipeline']` is one section's type.
 */
export type Config<K extends SectionName = SectionName> = ConfigFrom<Sections, K>;

/** The configuration a list of section names loads: `ConfigOf<typeof WORKER_SECTIONS>`. */
export type ConfigOf<L extends readonly SectionName[]> = Config<L[number]>;

const product = configLoader(sections);

/** Every section name, for tests and tools that need the whole configuration. */
export const SECTION_NAMES: SectionName[] = [...product.sectionNames];

/** Names of every environment variable the product reads, for docs and checks. */
export const settingNames = product.settingNames;

/** Loads the named sections of the product's configuration (see ConfigLoader.load). */
export const loadConfig = product.load;
