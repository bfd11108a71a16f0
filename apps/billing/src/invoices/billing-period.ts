/** `YYYY-MM` with a real month. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The UTC month `period` as the half-open range usage-tracking's summary takes (`to` exclusive). */
export function periodRange(period: string): { from: string; to: string } {
  const [year, month] = period.split('-').map(Number);
  return { from: new Date(Date.UTC(year, month - 1, 1)).toISOString(), to: new Date(Date.UTC(year, month, 1)).toISOString() };
}
