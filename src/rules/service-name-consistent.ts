import { defineServiceRule } from "../engine/rule.js";
import { isKebabCase } from "../engine/names.js";
import { positionAt } from "../engine/positions.js";
import { parseServiceDescriptor } from "../engine/service-descriptor.js";

export default defineServiceRule({
  meta: {
    id: "service-name-consistent",
    defaultSeverity: "error",
    title: "service.yaml name, folder name and package name agree",
    messages: {
      folderNotKebab:
        "The service folder `{{folder}}` is not kebab-case (lower-case words joined by `-`, e.g. `billing-ledger`). Rename the folder, then update service.yaml `name` and package.json `name` to match.",
      yamlNameMismatch: "service.yaml `name` is `{{found}}`, but the service folder is `{{folder}}`. Set `name: {{folder}}` (or rename the folder).",
      packageMissing: "{{dir}}/package.json is missing. Add one named `@services/{{folder}}` (copy services/_template/package.json).",
      packageInvalid: "package.json is not valid JSON: {{error}}",
      packageNameMissing: 'package.json has no `name`. Add `"name": "@services/{{folder}}"`.',
      packageNameMismatch: 'package.json `name` is `{{found}}`, but a service in `{{dir}}` must be named `@services/{{folder}}`. Set `"name": "@services/{{folder}}"`.',
    },
  },
  async check(ctx, report) {
    const { name: folder, dir } = ctx.service;
    if (!isKebabCase(folder)) {
      // A folder has no line: the finding names the folder itself.
      report({ messageId: "folderNotKebab", data: { folder }, path: dir });
    }

    const descriptor = await ctx.descriptor();
    const yamlName = descriptor.data?.["name"];
    // A missing or non-string name is service-yaml-schema's finding.
    if (typeof yamlName === "string" && yamlName.trim() !== "" && yamlName !== folder) {
      report({ messageId: "yamlNameMismatch", data: { found: yamlName, folder }, path: descriptor.path, ...descriptor.valuePositionOf(["name"]) });
    }

    const manifestPath = ctx.path("package.json");
    const text = await ctx.read(manifestPath);
    if (text === undefined) {
      report({ messageId: "packageMissing", data: { dir, folder }, path: manifestPath });
      return;
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const offset = /position (\d+)/.exec(message)?.[1];
      report({ messageId: "packageInvalid", data: { error: message }, path: manifestPath, ...positionAt(text, offset === undefined ? 0 : Number(offset)) });
      return;
    }
    const packageName = manifest !== null && typeof manifest === "object" ? (manifest as Record<string, unknown>)["name"] : undefined;
    if (packageName === undefined) {
      report({ messageId: "packageNameMissing", data: { folder }, path: manifestPath, ...positionAt(text, Math.max(0, text.indexOf("{"))) });
    } else if (packageName !== `@services/${folder}`) {
      report({
        messageId: "packageNameMismatch",
        data: { found: String(packageName), dir, folder },
        path: manifestPath,
        // JSON is YAML: the YAML parser gives the position of the value.
        ...parseServiceDescriptor(manifestPath, text).valuePositionOf(["name"]),
      });
    }
  },
});
