/**
 * The wall clock a Windows console prints. Simulated time starts at a fixed moment so outputs
 * are reproducible: the run's t = 0 is 3/24/2014 9:00:00 AM (the date of the seed scenario),
 * counted forward arithmetically, never from the host's clock.
 */
import { SECOND } from '../../core/time.ts';

const START = { year: 2014, month: 3, day: 24, secondsOfDay: 9 * 3600 };
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `M/D/YYYY h:mm:ss AM` as en-US Windows prints it. */
export function windowsTime(ns: number): string {
  let total = START.secondsOfDay + Math.floor(ns / SECOND);
  let { year, month, day } = START;
  while (total >= 86400) {
    total -= 86400;
    day++;
    const dim = DAYS_IN_MONTH[month - 1] + (month === 2 && year % 4 === 0 ? 1 : 0);
    if (day > dim) {
      day = 1;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  const h24 = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${month}/${day}/${year} ${h12}:${mm}:${ss} ${h24 < 12 ? 'AM' : 'PM'}`;
}
