import { readFileSync } from "node:fs";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

/**
 * A validator for the OASIS SARIF 2.1.0 JSON schema (sarif-2.1/schema/sarif-schema-2.1.0.json
 * of oasis-tcs/sarif-spec, kept beside the SARIF tests): a JSON Schema draft-04, with formats checked.
 */
export function sarifValidator() {
  const ajv = new AjvDraft04Module.default({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(new URL("../report/sarif-schema-2.1.0.json", import.meta.url), "utf8")));
}
