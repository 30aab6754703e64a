// Mapping TOSCA `host` and `os` capabilities to a flavor and an image (TOSCA §5.4.3
// tosca.capabilities.Compute, §5.4.11 OperatingSystem; INDIGO adds `instance_type` and `image`).
import type { NodeTemplateModel, Value } from '@lib/tosca';
import type { FlavorInfo, ImageInfo } from '../cloud.port';

export interface HostRequirements {
  numCpus?: number;
  memSizeMb?: number;
  diskSizeGb?: number;
  numGpus?: number;
  /** A flavor named outright (INDIGO `instance_type`). */
  instanceType?: string;
}

export interface OsRequirements {
  /** An image named outright (INDIGO `os.image`), possibly mapped by the provider config. */
  image?: string;
  type?: string;
  distribution?: string;
  version?: string;
  architecture?: string;
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** Parses a scalar-unit.size (`"4 GB"`, `"512 MiB"`, or a bare number of bytes) into bytes. */
export function parseSizeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)?\s*$/i.exec(value);
  if (!m) return undefined;
  const factor = UNITS[(m[2] ?? 'b').toLowerCase()];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

function num(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
  return undefined;
}

function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
}

export function hostRequirementsOf(node: NodeTemplateModel): HostRequirements {
  const p = node.capabilities.host?.properties ?? {};
  const mem = parseSizeBytes(p.mem_size);
  const disk = parseSizeBytes(p.disk_size);
  return {
    numCpus: num(p.num_cpus),
    // Binary units for the comparison: "2 GB" asks for 1908 MiB and fits a 2048 MB flavor.
    memSizeMb: mem === undefined ? undefined : Math.ceil(mem / 1024 ** 2),
    diskSizeGb: disk === undefined ? undefined : Math.ceil(disk / 1024 ** 3),
    numGpus: num(p.num_gpus),
    instanceType: str(p.instance_type),
  };
}

export function osRequirementsOf(node: NodeTemplateModel): OsRequirements {
  const p = node.capabilities.os?.properties ?? {};
  return {
    image: str(p.image),
    type: str(p.type),
    distribution: str(p.distribution),
    version: str(p.version),
    architecture: str(p.architecture),
  };
}

/** The named flavor, else the smallest one that fits (fewest CPUs, then RAM, then disk). */
export function pickFlavor(flavors: FlavorInfo[], req: HostRequirements): FlavorInfo | undefined {
  if (req.instanceType) return flavors.find((f) => f.name === req.instanceType || f.id === req.instanceType);
  const fits = flavors.filter(
    (f) =>
      f.vcpus >= (req.numCpus ?? 0) &&
      f.ramMb >= (req.memSizeMb ?? 0) &&
      f.diskGb >= (req.diskSizeGb ?? 0) &&
      (f.gpus ?? 0) >= (req.numGpus ?? 0),
  );
  return fits.sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb || a.diskGb - b.diskGb || (a.gpus ?? 0) - (b.gpus ?? 0))[0];
}

/** The named image (after the provider's mapping), else the first matching distribution/version/type/arch. */
export function pickImage(images: ImageInfo[], req: OsRequirements, mappings: Record<string, string> = {}): ImageInfo | undefined {
  if (req.image) {
    const wanted = mappings[req.image] ?? req.image;
    // INDIGO image names may carry a registry prefix, e.g. `ost://cloud/uuid` or `linux-ubuntu-22.04`.
    const short = wanted.split('/').pop() ?? wanted;
    return images.find((i) => i.id === wanted || i.name === wanted || i.id === short || i.name === short);
  }
  const eq = (a: string | undefined, b: string | undefined) => b === undefined || (a !== undefined && a.toLowerCase() === b.toLowerCase());
  const candidates = images.filter(
    (i) =>
      eq(i.osType, req.type) &&
      eq(i.distribution, req.distribution) &&
      (req.version === undefined || (i.version !== undefined && i.version.startsWith(req.version))) &&
      eq(i.architecture, req.architecture),
  );
  return candidates[0];
}
