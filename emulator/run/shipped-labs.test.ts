import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../lab/parse.ts';
import { runScenario } from './test-support/run-scenario.ts';

/** Every scenario of every lab shipped in labs/ must hold all its expectations, so none can rot. */
const LABS = path.resolve(import.meta.dirname, '../../labs');
const files = fs.readdirSync(LABS).filter((f) => f.endsWith('.lab.yaml')).sort();

describe('shipped labs', () => {
  it('there is at least the NLB live migration lab', () => {
    expect(files).toContain('nlb-live-migration.lab.yaml');
  });

  for (const file of files) {
    const text = fs.readFileSync(path.join(LABS, file), 'utf8');
    const parsed = parseLab(file, text);
    it(`${file} parses`, () => {
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    });
    if (!parsed.ok) continue;
    for (const s of parsed.lab.scenarios) {
      it(`${file} / ${s.name}: every expectation holds`, () => {
        const { report } = runScenario(text, s.name, s.seed ?? 1);
        const failed = report.expectations.filter((e) => e.status !== 'pass').map((e) => `${e.name}: ${e.status}, measured ${e.measured}`);
        expect(failed).toEqual([]);
        expect(report.problems).toEqual([]);
        expect(report.complete).toBe(true);
        expect(report.passed).toBe(true);
      });
    }
  }
});
