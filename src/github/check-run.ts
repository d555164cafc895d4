import type { CheckRunAnnotation } from "../report/check-run.js";
import type { GitHubApi, RepoRef } from "./api.js";
import { fitMarkdown, fitPlainText, GITHUB_LIMITS } from "./limits.js";

/** GitHub accepts at most this many annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required" | "skipped";

export interface CheckRunText {
  title: string;
  summary: string;
}

export interface CheckRunResult extends CheckRunText {
  conclusion: CheckConclusion;
  annotations?: readonly CheckRunAnnotation[];
}

/**
 * Writes one check run: created `in_progress` when work starts, completed
 * once with every annotation delivered in batches of 50 (GitHub appends the
 * annotations of each update).
 */
export class CheckRunWriter {
  constructor(
    private readonly api: GitHubApi,
    private readonly repo: RepoRef,
  ) {}

  /** Creates the check run in progress and returns its id. */
  async start(name: string, headSha: string, text: CheckRunText): Promise<number> {
    const { data } = await this.api.rest.checks.create({
      ...this.repo,
      name,
      head_sha: headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: capText(text),
    });
    return data.id;
  }

  /**
   * Completes the check run. With more than 50 annotations, every batch but
   * the last goes in an update that leaves the run in progress, and the last
   * batch goes with the conclusion, so the run never looks finished before
   * all its annotations are there.
   */
  async complete(checkRunId: number, result: CheckRunResult): Promise<void> {
    const text = capText(result);
    const batches = chunk((result.annotations ?? []).map(fitAnnotation), ANNOTATIONS_PER_REQUEST);
    for (const batch of batches.slice(0, -1)) {
      await this.api.rest.checks.update({ ...this.repo, check_run_id: checkRunId, output: { ...text, annotations: batch } });
    }
    const last = batches[batches.length - 1];
    await this.api.rest.checks.update({
      ...this.repo,
      check_run_id: checkRunId,
      status: "completed",
      conclusion: result.conclusion,
      completed_at: new Date().toISOString(),
      output: { ...text, ...(last ? { annotations: last } : {}) },
    });
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** GitHub's limits, in bytes: a longer title, summary or annotation makes it refuse the whole request. */
function capText(text: CheckRunText): CheckRunText {
  return {
    title: fitPlainText(text.title, GITHUB_LIMITS.checkRunTitle),
    summary: fitMarkdown(text.summary, GITHUB_LIMITS.checkRunSummary, "\n\n_…cut to stay within GitHub's size limit._"),
  };
}

function fitAnnotation(annotation: CheckRunAnnotation): CheckRunAnnotation {
  return {
    ...annotation,
    title: fitPlainText(annotation.title, GITHUB_LIMITS.annotationTitle),
    message: fitPlainText(annotation.message, GITHUB_LIMITS.annotationMessage),
  };
}
