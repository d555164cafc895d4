import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { callsTo, nodePosition } from "../../src/analysis/imports.js";

const parse = (text: string) =>
  new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true }).createSourceFile("/a.ts", text);

describe("callsTo", () => {
  it("finds named, renamed and namespaced calls, and nothing from other modules", () => {
    const file = parse(`import { requireScope } from "@platform/scopes";
import { requireScope as scope } from "@platform/scopes";
import * as scopes from "@platform/scopes";
import { requireScope as other } from "./not-scopes";
requireScope("a");
scope("b");
scopes.requireScope("c");
other("d");
scopes.somethingElse("e");
`);
    const calls = callsTo(file, "@platform/scopes", "requireScope");
    expect(calls.map((c) => c.getArguments()[0]!.getText())).toEqual(['"a"', '"b"', '"c"']);
    expect(nodePosition(calls[2]!)).toEqual({ line: 7, column: 1 });
  });

  it("with '*' accepts the export from any module", () => {
    const file = parse(`import { requireScope } from "../auth";\nrequireScope("x");\n`);
    expect(callsTo(file, "@platform/scopes", "requireScope")).toHaveLength(0);
    expect(callsTo(file, "*", "requireScope")).toHaveLength(1);
  });
});
