// Preloaded with --import in the memory runs of the benchmark: records the process's peak resident
// memory when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
