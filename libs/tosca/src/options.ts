// Options of a compile, and the named quirks (STYLE.md rule 10; libs/tosca/QUIRKS.md).
import type { Value } from './model';

/** Leniencies needed by real INDIGO/INFN templates; each one warns when it changes a result. */
export interface Quirks {
  /** YAML 1.1 booleans: `yes`/`no`/`on`/`off` read as booleans where a boolean is expected. */
  yaml11Booleans: boolean;
  /** Duplicate mapping keys: the last wins (PyYAML behaviour) with a warning instead of an error. */
  duplicateKeysLastWins: boolean;
  /** INDIGO software nodes may omit their `host` requirement (IM places them via `lrms`). */
  indigoUnhostedSoftware: boolean;
  /** A number or boolean that a function (get_input) delivers where a string is expected becomes its text. */
  numberAsString: boolean;
  /** A string-typed input may default to a YAML boolean/number (INDIGO `default: true`): kept as text. */
  scalarAsStringDefault: boolean;
  /** Imported type files may lack `tosca_definitions_version` (they inherit the importer's). */
  importedWithoutVersion: boolean;
  /** A node type may be redefined by a later file (INFN files define the same type twice). */
  typeRedefinition: boolean;
  /** Properties not declared by the type are kept with a warning (INDIGO `zabbix_server`, `rclone_pass`). */
  undeclaredProperties: boolean;
  /** A node template may carry a top-level `scalable:` key (INDIGO lifewatch). */
  nodeLevelScalable: boolean;
  /** Policy properties the policy type does not declare are kept with a warning (INDIGO `availability_zone`). */
  undeclaredPolicyProperties: boolean;
  /** A quoted number (`default: '6'`) where an integer or float is expected is read as the number. */
  numericStrings: boolean;
  /** A relative import not found beside the importer is looked for in its ancestor folders (tosca-parser). */
  importAncestorFallback: boolean;
}

export const STRICT_QUIRKS: Quirks = {
  yaml11Booleans: false,
  duplicateKeysLastWins: false,
  indigoUnhostedSoftware: false,
  numberAsString: false,
  scalarAsStringDefault: false,
  importedWithoutVersion: false,
  typeRedefinition: false,
  undeclaredProperties: false,
  nodeLevelScalable: false,
  undeclaredPolicyProperties: false,
  importAncestorFallback: false,
  numericStrings: false,
};

/** The default: every quirk on, because baton is a drop-in for INDIGO templates. */
export const INDIGO_QUIRKS: Quirks = {
  yaml11Booleans: true,
  duplicateKeysLastWins: true,
  indigoUnhostedSoftware: true,
  numberAsString: true,
  scalarAsStringDefault: true,
  importedWithoutVersion: true,
  typeRedefinition: true,
  undeclaredProperties: true,
  nodeLevelScalable: true,
  undeclaredPolicyProperties: true,
  importAncestorFallback: true,
  numericStrings: true,
};

/** Remote import fetching; off unless asked for. */
export interface FetchOptions {
  /** URL prefixes that may be fetched, e.g. `https://raw.githubusercontent.com/indigo-dc/`. */
  allow: string[];
  /** Largest body accepted, in bytes (default 4 MiB). */
  maxBytes?: number;
  /** Time-out per request in milliseconds (default 10,000). */
  timeoutMs?: number;
}

/** Offline import resolution: exact URLs and URL prefixes mapped to local files and folders. */
export interface Catalog {
  urls: Record<string, string>;
  prefixes: Record<string, string>;
}

/**
 * Which local files imports may read. `local-files`: any (the command line compiling the user's
 * own files). `catalogue`: only the types folder and the catalogue's targets (a template uploaded
 * to the service; absolute, `file:` and escaping paths are refused with `import_outside_catalogue`).
 */
export type ImportScope = 'local-files' | 'catalogue';

/** Bounds on one compile, so one request cannot take the machine (issue 8). */
export interface CompileLimits {
  /** Largest entry template, in bytes (imported catalogue files are bounded by `maxFileBytes`). */
  maxTemplateBytes: number;
  /** Most YAML nodes (map entries, list items, scalars) in the entry template. */
  maxTemplateNodes: number;
  /** Most node templates in the entry template. */
  maxNodeTemplates: number;
  /** Most node instances (and relationship edges) the plan may hold. */
  maxInstances: number;
  /** Most diagnostics returned; the rest are counted in a final `diagnostics_truncated`. */
  maxDiagnostics: number;
}

export const DEFAULT_COMPILE_LIMITS: CompileLimits = {
  maxTemplateBytes: 16 * 1024 * 1024,
  maxTemplateNodes: 2_000_000,
  maxNodeTemplates: 100_000,
  maxInstances: 1_000_000,
  maxDiagnostics: 10_000,
};

export interface CompileOptions {
  /** Which local files imports may read (default `local-files`; the service passes `catalogue`). */
  imports?: ImportScope;
  /** Bounds of this compile (default DEFAULT_COMPILE_LIMITS, generous: the service passes its own). */
  limits?: Partial<CompileLimits>;
  /** Input values given at compile time (coerced and checked against the input definitions). */
  inputs?: Record<string, Value>;
  /** Folder holding normative/ and catalog.yaml (default: the project's tosca-types/). */
  typesDir?: string;
  /** Extra catalog entries (paths absolute or relative to typesDir), merged over catalog.yaml. */
  catalog?: Partial<Catalog>;
  /** Opt-in remote fetch of imports not found in the catalog. */
  fetch?: FetchOptions;
  /** Quirk flags; defaults to INDIGO_QUIRKS. Pass STRICT_QUIRKS for the letter of the spec. */
  quirks?: Partial<Quirks>;
  /** Largest file read, in bytes (default 16 MiB). */
  maxFileBytes?: number;
  /** Skip the implicit normative import (for compiling the normative profiles themselves). */
  noImplicitImports?: boolean;
}
