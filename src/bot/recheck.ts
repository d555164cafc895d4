/** `/recheck` on a line of its own (surrounding spaces and case do not matter; quoted lines do not count). */
export function asksForRecheck(body: string | null | undefined): boolean {
  return (body ?? "").split(/\r?\n/).some((line) => line.trim().toLowerCase() === "/recheck");
}
