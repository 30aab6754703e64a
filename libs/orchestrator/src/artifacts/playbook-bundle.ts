// A remote playbook and every file it names, resolved against the playbook's URL as Ansible
// resolves them against its folder, each recorded by digest (the deployment's artifact lock).
// Written into a run's work folder with the URL's layout, so relative paths (`../x.yml`,
// `templates/`, `files/`) find the same files as beside the original.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArtifactError } from './artifact.errors';
import type { ArtifactSource } from './artifact-source';
import { playbookRefs } from './playbook-refs';

export interface PlaybookBundle {
  /** The playbook's URL. */
  entry: string;
  /** URL → digest of the playbook and every file it names. */
  files: Record<string, string>;
  /** Roles named by the playbook and its task files (roles:, include_role, import_role). */
  roles: string[];
}

const YAML_KINDS = new Set(['playbook', 'tasks']);

/**
 * Fetches `url` and what it names. `lock` (URL → digest, from an earlier generation) makes the
 * same bytes come back; without it, the current ones.
 */
export async function bundlePlaybook(source: ArtifactSource, url: string, lock: Record<string, string> = {}): Promise<PlaybookBundle> {
  const bundle: PlaybookBundle = { entry: url, files: {}, roles: [] };
  const queue: string[] = [url];
  const scanned = new Set<string>();
  while (queue.length) {
    const next = { url: queue.shift()! };
    if (scanned.has(next.url)) continue;
    scanned.add(next.url);
    const got = await source.get(next.url, lock[next.url]);
    bundle.files[next.url] = got.digest;
    let refs;
    try {
      refs = playbookRefs(got.bytes.toString('utf8'));
    } catch (error) {
      throw new ArtifactError('playbook_unreadable', `${next.url} is not a readable playbook: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    for (const role of refs.roles) if (!bundle.roles.includes(role)) bundle.roles.push(role);
    for (const ref of refs.files) {
      let found: string | undefined;
      let lastError: ArtifactError | undefined;
      // Ansible looks beside the file naming it, then beside the playbook.
      const urls = [...new Set([...ref.candidates.map((c) => new URL(c, next.url).href), ...ref.candidates.map((c) => new URL(c, url).href)])];
      for (const candidateUrl of urls) {
        if (bundle.files[candidateUrl]) {
          found = candidateUrl;
          if (YAML_KINDS.has(ref.kind)) queue.push(candidateUrl);
          break;
        }
        try {
          const fetched = await source.get(candidateUrl, lock[candidateUrl]);
          bundle.files[candidateUrl] = fetched.digest;
          found = candidateUrl;
          if (YAML_KINDS.has(ref.kind)) queue.push(candidateUrl);
          break;
        } catch (error) {
          if (!(error instanceof ArtifactError) || error.code === 'artifact_not_allowed' || error.code === 'artifact_changed') throw error;
          lastError = error;
        }
      }
      if (!found && !ref.optional) {
        throw new ArtifactError('artifact_fetch_failed', `${ref.path}, named by ${next.url}, was found at none of ${urls.join(', ')}${lastError ? ` (${lastError.message})` : ''}`);
      }
    }
  }
  return bundle;
}

/** Where a URL's file sits inside a work folder: `<dir>/<host>/<path>`. */
export function localPathOf(dir: string, url: string): string {
  const u = new URL(url);
  const segments = decodeURIComponent(u.pathname).split('/').filter((s) => s && s !== '.' && s !== '..');
  return join(dir, u.host.replace(/[^A-Za-z0-9.-]/g, '_'), ...segments);
}

/** Writes the bundle's files into `dir`; returns the local path of the playbook. */
export function writeBundle(source: ArtifactSource, bundle: PlaybookBundle, dir: string): string {
  for (const [url, digest] of Object.entries(bundle.files)) {
    const bytes = source.cached(digest);
    if (!bytes) throw new ArtifactError('artifact_changed', `${url}: the bytes of ${digest} are no longer in the artifact cache; update with refresh`);
    const path = localPathOf(dir, url);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return localPathOf(dir, bundle.entry);
}
