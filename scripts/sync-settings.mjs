// Regenerates package.json `contributes.configuration` from CONFIG_SPEC (src/shared/config.ts),
// the single source of truth for hyperparameters. Touches no other field of package.json.
//
//   node --import tsx scripts/sync-settings.mjs           rewrite package.json
//   node --import tsx scripts/sync-settings.mjs --check   exit 1 when package.json is out of date
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// tsx loads the TypeScript module as CommonJS: its exports may sit on `default`.
const loaded = await import(join(root, 'src', 'extension', 'manifestSettings.ts'));
const { configurationContribution } = loaded.configurationContribution ? loaded : loaded.default;

const file = join(root, 'package.json');
const text = readFileSync(file, 'utf8');
const pkg = JSON.parse(text);
const next = configurationContribution();
const same = JSON.stringify(pkg.contributes?.configuration) === JSON.stringify(next);

if (process.argv.includes('--check')) {
  if (!same) {
    console.error('package.json contributes.configuration is out of date: run `node --import tsx scripts/sync-settings.mjs`');
    process.exit(1);
  }
  console.log('package.json contributes.configuration matches CONFIG_SPEC');
} else if (same) {
  console.log('package.json contributes.configuration already matches CONFIG_SPEC');
} else {
  pkg.contributes = { ...(pkg.contributes ?? {}), configuration: next };
  // Read-modify-write in one go, atomically: other people edit other fields of this file.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(pkg, null, 2) + '\n');
  renameSync(tmp, file);
  console.log('package.json contributes.configuration updated from CONFIG_SPEC');
}
