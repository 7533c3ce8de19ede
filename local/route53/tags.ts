import {
  InvalidInput,
  type ChangeTagsForResourceCommandInput,
  type ListTagsForResourcesCommandInput,
  type Tag,
} from '@aws-sdk/client-route-53';
import { tagProblems } from '../tag-rules.ts';
import type { HealthCheckStore } from './health-checks.ts';

const meta = { $metadata: {} };

/** Tags of health checks: ChangeTagsForResource, ListTagsForResource(s), with Route 53's limits. */
export class HealthCheckTags {
  constructor(private readonly checks: HealthCheckStore) {}

  /** ChangeTagsForResource: refused whole (InvalidInput) if any tag breaks the length limits. */
  change(input: ChangeTagsForResourceCommandInput) {
    const check = this.checks.get(input.ResourceId);
    const problems = tagProblems(input.AddTags ?? []);
    if (problems.length > 0) throw new InvalidInput({ ...meta, message: problems.join('; ') });
    for (const tag of input.AddTags ?? []) check.tags.set(tag.Key!, tag.Value ?? '');
    for (const key of input.RemoveTagKeys ?? []) check.tags.delete(key);
    return meta;
  }

  /** ListTagsForResource. */
  list(id: string | undefined) {
    return { ...meta, ResourceTagSet: this.tagSet(id) };
  }

  /** ListTagsForResources: at most 10 ids a call. */
  listMany(input: ListTagsForResourcesCommandInput) {
    const ids = input.ResourceIds ?? [];
    if (ids.length > 10) throw new InvalidInput({ ...meta, message: 'ResourceIds: at most 10 ids per call' });
    return { ...meta, ResourceTagSets: ids.map((id) => this.tagSet(id)) };
  }

  private tagSet(id: string | undefined) {
    const check = this.checks.get(id);
    const Tags: Tag[] = [...check.tags].map(([Key, Value]) => ({ Key, Value }));
    return { ResourceType: 'healthcheck' as const, ResourceId: check.Id, Tags };
  }
}
