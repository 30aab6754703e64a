// What the list shows of each deployment beyond the API's fields (description, template name)
// comes from its template (deploy-options.ts); a template changes only on update, so it is read
// once per deployment and update time, and kept for the next list (bounded, oldest dropped).
import { readRecord, type DashboardRecord } from '../catalogue/deploy-options';
import type { DeploymentSummary, DeploymentsClient } from '../deployments.client';

type Record_ = DashboardRecord & { templateName?: string };

export class TemplateCache {
  private readonly entries = new Map<string, Record_>();

  constructor(
    private readonly api: DeploymentsClient,
    private readonly capacity = 5000,
  ) {}

  async record(d: DeploymentSummary, token: string | null): Promise<Record_> {
    const key = `${d.uuid}@${d.updateTime ?? ''}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    let record: Record_ = {};
    try {
      record = readRecord(await this.api.template(d.uuid, token));
    } catch {
      return record; // gone meanwhile, or not readable by this user: the row shows the id only
    }
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, record);
    return record;
  }
}
