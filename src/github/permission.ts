import { isNotFound, type GitHubApi, type RepoRef } from "./api.js";

/** Roles that may ask for a re-check: people who can push to the repository. */
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Whether a user can write to the repository (`/recheck` is for them). Uses
 * the collaborator permission endpoint, which needs only the metadata
 * permission; someone who is not a collaborator at all gets a 404.
 */
export async function hasWriteAccess(api: GitHubApi, repo: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await api.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    // `permission` folds maintain into write; `role_name` names it (and custom roles based on it).
    return WRITE_ROLES.has(data.permission) || WRITE_ROLES.has(data.role_name ?? "");
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
