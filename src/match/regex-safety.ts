/** Placeholder replaced below. */
export function backtrackingRisk(_source: string, _flags: string): string | undefined {
  return undefined;
}
