import { configLoader, productSections, type ConfigFrom } from '@cprh/config';
import { simulatorSettings } from './simulator-settings';

/** The workbench's configuration: the product's sections plus the simulator's own. */
const workbenchSections = { ...productSections, simulator: simulatorSettings } as const;
type WorkbenchSections = typeof workbenchSections;

/** Name of a section the workbench (simulator, demo launcher, e2e) can load: a product one or `simulator`. */
export type WorkbenchSectionName = keyof WorkbenchSections;

/** The typed configuration of the workbench sections `K` (as `Config` for the product). */
export type WorkbenchConfig<K extends WorkbenchSectionName = WorkbenchSectionName> = ConfigFrom<
  WorkbenchSections,
  K
>;

/** The configuration a list of workbench section names loads. */
export type WorkbenchConfigOf<L extends readonly WorkbenchSectionName[]> = WorkbenchConfig<L[number]>;

const workbench = configLoader(workbenchSections);

/** Loads workbench sections with the product's mechanism (same defaults, secrets and error lines). */
export const loadWorkbenchConfig = workbench.load;

/** Every setting the workbench reads: the product's and the simulator's, for docs and checks. */
export const workbenchSettingNames = workbench.settingNames;

/** Every workbench section name. */
export const WORKBENCH_SECTION_NAMES: WorkbenchSectionName[] = [...workbench.sectionNames];
