export function createClient(baseUrl: string) {
  return { baseUrl };
}
