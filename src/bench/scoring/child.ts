/** @module Child-process entry of the scoring benchmark: `node child.js '<json Job>'` prints one Measurement as JSON. */
import { type Job, measure } from "./measure.js";

const result = await measure(JSON.parse(process.argv[2] ?? "{}") as Job);
process.stdout.write(`${JSON.stringify(result)}\n`);
// llama.cpp's worker threads may keep the process alive after disposal.
process.exit(0);
