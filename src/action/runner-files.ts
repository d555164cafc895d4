import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";

/**
 * Appends outputs to the runner's `$GITHUB_OUTPUT` file in its multi-line form
 * (`name<<DELIMITER`, value, `DELIMITER`), with a random delimiter so that a
 * value can never end its own block and set another output.
 */
export function writeOutputs(file: string, outputs: Readonly<Record<string, string | number>>): void {
  let text = "";
  for (const [name, raw] of Object.entries(outputs)) {
    const value = String(raw);
    const delimiter = `ghadelimiter_${randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name} contains its delimiter`);
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text, "utf8");
}

/** Appends Markdown to the runner's `$GITHUB_STEP_SUMMARY` file (other steps' summaries stay). */
export function appendStepSummary(file: string, markdown: string): void {
  appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
}
