// CSAR reading (TOSCA 1.3 §4 "TOSCA Cloud Service Archive"): a zip whose entry template is named
// by `Entry-Definitions` in TOSCA-Metadata/TOSCA.meta (§4.2), or, without that file, the one YAML
// file at the archive's root (§4.3). A small central-directory reader over node:zlib, bounded
// in entries and in inflated bytes so an archive bomb costs at most the limit.
import { inflateRawSync } from 'node:zlib';

export interface CsarLimits {
  maxEntries: number;
  /** Largest inflated size of one entry, and of all entries together. */
  maxBytes: number;
}

export type CsarRead = { ok: true; files: Map<string, Uint8Array>; entry: string } | { ok: false; reason: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The files of a zip archive (folders skipped), or the reason it cannot be read. */
export function readZip(buf: Buffer, limits: CsarLimits): { ok: true; files: Map<string, Uint8Array> } | { ok: false; reason: string } {
  // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i -= 1) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'not a zip archive (no end of central directory)' };
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count > limits.maxEntries) return { ok: false, reason: `${count} entries, more than ${limits.maxEntries}` };
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (let k = 0; k < count; k += 1) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return { ok: false, reason: 'corrupt central directory' };
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (name.split('/').some((part) => part === '..') || name.startsWith('/')) return { ok: false, reason: `entry ${JSON.stringify(name)} leaves the archive` };
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) return { ok: false, reason: `corrupt local header of ${JSON.stringify(name)}` };
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + compressed);
    if (size > limits.maxBytes || total + size > limits.maxBytes) return { ok: false, reason: `inflates past ${limits.maxBytes} bytes` };
    let body: Uint8Array;
    try {
      if (method === 0) body = data;
      else if (method === 8) body = inflateRawSync(data, { maxOutputLength: Math.max(1, limits.maxBytes - total) });
      else return { ok: false, reason: `entry ${JSON.stringify(name)} uses compression method ${method} (only stored and deflate are read)` };
    } catch (error) {
      return { ok: false, reason: `entry ${JSON.stringify(name)}: ${error instanceof Error ? error.message : String(error)}` };
    }
    total += body.length;
    files.set(name, body);
  }
  return { ok: true, files };
}

/** §4.2: `Entry-Definitions: <path>` of TOSCA-Metadata/TOSCA.meta; §4.3: else the single root YAML. */
export function readCsar(buf: Buffer, limits: CsarLimits): CsarRead {
  const zip = readZip(buf, limits);
  if (!zip.ok) return zip;
  const meta = zip.files.get('TOSCA-Metadata/TOSCA.meta');
  if (meta) {
    const line = /^Entry-Definitions:[ \t]*(.+?)[ \t]*$/m.exec(Buffer.from(meta).toString('utf8'));
    if (!line) return { ok: false, reason: 'TOSCA-Metadata/TOSCA.meta has no Entry-Definitions' };
    if (!zip.files.has(line[1])) return { ok: false, reason: `Entry-Definitions ${JSON.stringify(line[1])} is not in the archive` };
    return { ok: true, files: zip.files, entry: line[1] };
  }
  const roots = [...zip.files.keys()].filter((n) => !n.includes('/') && /\.ya?ml$/.test(n));
  if (roots.length !== 1) return { ok: false, reason: `without TOSCA-Metadata/TOSCA.meta the root must hold exactly one YAML file, it holds ${roots.length}` };
  return { ok: true, files: zip.files, entry: roots[0] };
}
