import type { Node, RangeVar } from "libpg-query";

/** The strings of a name list (`[{ String: { sval: "billing" } }, { String: { sval: "invoices" } }]`). */
export function namesOf(nodes: readonly Node[] | undefined): string[] {
  const names: string[] = [];
  for (const node of nodes ?? []) if ("String" in node && node.String.sval !== undefined) names.push(node.String.sval);
  return names;
}

/** A string constant's value (`'x'`, `$$x$$`, `'a' || 'b'`), or `undefined` when the expression is computed. */
export function constantString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if ("A_Const" in node) return node.A_Const.sval?.sval ?? (node.A_Const.sval ? "" : undefined);
  if ("TypeCast" in node) return constantString(node.TypeCast.arg);
  if ("A_Expr" in node && node.A_Expr.kind === "AEXPR_OP" && namesOf(node.A_Expr.name).join(".") === "||") {
    const left = constantString(node.A_Expr.lexpr);
    const right = constantString(node.A_Expr.rexpr);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** Every string constant anywhere under a node (what a computed statement is built from). */
export function stringConstantsUnder(root: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === "object") {
      const constant = (value as { A_Const?: { sval?: { sval?: string } } }).A_Const?.sval?.sval;
      if (constant !== undefined) found.push(constant);
      else stack.push(...Object.values(value));
    }
  }
  return found;
}

/** `schema.name` as written (no schema when unqualified). */
export function writtenName(relation: RangeVar): string {
  return relation.schemaname ? `${relation.schemaname}.${relation.relname ?? "?"}` : (relation.relname ?? "?");
}

/** How many tokens a relation name spans (`invoices` 1, `billing.invoices` 3, `db.billing.invoices` 5). */
export function nameTokenCount(relation: RangeVar): number {
  return 1 + (relation.schemaname ? 2 : 0) + (relation.catalogname ? 2 : 0);
}

/** Splits a `search_path` value (`"$user", public`) into schema names, folding unquoted names to lower case as PostgreSQL does. */
export function parseSearchPath(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => (part.startsWith('"') && part.endsWith('"') && part.length >= 2 ? part.slice(1, -1).replaceAll('""', '"') : part.toLowerCase()));
}
