import { describe, expect, it } from "vitest";
import rule from "../../src/rules/service-yaml-schema.js";
import { exampleFiles } from "../helpers/example-repo.js";
import { describeFindings, edit, runRule } from "../helpers/rule-harness.js";

const PATH = "services/billing-ledger/service.yaml";

describe("service-yaml-schema", () => {
  describe("valid", () => {
    it("accepts the example services' descriptors", async () => {
      expect(await runRule(rule, exampleFiles())).toEqual([]);
    });

    it("accepts an @org/team owner and block-style lists", async () => {
      const files = exampleFiles();
      edit(files, PATH, "brand_scope: [loop, loopbio]", "brand_scope:\n  - loop\n  - loopbio");
      expect(await runRule(rule, files)).toEqual([]);
    });

    it("accepts a personal @handle owner and a configured extra brand", async () => {
      const files = exampleFiles();
      edit(files, PATH, '"@loop/billing-team"', '"@ana-lee"');
      edit(files, PATH, "[loop, loopbio]", "[loop, acme]");
      expect(await runRule(rule, files, { config: { brands: ["loop", "loopbio", "acme"] } })).toEqual([]);
    });
  });

  describe("invalid", () => {
    it("reports a missing field at its parent key, and a missing top-level field at line 1", async () => {
      const files = exampleFiles();
      edit(files, PATH, "  openapi: ./openapi.yaml\n", "");
      edit(files, PATH, 'team: billing\n', "");
      expect(describeFindings(await runRule(rule, files))).toEqual([
        `${PATH}:1:1 error service-yaml-schema service.yaml is missing \`team\` (guide step 2 lists every field; CI requires all of them).`,
        `${PATH}:6:1 error service-yaml-schema service.yaml is missing \`contracts.openapi\` (guide step 2 lists every field; CI requires all of them).`,
      ]);
    });

    it("reports a bad status, a bad owner and an unknown brand on their own lines", async () => {
      const files = exampleFiles();
      edit(files, PATH, "status: beta", "status: production");
      edit(files, PATH, '"@loop/billing-team"', "billing team");
      edit(files, PATH, "[loop, loopbio]", "[loop, lopbio]");
      const lines = describeFindings(await runRule(rule, files));
      expect(lines).toEqual([
        `${PATH}:3:8 error service-yaml-schema \`owner\` must be a GitHub @handle or @org/team.`,
        `${PATH}:5:9 error service-yaml-schema \`status\` must be one of alpha, beta, stable.`,
        `${PATH}:14:21 error service-yaml-schema brand_scope lists \`lopbio\`, which is not a configured brand (loop, loopbio).`,
      ]);
    });

    it("reports wrong types and an empty brand_scope", async () => {
      const files = exampleFiles();
      edit(files, PATH, "events_published: [billing.invoice.created.v1]", "events_published: billing.invoice.created.v1");
      edit(files, PATH, "brand_scope: [loop, loopbio]", "brand_scope: []");
      const lines = describeFindings(await runRule(rule, files));
      expect(lines).toEqual([
        `${PATH}:9:21 error service-yaml-schema \`contracts.events_published\` must be a list of event names.`,
        `${PATH}:14:14 error service-yaml-schema \`brand_scope\` must name at least one brand.`,
      ]);
    });

    it("warns about unknown keys, at the key", async () => {
      const files = exampleFiles();
      edit(files, PATH, "team: billing\n", "team: billing\nteam_channel: '#billing'\n");
      const findings = await runRule(rule, files);
      expect(describeFindings(findings)).toEqual([
        `${PATH}:5:1 warning service-yaml-schema \`team_channel\` is not a service.yaml field (known here: name, display_name, owner, team, status, description, contracts, data, brand_scope); check for a typo.`,
      ]);
    });
  });
});
