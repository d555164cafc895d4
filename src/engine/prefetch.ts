import picomatch from "picomatch";
import type { Config } from "./config.js";
import type { Scope } from "./scope.js";
import type { RepoSnapshot, SnapshotPrefetch } from "./snapshot.js";

/**
 * Which files the rules will read for a scope, so that a snapshot reading
 * from a remote (GitHub) can fetch them up front in a few batched requests
 * instead of one request per file as rules ask (issue 10).
 *
 * A declaration, not a contract: a file missing here is still read when a
 * rule asks (one request more); a file listed and never read costs bytes. When
 * a rule starts reading a new repo-level file, add it here.
 */

/** Repo-level files the rules read whatever the scope (`{services}` is the configured services folder). */
export const REPO_LEVEL_READS: readonly string[] = [
  "sst.config.ts", // infra-registered
  "{CODEOWNERS,.github/CODEOWNERS,docs/CODEOWNERS}", // owner-in-codeowners
  "packages/contracts/src/**", // event rules (the registry, event names, and the modules they import)
  "infra/**/*.ts", // shared infra that sst.config.ts and the services' infra.ts import
  "pnpm-workspace.yaml", // workspace packages (changeset rules)
  "**/package.json", // workspace packages: every manifest (changeset rules, sdk-drift)
  "{services}/*/service.yaml", // schemas-owned-match compares every service's schemas
  "{services}/_template/**", // template-placeholders-replaced learns the scaffold's tokens
];

/** Files each service in scope reads beside its own folder (`{name}` is the folder name). */
export const PER_SERVICE_READS: readonly string[] = [
  "{services}/{name}/**",
  "packages/sdk-{name}/**", // sdk-drift
  "docs/services/{name}.md", // service-page-drift, cross-link-audit
  "docs/ai-overview/{name}.md", // ai-overview-staleness
];

/** Files read when the change touches them (every one of them when checking everything). */
export const CHANGED_FILE_READS: readonly string[] = [
  ".changeset/*.md", // changeset rules
  "docs/**/*.md", // docs-dead-links
];

/** Never worth fetching as text: the rules skip binary files. */
const BINARY = /\.(png|jpe?g|gif|webp|ico|pdf|zip|gz|tgz|woff2?|ttf|eot|otf|mp[34]|wasm|jar|lockb)$/i;

export function filesToPrefetch(snapshot: RepoSnapshot, config: Config, scope: Scope): SnapshotPrefetch {
  const fill = (glob: string, name = "") => glob.replaceAll("{services}", config.services_dir).replaceAll("{name}", name);
  const always = picomatch(REPO_LEVEL_READS.map((g) => fill(g)), { dot: true });
  const perService = perServiceMatcher(
    scope.services.map((s) => s.name),
    (glob, name) => fill(glob, name),
  );
  const whenChanged = picomatch([...CHANGED_FILE_READS], { dot: true });
  const changed = snapshot.changedFiles === undefined ? undefined : new Set(snapshot.changedFiles.map((f) => f.path));

  const head = snapshot
    .listFiles()
    .filter(
      (path) =>
        !BINARY.test(path) &&
        !path.includes("/node_modules/") &&
        (always(path) || perService(path) || (whenChanged(path) && (changed === undefined || changed.has(path)))),
    );
  // The readiness rule compares each service's status with the base's.
  const base = scope.services.map((s) => `${s.dir}/service.yaml`);
  return { head, base };
}

/** Stands for the service's name while a glob compiles; captured back out of the match. */
const NAME_TOKEN = "PLATFORMCHECKSSERVICENAME";

/**
 * Whether a path is one of PER_SERVICE_READS for one of `names`: one regex
 * per glob with the name captured and looked up, instead of a glob per
 * service, which made the test services × files (0.6 s at 200 services).
 */
function perServiceMatcher(names: readonly string[], fill: (glob: string, name: string) => string): (path: string) => boolean {
  const wanted = new Set(names);
  const patterns = PER_SERVICE_READS.map((glob) => {
    const re = picomatch.makeRe(fill(glob, NAME_TOKEN), { dot: true });
    return new RegExp(re.source.replace(NAME_TOKEN, "([^/]+)"), re.flags);
  });
  return (path) =>
    patterns.some((re) => {
      const match = re.exec(path);
      return match !== null && wanted.has(match[1]!);
    });
}
