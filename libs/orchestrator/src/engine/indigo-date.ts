// The reference's date format: `yyyy-MM-dd'T'HH:mmZ` in UTC, e.g. `2024-03-01T09:56+0000`.
export function formatIndigoDate(date: Date): string {
  return `${date.toISOString().slice(0, 16)}+0000`;
}
